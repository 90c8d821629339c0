"""Fixtures for the rules admin pages: the real app on a SQLite file, the demo school, frozen time, logins."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))

from rules_admin_site import Site, write_overlay  # noqa: E402
from seeded import START, seeded_sqlite  # noqa: E402

from workflows.people.models import User  # noqa: E402


@pytest.fixture
def site(tmp_path):
    import webapp
    import webapp.config

    overlay = write_overlay(tmp_path / "translations-overlay")
    settings = webapp.config.Settings(database_url=seeded_sqlite(tmp_path / "t.db"), redis_url=None, secret_key="test",
                                      data_dir=tmp_path)
    with time_machine.travel(START, tick=False) as traveller:
        app = webapp.create_app(config={"TESTING": True, "BABEL_TRANSLATION_DIRECTORIES": f"{overlay};translations"},
                                settings=settings)
        runtime = app.extensions["houqin"]
        result = Site(app, traveller)
        with result.session() as session:
            result.school_id = session.scalar(select(User.school_id).where(User.username == "admin"))
        yield result
        runtime.db_engine.dispose()
