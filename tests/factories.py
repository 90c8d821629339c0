"""Test helpers: scenario diagrams, people, actors and a thin harness over one runtime.

Everything here drives the real code paths (``bootstrap``, the Alembic migrations, the advance
routine, the inline dispatcher); the harness only saves tests from repeating transaction
boilerplate. Each helper opens its own unit of work, exactly as a web request or a Celery task does.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine import advance
from engine.actor import SYSTEM, Actor
from engine.db import unit_of_work
from engine.deployments import deploy, deploy_path
from engine.models import AuditEvent, HumanTask, OutboxMessage, ProcessDefinition, ProcessInstance
from workflows.people.models import Campus, OrgUnit, RoleAssignment, School, User
from workflows.people.service import actor_for

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SCENARIOS = TESTS / "bpmn_scenarios"
BPMN_DIR = REPO / "bpmn"
FAST_HASH = "pbkdf2:sha256:1000"


class Worded(Exception):
    """An error that offers its words as the outbox reads them (``message`` and ``params``), as the domain's refusals do."""

    def __init__(self, message: str, **params):
        super().__init__(message % params)
        self.message, self.params = message, params


def scenario(name: str, **replacements: str) -> dict[str, str]:
    """``{file name: XML}`` for one scenario diagram, with literal text replacements applied.

    ``script_step.bpmn`` carries the placeholder ``SCRIPT_BODY`` and ``service_call.bpmn`` the
    placeholder ``OPERATOR``, so one diagram serves many probes.
    """
    text = (SCENARIOS / f"{name}.bpmn").read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"{old!r} does not occur in {name}.bpmn"
        text = text.replace(old, new)
    return {f"{name}.bpmn": text}


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``text``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def actor(user_id: int | None = None, *roles: tuple[str, int | None] | str, school_id: int | None = None,
          name: str | None = None) -> Actor:
    """An engine actor; a bare role string means the role in every unit."""
    grants = frozenset((r, None) if isinstance(r, str) else r for r in roles)
    return Actor(id=user_id, name=name or f"user{user_id}", school_id=school_id, grants=grants)


@dataclass
class People:
    school_id: int
    unit_id: int
    worker_id: int
    clerk_id: int
    supervisor_id: int


def seed_people(session: Session) -> People:
    """One school, one team, and a worker, a clerk and a supervisor in it."""
    school = School(code=f"s{session.scalar(select(func.count(School.id))) + 1}", name="Test school")
    session.add(school)
    session.flush()
    team = OrgUnit(school_id=school.id, kind="team", name="Plumbing")
    session.add(team)
    session.flush()
    users = {role: make_user(session, username=f"{role}-{school.id}", password=f"pw-{role}", school_id=school.id,
                             roles=[(role, team.id)])
             for role in ("worker", "clerk", "supervisor")}
    return People(school.id, team.id, users["worker"].id, users["clerk"].id, users["supervisor"].id)


def make_user(session: Session, *, username: str, password: str, school_id: int | None,
              roles: list[tuple[str, int | None]]) -> User:
    """A user with a cheap password hash (the real scrypt default costs ~0.15 s per user)."""
    user = User(username=username, display_name=username.title(), school_id=school_id,
                password_hash=generate_password_hash(password, method=FAST_HASH))
    user.roles = [RoleAssignment(role=role, org_unit_id=unit, school_id=school_id) for role, unit in roles]
    session.add(user)
    session.flush()
    return user


