"""Fixtures for the rules admin pages: the real app on a SQLite file, the demo school, frozen time, logins."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))

from rules_admin_site import ROOT, START, Site, write_overlay  # noqa: E402


@pytest.fixture
def site(tmp_path):
    import webapp
    import webapp.config
    import webapp.migrate
    from engine.deployments import deploy_path
    from workflows.demo import seed
    from workflows.people.models import User

    overlay = write_overlay(tmp_path / "translations-overlay")
    settings = webapp.config.Settings(database_url=f"sqlite:///{tmp_path}/t.db", redis_url=None, secret_key="test",
                                      data_dir=tmp_path)
    with time_machine.travel(START, tick=False) as traveller:
        app = webapp.create_app(config={"TESTING": True, "BABEL_TRANSLATION_DIRECTORIES": f"{overlay};translations"},
                                settings=settings)
        runtime = app.extensions["houqin"]
        webapp.migrate.upgrade_to_head(runtime.db_engine)
        result = Site(app, traveller)
        with result.session() as session:
            deploy_path(session, ROOT / "bpmn", registry=runtime.host.registry)
            seed(session, runtime.host)
            result.school_id = session.scalar(select(User.school_id).where(User.username == "admin"))
        yield result
        runtime.db_engine.dispose()
