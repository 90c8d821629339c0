"""The inbox's "listed as a candidate" test is answered by the GIN index on PostgreSQL, not by reading every task."""
from __future__ import annotations

import pytest
from factories import scenario
from psycopg.types.json import Jsonb
from sqlalchemy import func, select, text

from engine import inbox
from engine.clock import now
from engine.models import HumanTask

pytestmark = pytest.mark.postgres


def test_mine_tab_uses_the_candidate_index(runtime, migrated_pg_url):
    rt = runtime(migrated_pg_url)
    people = rt.people()
    rt.deploy(scenario("timer_task"))
    ids = [rt.task(rt.start("timer_task", business_key=f"WO-{n}", school_id=people.school_id,
                            data={"worker_id": None, "job_due": "PT1H"}), "do_job").id for n in range(3)]
    with rt.session() as session:
        rows = {row.id: row for row in session.scalars(select(HumanTask))}
        rows[ids[0]].candidate_ids = [people.clerk_id]
        rows[ids[1]].candidate_ids = [people.worker_id, people.clerk_id]
    clerk = rt.actor_of(people.clerk_id)
    with rt.session() as session:  # many unassigned tasks listing nobody, as at scale, and fresh statistics
        session.execute(text("INSERT INTO human_task (id, instance_id, process_key, business_key, school_id, task_name, "
                             "title, candidate_ids, created_at) SELECT 'bulk-' || n, instance_id, process_key, "
                             "'WO-bulk', school_id, task_name, title, '[]', created_at FROM human_task, "
                             "generate_series(1, 2000) AS n WHERE id = :id"), {"id": ids[2]})
    with rt.session() as session:
        session.execute(text("ANALYZE human_task"))
    with rt.session() as session:
        assert {t.id for t in inbox.task_page(session, clerk, tab="mine", at=now()).rows} == set(ids[:2])
        stmt = select(func.count(HumanTask.id)).where(inbox.tab_clause(session, clerk, "mine"))
        connection = session.connection()
        compiled = stmt.compile(dialect=connection.dialect)
        params = {k: Jsonb(v) if isinstance(v, list) else v for k, v in compiled.params.items()}
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled.string}", params))
    assert "ix_human_task_candidates" in plan, plan
