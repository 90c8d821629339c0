"""The scheduled reports and the daily-figures refresh through a real Celery worker on Redis and PostgreSQL:
the schedule job queues last month's and last quarter's school reports, the worker writes their files under the
data dir and notifies the subscriber; the refresh job fills the daily table. Beat's entries are checked by name
(their first run is an interval away); the test sends the same tasks beat would."""
from __future__ import annotations

import uuid

import pytest
from celery import Celery
from sqlalchemy import func, select

from integration.test_celery_timer import _poll, services  # noqa: F401  (the fixture)
from workflows.dashboard.models import DailyFigureState
from workflows.notifications.models import Notification
from workflows.reports.models import ReportSubscription, ServiceReport

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_worker_makes_the_scheduled_reports_and_refreshes_the_daily_figures(runtime, pg_url, redis_url, services,
                                                                            tmp_path):
    rt = runtime(pg_url)
    people = rt.people()
    with rt.session() as session:
        session.add(ReportSubscription(user_id=people.supervisor_id, school_id=people.school_id, unit_key=0))
    services.start("worker", "worker", "--pool=solo", "--loglevel=INFO", "-n", f"houqin-test-{uuid.uuid4().hex[:8]}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat")
    client = Celery("houqin-test", broker=redis_url)
    try:
        client.send_task("houqin.run_periodic_job", args=["service_reports"])
        client.send_task("houqin.run_periodic_job", args=["daily_figures"])
    finally:
        client.close()

    def reports():
        with rt.session() as session:
            rows = list(session.scalars(select(ServiceReport)))
            return rows if rows and all(r.status == "done" for r in rows) else None

    done = _poll(services, "the scheduled reports", reports)
    assert sorted(r.period for r in done) == ["month", "quarter"]  # the school's; the test school has no unit
    for report in done:
        folder = tmp_path / "data" / "reports" / str(report.school_id)
        assert (folder / report.pdf_name).read_bytes().startswith(b"%PDF")
        assert (folder / report.xlsx_name).stat().st_size > 0
    _poll(services, "the subscriber's notifications", lambda: _count(rt, Notification, people.supervisor_id) == 2)
    _poll(services, "the daily refresh", lambda: _state(rt, people.school_id))
    worker_log = services.log("worker")
    assert worker_log.count("houqin.run_periodic_job[") >= 4  # both jobs: "received" + "succeeded" lines


def _count(rt, model, user_id) -> int:
    with rt.session() as session:
        return session.scalar(select(func.count(model.id)).where(model.user_id == user_id, model.kind == "report.ready"))


def _state(rt, school_id):
    with rt.session() as session:
        return session.get(DailyFigureState, school_id)


def test_beat_runs_the_refresh_and_the_report_schedule(redis_url, tmp_path):
    from workflows.bootstrap import bootstrap

    built = bootstrap(database_url=f"sqlite:///{tmp_path}/beat.db", redis_url=redis_url, data_dir=tmp_path)
    try:
        schedule = {entry["args"][0]: entry["schedule"] for entry in built.celery.conf.beat_schedule.values()
                    if entry["task"] == "houqin.run_periodic_job"}
        assert schedule["daily_figures"] == 600 and schedule["service_reports"] == 3600
        assert built.celery.houqin_report_making.folder == tmp_path / "reports"
    finally:
        built.db_engine.dispose()