class Harness:
    """One bootstrapped runtime (migrated schema, inline dispatcher) plus shortcuts for tests."""

    def __init__(self, runtime):
        self.runtime = runtime
        self.host = runtime.host
        self.registry = runtime.host.registry

    @contextmanager
    def session(self) -> Iterator[Session]:
        with unit_of_work(self.host.session_factory) as session:
            yield session

    # --- deployments ------------------------------------------------------------------------

    def deploy(self, files: dict[str, str], **kwargs) -> tuple[int, int, bool]:
        """Deploy and commit; return (definition id, version, created)."""
        with self.session() as session:
            definition, created = deploy(session, files=files, registry=self.registry, deployed_by="test", **kwargs)
            return definition.id, definition.version, created

    def deploy_scenario(self, name: str, **replacements: str) -> int:
        return self.deploy(scenario(name, **replacements))[0]

    def deploy_path(self, path: Path = BPMN_DIR) -> list[tuple[str, int, bool]]:
        with self.session() as session:
            return [(d.process_key, d.version, created)
                    for d, created in deploy_path(session, path, registry=self.registry, deployed_by="test")]

    # --- running ----------------------------------------------------------------------------

    def start(self, process_key: str, *, data: dict[str, Any] | None = None, business_key: str | None = None,
              school_id: int | None = None, actor: Actor = SYSTEM) -> int:
        with self.session() as session:
            instance = advance.start(self.host, session, process_key=process_key, actor=actor, business_key=business_key,
                                     school_id=school_id, data=data)
            return instance.id

    def complete(self, task_id: str, actor: Actor, data: dict[str, Any] | None = None) -> str:
        with self.session() as session:
            return advance.complete_task(self.host, session, task_id=task_id, actor=actor, data=data).status

    def wake(self, instance_id: int, *, background: bool = True) -> advance.Outcome:
        with self.session() as session:
            return advance.wake(self.host, session, instance_id=instance_id, background=background)

    # --- reading ----------------------------------------------------------------------------

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.session() as session:
            return session.get(ProcessInstance, instance_id)

    def workflow(self, instance_id: int):
        return advance.load_workflow(self.host, self.instance(instance_id))

    def data(self, instance_id: int) -> dict[str, Any]:
        """Task data of the workflow's last completed task (the end event's, once completed)."""
        return dict(self.workflow(instance_id).last_task.data)

    def tasks(self, instance_id: int | None = None) -> list[HumanTask]:
        with self.session() as session:
            stmt = select(HumanTask).order_by(HumanTask.created_at, HumanTask.task_name)
            if instance_id is not None:
                stmt = stmt.where(HumanTask.instance_id == instance_id)
            return list(session.scalars(stmt))

    def task(self, instance_id: int, task_name: str) -> HumanTask:
        matches = [t for t in self.tasks(instance_id) if t.task_name == task_name]
        assert len(matches) == 1, f"expected one open {task_name!r}, found {[t.task_name for t in self.tasks(instance_id)]}"
        return matches[0]

    def audit(self, instance_id: int | None = None, action: str | None = None) -> list[AuditEvent]:
        with self.session() as session:
            stmt = select(AuditEvent).order_by(AuditEvent.id)
            if instance_id is not None:
                stmt = stmt.where(AuditEvent.instance_id == instance_id)
            if action is not None:
                stmt = stmt.where(AuditEvent.action == action)
            return list(session.scalars(stmt))

    def actions(self, instance_id: int) -> list[str]:
        return [event.action for event in self.audit(instance_id)]

    def outbox(self, instance_id: int | None = None) -> list[OutboxMessage]:
        with self.session() as session:
            stmt = select(OutboxMessage).order_by(OutboxMessage.id)
            if instance_id is not None:
                stmt = stmt.where(OutboxMessage.instance_id == instance_id)
            return list(session.scalars(stmt))

    def definitions(self) -> list[ProcessDefinition]:
        with self.session() as session:
            return list(session.scalars(select(ProcessDefinition).order_by(ProcessDefinition.id)))

    def people(self) -> People:
        with self.session() as session:
            return seed_people(session)

    def actor_of(self, user_id: int) -> Actor:
        with self.session() as session:
            return actor_for(session, session.get(User, user_id))

    def snapshot(self, instance_id: int) -> dict[str, Any]:
        """Everything a state change of one instance would touch, for before/after comparisons."""
        inst = self.instance(instance_id)
        return {
            "state": inst.state, "version": inst.version, "status": inst.status, "next_wake_at": inst.next_wake_at,
            "error": inst.error, "audit": len(self.audit(instance_id)), "outbox": len(self.outbox(instance_id)),
            "tasks": sorted((t.id, t.assignee_id) for t in self.tasks(instance_id)),
        }

    def totals(self) -> tuple[int, int, int, int]:
        """Row counts across all instances: (audit, outbox, human tasks, instances)."""
        with self.session() as session:
            return tuple(session.scalar(select(func.count()).select_from(model))
                         for model in (AuditEvent, OutboxMessage, HumanTask, ProcessInstance))


class Clock:
    """A frozen clock driven by time-machine; ``advance`` jumps, nothing ever sleeps."""

    def __init__(self, traveller, start: datetime):
        self._traveller = traveller
        self.start = start
        self.now = start

    def to(self, instant: datetime) -> datetime:
        self._traveller.move_to(instant)
        self.now = instant
        return instant

    def advance(self, **delta: float) -> datetime:
        return self.to(self.now + timedelta(**delta))


def campus_named(session: Session, school_id: int, name: str) -> int | None:
    """The id of the school's campus called ``name`` (None when it has none of that name)."""
    return session.scalar(select(Campus.id).where(Campus.school_id == school_id, Campus.name == name))


def campus_of_another_school(session: Session, name: str = "外校校区") -> int:
    """The id of a campus of a second school, made here: a campus no person of the first may be given."""
    school = School(code="other", name="另一所学院")
    session.add(school)
    session.flush()
    campus = Campus(school_id=school.id, name=name)
    session.add(campus)
    session.flush()
    return campus.id
