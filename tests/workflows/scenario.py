"""A driver for whole repair scenarios: a seeded school, orders, tasks done by named demo users,
and time moved with time-machine. Tests read as the story they check."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import time_machine
from clockwork import advance_to
from seeded import START, demo_school_id
from sqlalchemy import select

from engine import advance
from engine.db import unit_of_work
from engine.models import AuditEvent, HumanTask, OutboxMessage, ProcessInstance
from forms.builder import validate_mapping
from workflows.bootstrap import bootstrap
from workflows.catalogue.models import CatalogueItem
from workflows.notifications.models import Notification
from workflows.people.models import Campus, User
from workflows.people.service import actor_for
from workflows.repair.enums import Channel
from workflows.repair.models import Urging, WorkOrder
from workflows.repair.service import Intake, create_order


@dataclass
class Scenario:
    runtime: object
    traveller: object  # time_machine traveller, tick=False
    school_id: int = 0

    @classmethod
    @contextmanager
    def running(cls, database_url: str, data_dir: Path) -> Iterator[Scenario]:
        """The scenario on a database that holds the shipped site (:mod:`seeded`: a copy, or a PostgreSQL clone), the
        clock frozen at its :data:`~seeded.START`; the runtime's connections closed after."""
        with time_machine.travel(START, tick=False) as traveller:
            runtime = bootstrap(database_url=database_url, data_dir=data_dir)
            scenario = cls(runtime, traveller)
            with unit_of_work(runtime.host.session_factory) as session:
                scenario.school_id = demo_school_id(session)
            try:
                yield scenario
            finally:
                runtime.db_engine.dispose()

    # --- time ---------------------------------------------------------------------------
    @property
    def host(self):
        return self.runtime.host

    def now(self) -> datetime:
        from engine.clock import now

        return now()

    def advance_to(self, when: datetime) -> None:
        """Move the clock to ``when``, running every wake-up that falls due on the way, in order."""
        advance_to(self.host, self.traveller, when)

    def wait(self, **delta) -> None:
        self.advance_to(self.now() + timedelta(**delta))

    # --- people and orders ------------------------------------------------------------------
    def user(self, username: str) -> User:
        with unit_of_work(self.host.session_factory) as session:
            return session.scalar(select(User).where(User.username == username))

    def report(self, description: str = "三楼水管漏水", item_code: str = "W01", channel=Channel.portal,
               entered_by: str | None = None) -> str:
        """A new order of the requester's; ``entered_by``: the username of who took it for them (counter, hotline)."""
        requester = self.user("requester")
        clerk_id = self.user(entered_by).id if entered_by else None
        with unit_of_work(self.host.session_factory) as session:
            item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == item_code))
            campus = session.scalar(select(Campus.id).where(Campus.school_id == self.school_id))
            order = create_order(session, self.host, school_id=self.school_id, uploads_dir=self.runtime.uploads_dir,
                                 intake=Intake(channel=channel, requester_id=requester.id, contact_name=requester.display_name,
                                               contact_phone="13800000000", campus_id=campus, catalogue_item_id=item.id,
                                               description=description, entered_by_id=clerk_id))
            return order.number

    def order(self, number: str) -> WorkOrder:
        with unit_of_work(self.host.session_factory) as session:
            return session.scalar(select(WorkOrder).where(WorkOrder.number == number))

    def open_tasks(self, number: str) -> list[HumanTask]:
        with unit_of_work(self.host.session_factory) as session:
            return list(session.scalars(select(HumanTask).where(HumanTask.business_key == number).order_by(HumanTask.created_at)))

    def task(self, number: str, name: str) -> HumanTask:
        matches = [t for t in self.open_tasks(number) if t.task_name == name]
        assert len(matches) == 1, f"expected one open {name} on {number}, found {[t.task_name for t in self.open_tasks(number)]}"
        return matches[0]

    def do(self, number: str, name: str, username: str, **data) -> None:
        """``username`` completes open task ``name`` of order ``number`` with form ``data``."""
        self.do_task(self.task(number, name).id, username, **data)

    def do_task(self, task_id: str, username: str, **data) -> None:
        """Validate ``data`` with the task's form as the web page would, then complete the task."""
        with unit_of_work(self.host.session_factory) as session:
            task = session.get(HumanTask, task_id)
            cleaned = data
            if task is not None:  # a closed task goes straight to the engine, which must refuse it
                definition = self.runtime.forms[task.form_key]
                source = lambda name: self.runtime.form_sources[name](  # noqa: E731
                    session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")
                valid, errors, cleaned = validate_mapping(definition, data, source=source)
                assert valid, errors
            user = session.scalar(select(User).where(User.username == username))
            advance.complete_task(self.host, session, task_id=task_id, actor=actor_for(session, user), data=cleaned)

    # --- what happened ----------------------------------------------------------------------
    def done_job(self, number: str) -> None:
        """Order ``number`` reviewed, dispatched to the demo worker, taken and completed: waiting for its rating."""
        self.do(number, "review", "auditor", decision="accept")
        self.do(number, "dispatch", "auditor", team_id=str(self.order(number).team_id), worker_id=str(self.user("worker").id))
        self.do(number, "accept_job", "worker", decision="accept")
        self.do(number, "complete_job", "worker", result="换了阀门", materials="阀门 1 个")

    def outbox(self, number: str, kind: str) -> list[OutboxMessage]:
        with unit_of_work(self.host.session_factory) as session:
            return list(session.scalars(select(OutboxMessage).where(OutboxMessage.business_key == number,
                                                                    OutboxMessage.kind == kind).order_by(OutboxMessage.id)))

    def notifications(self, username: str, kind: str) -> list[Notification]:
        user = self.user(username)
        with unit_of_work(self.host.session_factory) as session:
            return list(session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                                   Notification.kind == kind)))

    def audit(self, number: str, action: str) -> list[AuditEvent]:
        with unit_of_work(self.host.session_factory) as session:
            return list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == number,
                                                                 AuditEvent.action == action).order_by(AuditEvent.id)))

    def urgings(self, number: str) -> list[Urging]:
        order = self.order(number)
        with unit_of_work(self.host.session_factory) as session:
            return list(session.scalars(select(Urging).where(Urging.order_id == order.id).order_by(Urging.id)))

    def instance(self, number: str) -> ProcessInstance:
        with unit_of_work(self.host.session_factory) as session:
            return session.scalar(select(ProcessInstance).where(ProcessInstance.business_key == number))
