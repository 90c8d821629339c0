"""Helpers for the rules admin tests: the app with the demo school, orders moved through time, logins.

The Chinese catalog in ``webapp/translations`` is maintained separately; until it has this feature's strings,
:data:`zh_catalog.ZH` supplies them through an extra translations folder that Flask-Babel reads *before* the real
one (so an entry of the real catalog always wins). The page tests therefore check real Chinese output either way.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from clockwork import advance_to
from sqlalchemy import select
from zh_catalog import ZH

PASSWORD = "houqin-demo"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(page: str) -> str:
    match = _CSRF.search(page)
    assert match, "no csrf_token on the page"
    return match.group(1) or match.group(2)


def write_overlay(directory: Path) -> Path:
    """A translations folder holding :data:`ZH` as the zh_Hans_CN ``messages`` catalog."""
    catalog = Catalog(locale="zh_Hans_CN", domain="messages")
    for msgid, msgstr in ZH.items():
        catalog.add(msgid, (msgstr,) if isinstance(msgid, tuple) else msgstr)
    target = directory / "zh_Hans_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    return directory


@dataclass
class Site:
    """The app, its runtime and a few story-level helpers (orders, tasks, time, logins)."""

    app: object
    traveller: object
    school_id: int = 0

    @property
    def runtime(self):
        return self.app.extensions["houqin"]

    @property
    def host(self):
        return self.runtime.host

    def session(self):
        from engine.db import unit_of_work

        return unit_of_work(self.host.session_factory)

    # --- web ---------------------------------------------------------------------------------
    def client(self, username: str | None = None):
        client = self.app.test_client()
        if username:
            token = csrf_from(client.get("/login").get_data(as_text=True))
            response = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
            assert response.status_code == 302, f"{username} could not log in"
        return client

    # --- orders and time ----------------------------------------------------------------------
    def now(self) -> datetime:
        from engine.clock import now

        return now()

    def report(self, item_code: str = "W01", description: str = "三楼水管漏水") -> str:
        from workflows.catalogue.models import CatalogueItem
        from workflows.people.models import Campus, User
        from workflows.repair.enums import Channel
        from workflows.repair.service import Intake, create_order

        with self.session() as session:
            requester = session.scalar(select(User).where(User.username == "requester"))
            item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == item_code,
                                                              CatalogueItem.school_id == self.school_id))
            campus = session.scalar(select(Campus.id).where(Campus.school_id == self.school_id))
            order = create_order(session, self.host, school_id=self.school_id, uploads_dir=self.runtime.uploads_dir,
                                 intake=Intake(channel=Channel.portal, requester_id=requester.id,
                                               contact_name=requester.display_name, contact_phone="13800000000",
                                               campus_id=campus, catalogue_item_id=item.id, description=description))
            return order.number

    def do(self, number: str, task_name: str, username: str, **data) -> None:
        from engine import advance
        from engine.models import HumanTask
        from forms.builder import validate_mapping
        from workflows.people.models import User
        from workflows.people.service import actor_for

        with self.session() as session:
            [task] = session.scalars(select(HumanTask).where(HumanTask.business_key == number,
                                                             HumanTask.task_name == task_name)).all()
            definition = self.runtime.forms[task.form_key]
            source = lambda name: self.runtime.form_sources[name](  # noqa: E731
                session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
            valid, errors, cleaned = validate_mapping(definition, data, source=source)
            assert valid, errors
            user = session.scalar(select(User).where(User.username == username))
            advance.complete_task(self.host, session, task_id=task.id, actor=actor_for(session, user), data=cleaned)

    def accepted_order(self, item_code: str = "W01") -> str:
        number = self.report(item_code)
        self.do(number, "review", "auditor", decision="accept")
        return number

    def advance_to(self, when: datetime) -> None:
        """Move the clock to ``when``, running every wake-up that falls due on the way, in order."""
        advance_to(self.host, self.traveller, when)

    def wait(self, **delta) -> None:
        self.advance_to(self.now() + timedelta(**delta))

    def order(self, number: str):
        from workflows.repair.models import WorkOrder

        with self.session() as session:
            return session.scalar(select(WorkOrder).where(WorkOrder.number == number))

    def rule_sets(self) -> list:
        from rules.models import RuleSet

        with self.session() as session:
            return list(session.scalars(select(RuleSet).order_by(RuleSet.version)))

    def wait_for_job(self, job_id: int, *, attempts: int = 100, pause: float = 0.1):
        """The re-arm job once it is done (polls its row; at most ``attempts`` × ``pause`` seconds)."""
        from rules.models import RearmJob

        for _ in range(attempts):
            with self.session() as session:
                job = session.get(RearmJob, job_id)
                if job.status == "done":
                    return job
            time.sleep(pause)
        pytest.fail(f"re-arm job {job_id} did not finish within {attempts * pause:.0f} s (status {job.status})")
