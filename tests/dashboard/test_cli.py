"""``houqin refresh-figures`` and ``houqin make-reports``: the embedded mode's (cron's) way to run what Celery beat
runs, on the demo school with its seeded history."""
from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from webapp.cli import cli


def _fortnight(app) -> dict:
    from workflows.dashboard import figures, local_day_bounds
    from workflows.people.models import School

    start, end = local_day_bounds(date(2026, 11, 17), date(2026, 12, 1))
    with app.extensions["houqin"].host.session_factory() as session:
        school_id = session.scalar(select(School.id))
        return figures(session, school_id=school_id, start=start, end=end)


def test_refresh_figures_and_make_reports_from_the_command_line(tmp_path):
    from webapp import create_app
    from webapp.config import Settings
    from workflows.dashboard.models import DailyFigure
    from workflows.reports.models import ServiceReport

    settings = Settings(database_url=f"sqlite:///{tmp_path}/cli.db", redis_url=None, secret_key="t", data_dir=tmp_path)
    apps = []

    def invoke(*args: str):
        info = ScriptInfo(create_app=lambda: apps.append(create_app(settings=settings)) or apps[-1])
        result = CliRunner().invoke(cli, list(args), obj=info)
        assert result.exit_code == 0, result.output
        return result.output

    try:
        with time_machine.travel(datetime(2026, 12, 1, 2, tzinfo=UTC), tick=False):
            invoke("init-db")
            invoke("deploy")
            invoke("demo-data")
            live = _fortnight(apps[-1])
            assert live["figures"]["received"] > 400
            assert "school-days" in invoke("refresh-figures")
            assert _fortnight(apps[-1]) == live  # the seeded history: whole days from the table, same figures
            first = invoke("make-reports")
            assert invoke("make-reports") == "made 0 reports\n"  # nothing twice
        session = apps[-1].extensions["houqin"].host.session_factory()
        with session:
            assert session.scalar(select(func.sum(DailyFigure.received))) > 0
            reports = list(session.scalars(select(ServiceReport)))
        assert first == f"made {len(reports)} reports\n" and {r.status for r in reports} == {"done"}
        assert all((tmp_path / "reports" / str(r.school_id) / r.pdf_name).is_file() for r in reports)
    finally:
        for app in apps:
            app.extensions["houqin"].db_engine.dispose()
