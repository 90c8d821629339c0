"""Helpers for the order-page tests (the ``site`` fixture is in conftest.py): a Site around the app with the demo
school seeded, test clients logged in through the real login form (in English, so the assertions do not depend on
the Chinese catalogue), forms posted with the CSRF token scraped from the page, and shortcuts that move an order
through its tasks and the frozen clock forward.

This folder is ``tests/pages`` rather than ``tests/webapp``: ``tests/`` is on ``sys.path`` during the run, so a
``tests/webapp`` folder would be imported as a namespace package in place of the real ``webapp`` (which the editable
install only finds afterwards), and ``webapp.create_app`` would vanish for every test.
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from seeded import START, demo_school_id, seed_site, seeded_sqlite
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from engine.db import unit_of_work
from workflows.demo import DEMO_PASSWORD
from workflows.people.models import School, User
from workflows.people.service import create_user
from workflows.repair.models import WorkOrder

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1) or match.group(2)


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"  # the smallest file the upload checks take for a PDF


def png_bytes(size=(40, 30), colour=(200, 60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


class Client:
    """A test client for one person: ``page`` GETs and checks the status, ``submit`` posts a form with the CSRF
    token scraped from the form page, like a browser would."""

    def __init__(self, flask_client):
        self.http = flask_client

    def get(self, path: str, **kwargs):
        """GET, read to the end (so a served file is closed at once)."""
        return self.http.get(path, buffered=True, **kwargs)

    def page(self, path: str, status: int = 200) -> str:
        response = self.get(path)
        assert response.status_code == status, (path, response.status_code)
        return response.get_data(as_text=True)

    def submit(self, path: str, data: dict, *, form_page: str | None = None, **kwargs):
        token = csrf_from(self.page(form_page or path))
        return self.post(path, {"csrf_token": token, **data}, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        """POST ``data`` as multipart/form-data; ``(stream, filename)`` values are files.

        The body is encoded in memory: the test client would spool a large one to a temporary file that nobody
        closes when the app refuses the request unread (413), which pytest reports as a ResourceWarning.
        """
        values = MultiDict()
        for name, value in data.items():
            for one in value if isinstance(value, list) else [value]:
                if isinstance(one, tuple):
                    stream, filename = one
                    one = FileStorage(stream=stream, filename=filename, content_type="image/png")
                values.add(name, one)
        boundary, body = encode_multipart(values)
        return self.http.post(path, data=body, content_type=f'multipart/form-data; boundary="{boundary}"', **kwargs)


@dataclass
class Site:
    app: object
    traveller: object
    school_id: int

    @property
    def runtime(self):
        return self.app.extensions["houqin"]

    @contextmanager
    def db(self):
        with unit_of_work(self.runtime.host.session_factory) as session:
            yield session

    def client(self, username: str | None = None) -> Client:
        client = Client(self.app.test_client())
        client.page("/login?lang=en")
        if username is not None:
            response = client.http.post("/login", data={"csrf_token": csrf_from(client.page("/login")),
                                                        "username": username, "password": DEMO_PASSWORD})
            assert response.status_code == 302, f"{username} could not log in"
        return client

    def user(self, username: str) -> User:
        with self.db() as session:
            return session.scalar(select(User).where(User.username == username))

    def set_phone(self, username: str, phone: str) -> None:
        with self.db() as session:
            session.scalar(select(User).where(User.username == username)).phone = phone

    def order(self, number: str) -> WorkOrder:
        with self.db() as session:
            return session.scalar(select(WorkOrder).where(WorkOrder.number == number))

    def order_count(self) -> int:
        with self.db() as session:
            return session.scalar(select(func.count(WorkOrder.id)))

    def stored_files(self) -> list[Path]:
        uploads = self.runtime.uploads_dir
        return sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []

    def other_school_user(self, username: str, role: str) -> None:
        """A user of a second school, who must never see the demo school's orders."""
        with self.db() as session:
            school = School(code=f"other-{username}", name="Other college")
            session.add(school)
            session.flush()
            create_user(session, username=username, password=DEMO_PASSWORD, display_name=username,
                        school_id=school.id, roles=[(role, None)])

    # --- orders and tasks without the web pages (to reach later steps quickly) ------------------------------
    def report(self, description: str = "三楼水管漏水", *, username: str = "requester", item_code: str = "W01") -> str:
        from workflows.catalogue.models import CatalogueItem
        from workflows.people.models import Campus
        from workflows.repair.enums import Channel
        from workflows.repair.service import Intake, create_order

        with self.db() as session:
            requester = session.scalar(select(User).where(User.username == username))
            item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == item_code))
            campus = session.scalar(select(Campus.id).where(Campus.school_id == self.school_id))
            order = create_order(session, self.runtime.host, school_id=self.school_id, uploads_dir=self.runtime.uploads_dir,
                                 intake=Intake(channel=Channel.portal, requester_id=requester.id,
                                               contact_name=requester.display_name, contact_phone="13800000000",
                                               campus_id=campus, catalogue_item_id=item.id, description=description))
            return order.number

    def do(self, number: str, task_name: str, username: str, **data) -> None:
        """``username`` completes the open task ``task_name`` of order ``number``, validated as the task page does."""
        from engine.advance import complete_task
        from engine.models import HumanTask
        from forms.builder import validate_mapping
        from workflows.people.service import actor_for

        with self.db() as session:
            task = session.scalar(select(HumanTask).where(HumanTask.business_key == number,
                                                          HumanTask.task_name == task_name))
            assert task is not None, f"no open {task_name} on {number}"
            source = lambda name: self.runtime.form_sources[name](  # noqa: E731
                session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
            valid, errors, cleaned = validate_mapping(self.runtime.forms[task.form_key], data, source=source)
            assert valid, errors
            user = session.scalar(select(User).where(User.username == username))
            complete_task(self.runtime.host, session, task_id=task.id, actor=actor_for(session, user), data=cleaned)

    def done_job(self) -> str:
        """A reported order repaired by the worker, so the requester's rating task is open."""
        number = self.report()
        self.do(number, "review", "auditor", decision="accept")
        self.do(number, "dispatch", "auditor", team_id=str(self.order(number).team_id), worker_id=str(self.user("worker").id))
        self.do(number, "accept_job", "worker", decision="accept")
        self.do(number, "complete_job", "worker", result="换了阀门", materials="阀门 1 个")
        return number

    def wait(self, **delta) -> None:
        """Move the frozen clock forward and run the wake-ups that fell due."""
        from datetime import timedelta

        from engine.wakeups import run_once

        self.traveller.shift(timedelta(**delta))
        run_once(self.runtime.host)


@contextmanager
def open_site(tmp_path: Path, *, modules: tuple | None = None, diagrams: tuple[Path, ...] = (),
              webhook_allow: frozenset[str] = frozenset()):
    """The real app on a SQLite file under ``tmp_path`` (CSRF on), bpmn/ deployed, the demo school seeded,
    the clock frozen at :data:`START`; ``modules`` replaces the shipped process modules and ``diagrams`` are
    deployed too; ``webhook_allow`` is the ``HOUQIN_WEBHOOK_ALLOW`` setting. The shipped site is a copy of the one
    this test process seeded (:mod:`seeded`); a site with other modules or diagrams is seeded for the test."""
    import time_machine

    import webapp
    import webapp.config

    database = tmp_path / "t.db"
    if modules is None and not diagrams:
        seeded_sqlite(database)
    else:
        seed_site(f"sqlite:///{database}", tmp_path, diagrams, modules)
    with time_machine.travel(START, tick=False) as traveller:
        settings = webapp.config.Settings(database_url=f"sqlite:///{database}", redis_url=None,
                                          secret_key="test", data_dir=tmp_path, webhook_allow=webhook_allow)
        app = webapp.create_app(config={"TESTING": True, "WTF_CSRF_ENABLED": True}, settings=settings, modules=modules)
        runtime = app.extensions["houqin"]
        with unit_of_work(runtime.host.session_factory) as session:
            school_id = demo_school_id(session)
        yield Site(app, traveller, school_id)
        runtime.db_engine.dispose()


def enter_plan_and_delegate(site, *, responsible: str = "worker") -> None:
    """A monthly plan entered by the supervisor (its first occurrence starts at once) and a task a leader delegates,
    both to ``responsible``: open plan and delegated-task steps beside the repair tasks."""
    from workflows.people.models import OrgUnit

    person = site.user(responsible)
    with site.db() as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.parent_id.is_(None)))
    assert site.client("supervisor").submit("/plans/new", {
        "title": "消防器材月检", "unit_id": str(unit), "responsible_id": str(person.id), "places": "图书馆",
        "recurrence": "monthly", "interval": "1", "starts_on": "2026-11-18", "duration_days": "1", "checklist": "灭火器",
        "evidence": ["photos"]}).status_code == 302
    assert site.client("leader").submit("/tasks-supervision/new", {
        "title": "迎新宿舍检修", "acceptance_criteria": "全部宿舍验收合格", "priority": "high",
        "deadline": "2026-11-30T17:00", "assignee_id": str(person.id), "unit_id": ""}).status_code == 302


def dashboard_cards(client: Client, module: str) -> dict[str, tuple[int, str]]:
    """The dashboard's cards of ``module`` as ``client`` reads them: each one's figure and the link it opens."""
    section = client.page("/dashboard").split(f'data-module="{module}"', 1)[1].split("</section>", 1)[0]
    return {key: (int(value), link.replace("&amp;", "&")) for key, link, value in re.findall(
        r'data-figure="(\w+)" href="([^"]+)">\s*<span class="figure-value" data-testid="figure-\w+">(\d+)<', section)}
