"""Plan occurrences on the production path: Celery beat runs the registered periodic job, a real worker
generates the occurrence on PostgreSQL, starts its process and sends its reminder; later beat runs add nothing."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from factories import seed_people
from sqlalchemy import func, select

from engine.models import OutboxMessage
from integration.test_celery_timer import _poll, services  # noqa: F401  (services is a fixture)
from workflows.people.models import User
from workflows.people.timezone import DEFAULT_TZ
from workflows.plans.models import PlanOccurrence
from workflows.plans.service import PlanInput, create_plan

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_beat_and_worker_generate_each_occurrence_once_and_remind(runtime, pg_url, services, tmp_path):
    rt = runtime(pg_url)  # the database the services fixture gives the worker
    rt.deploy_path()
    tomorrow = datetime.now(DEFAULT_TZ).date() + timedelta(days=1)
    with rt.session() as session:
        people = seed_people(session)
        supervisor = session.get(User, people.supervisor_id)
        create_plan(session, school_id=people.school_id, created_by=supervisor, entry=PlanInput(
            title="设备维护保养", unit_id=people.unit_id, responsible_id=people.worker_id, recurrence="weekly",
            starts_on=tomorrow, checklist=["检查电机"]))

    def counts() -> tuple[int, int, int]:
        with rt.session() as session:
            return (session.scalar(select(func.count(PlanOccurrence.id))),
                    session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "plans.reminder")),
                    session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "plans.reminder",
                                                                              OutboxMessage.status == "sent")))

    assert counts() == (0, 0, 0)
    services.env["HOUQIN_PERIODIC_SECONDS"] = "1"
    services.start("worker", "worker", "--pool=solo", "--loglevel=INFO", "-n", f"houqin-plans-{uuid.uuid4().hex[:8]}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat")
    services.start("beat", "beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid"))
    _poll(services, "the occurrence and its reminder", lambda: counts()[2] >= 1)

    def job_runs() -> int:
        return services.log("worker").count("houqin.run_periodic_job[") // 2  # "received" + "succeeded" lines
    seen = job_runs()
    _poll(services, "three more generator runs", lambda: job_runs() >= seen + 3, timeout=30)
    try:
        assert counts() == (1, 1, 1)  # next week's date is beyond the look-ahead; nothing twice
        with rt.session() as session:
            occurrence = session.scalar(select(PlanOccurrence))
            assert occurrence.occurs_on == tomorrow and occurrence.status == "reminded"
    except AssertionError as err:
        raise AssertionError(f"{err}\n{services.logs()}") from err
