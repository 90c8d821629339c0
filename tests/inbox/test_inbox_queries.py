"""``engine.inbox`` on SQLite and PostgreSQL: the ``mine`` and ``group`` tabs are exactly what ``may_complete``
allows (assignee, candidates in a JSON list, role in unit, school), the other tabs come from the audit log, and the
filters, pages and "next task" behave alike on both databases."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import scenario
from sqlalchemy import select

from engine import inbox
from engine.assignment import claim, reassign
from engine.clock import now
from engine.models import HumanTask
from workflows.people.permissions import TASK_POLICY


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def harness(request, runtime):
    url = request.getfixturevalue("migrated_pg_url") if request.param == "postgres" else None
    return runtime(url)


def _tasks(rt, people, count: int) -> list[str]:
    rt.deploy(scenario("timer_task"))
    ids = []
    for n in range(count):
        iid = rt.start("timer_task", business_key=f"WO-{n + 1:02d}", school_id=people.school_id,
                       data={"worker_id": None, "job_due": f"PT{n + 1}H"})
        ids.append(rt.task(iid, "do_job").id)
    return ids


def test_tabs_match_may_complete_and_the_audit_log(harness):
    rt = harness
    people = rt.people()
    t1, t2, t3, t4, t5, t6 = _tasks(rt, people, 6)
    worker, clerk, supervisor = (rt.actor_of(i) for i in (people.worker_id, people.clerk_id, people.supervisor_id))
    near_miss = [people.clerk_id * 10 + people.clerk_id, people.clerk_id + 100]  # e.g. 22 and 102 for clerk 2
    with rt.session() as session:
        rows = {row.id: row for row in session.scalars(select(HumanTask))}
        rows[t1].assignee_id, rows[t1].org_unit_id = people.worker_id, people.unit_id
        rows[t2].org_unit_id = people.unit_id
        rows[t3].org_unit_id, rows[t3].candidate_ids = people.unit_id, [people.clerk_id]
        rows[t4].org_unit_id = people.unit_id + 999
        rows[t5].org_unit_id, rows[t5].school_id = people.unit_id, people.school_id + 1
        rows[t6].org_unit_id, rows[t6].candidate_ids = people.unit_id, near_miss

    at = now()
    with rt.session() as session:
        every = list(session.scalars(select(HumanTask)))
        for actor in (worker, clerk, supervisor):
            mine = {t.id for t in inbox.task_page(session, actor, tab="mine", at=at).rows}
            group = {t.id for t in inbox.task_page(session, actor, tab="group", at=at).rows}
            assert not mine & group
            assert mine | group == {t.id for t in every if TASK_POLICY.may_complete(actor, t)}, actor.name
            assert {t.id for t in inbox.may_do_page(session, actor).rows} == mine | group
        assert {t.id for t in inbox.task_page(session, worker, tab="mine", at=at).rows} == {t1}
        # t3 and t6 list candidates: theirs alone, though the worker holds the task's role in its unit
        assert {t.id for t in inbox.task_page(session, worker, tab="group", at=at).rows} == {t2}
        assert {t.id for t in inbox.task_page(session, clerk, tab="mine", at=at).rows} == {t3}
        assert inbox.counts(session, worker, at=at) == {"mine": 1, "group": 1, "delegated": 0, "completed": 0,
                                                        "open": 2, "overdue": 0}

    # hand one over, complete another: the delegated and completed tabs read the audit log
    with rt.session() as session:
        claim(session, task_id=t2, actor=worker, policy=TASK_POLICY)
        reassign(session, task_id=t2, actor=worker, assignee_id=people.supervisor_id, note="yours", policy=TASK_POLICY)
    rt.complete(t1, worker, {"note": "done"})
    with rt.session() as session:
        delegated = inbox.task_page(session, worker, tab="delegated", at=at)
        assert [t.id for t in delegated.rows] == [t2] and delegated.total == 1
        done = inbox.completed_page(session, worker)
        assert [(e.task_id, e.business_key) for e in done.rows] == [(t1, "WO-01")]
        assert inbox.completed_page(session, worker, flt=inbox.TaskFilter(process_key="repair")).total == 0
        assert inbox.completed_page(session, worker, flt=inbox.TaskFilter(process_key="timer_task")).total == 1
        assert inbox.titles(session, worker, tab="completed") == ["Do the job"]
        counts = inbox.counts(session, worker, at=at)
        assert (counts["mine"], counts["delegated"], counts["completed"]) == (0, 1, 1)
        assert inbox.task_page(session, supervisor, tab="mine", at=at).rows[0].id == t2


def test_filters_sorting_pages_and_the_next_task(harness):
    rt = harness
    people = rt.people()
    ids = _tasks(rt, people, 5)
    worker = rt.actor_of(people.worker_id)
    with rt.session() as session:
        for row in session.scalars(select(HumanTask)):
            row.org_unit_id = people.unit_id
    at = now()
    with rt.session() as session:
        page = inbox.task_page(session, worker, tab="group", at=at, per_page=2)
        assert [t.business_key for t in page.rows] == ["WO-01", "WO-02"] and (page.total, page.pages) == (5, 3)
        last = inbox.task_page(session, worker, tab="group", at=at, per_page=2, page=7)
        assert last.page == 3 and [t.business_key for t in last.rows] == ["WO-05"]
        by_key = inbox.task_page(session, worker, tab="group", at=at, sort="key", descending=True)
        assert [t.business_key for t in by_key.rows] == ["WO-05", "WO-04", "WO-03", "WO-02", "WO-01"]
        by_due = inbox.task_page(session, worker, tab="group", at=at, sort="due", descending=True)
        assert by_due.rows[0].business_key == "WO-05"

        def keys(**flt):
            return [t.business_key for t in inbox.task_page(session, worker, tab="group", at=at,
                                                            flt=inbox.TaskFilter(**flt)).rows]

        assert keys(search="-03") == ["WO-03"]
        assert keys(search="_") == []  # LIKE wildcards are plain characters
        assert keys(search="zzz", search_keys=["WO-04"]) == ["WO-04"]
        assert keys(only_keys=["WO-02", "WO-05", "nope"]) == ["WO-02", "WO-05"]
        assert keys(only_keys=select(HumanTask.business_key).where(HumanTask.business_key == "WO-01")) == ["WO-01"]
        assert keys(title="Do the job", process_key="timer_task") == ["WO-01", "WO-02", "WO-03", "WO-04", "WO-05"]
        assert keys(process_key="repair") == []
        assert keys(created_from=at + timedelta(minutes=1)) == []
        assert keys(created_before=at + timedelta(minutes=1)) != []
        assert keys(overdue=True) == []
    later = at + timedelta(hours=2, minutes=30)
    with rt.session() as session:
        overdue = inbox.task_page(session, worker, tab="group", at=later, flt=inbox.TaskFilter(overdue=True))
        assert [t.business_key for t in overdue.rows] == ["WO-01", "WO-02"]
        assert inbox.counts(session, worker, at=later)["overdue"] == 2

        # next: the same business key first, else the most urgent task of my own, else nothing
        assert inbox.next_task(session, worker, business_key="WO-03", exclude=None).id == ids[2]
        assert inbox.next_task(session, worker, business_key="WO-03", exclude=ids[2]) is None
        claim(session, task_id=ids[4], actor=worker, policy=TASK_POLICY)
        assert inbox.next_task(session, worker, business_key="WO-99").id == ids[4]
        assert inbox.open_tasks_by_key(session, worker, {"WO-02", "WO-77"}) == {"WO-02": ids[1]}
