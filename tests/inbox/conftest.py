"""Fixtures for the inbox, task page and bell tests: the order pages' ``Site`` (real app, CSRF on, bpmn/ deployed,
demo school seeded, frozen clock; see tests/pages/websupport.py) plus a few more staff of the demo school."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

import webapp
import webapp.config
import webapp.migrate
from engine.db import unit_of_work
from engine.deployments import deploy_path
from workflows.demo import seed
from workflows.people.models import User

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import ROOT, START, Site  # noqa: E402


@pytest.fixture
def site(tmp_path):
    with time_machine.travel(START, tick=False) as traveller:
        settings = webapp.config.Settings(database_url=f"sqlite:///{tmp_path}/t.db", redis_url=None,
                                          secret_key="test", data_dir=tmp_path)
        app = webapp.create_app(config={"TESTING": True, "WTF_CSRF_ENABLED": True}, settings=settings)
        runtime = app.extensions["houqin"]
        webapp.migrate.upgrade_to_head(runtime.db_engine)
        with unit_of_work(runtime.host.session_factory) as session:
            deploy_path(session, ROOT / "bpmn", registry=runtime.host.registry)
            seed(session, runtime.host)
            school_id = session.scalar(select(User.school_id).where(User.username == "requester"))
        yield Site(app, traveller, school_id)
        runtime.db_engine.dispose()

