"""Managing people from the admin pages: find, create, edit, deactivate (never delete), reset passwords,
roles per unit (dated, acting), API tokens. Each change is audited with the values before and after."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.actor import Actor
from engine.assignment import reassign
from engine.clock import now
from engine.models import HumanTask
from engine.paging import PER_PAGE, Page, paged
from workflows.adminlog import changed, record_change
from workflows.people.enums import PeopleAction
from workflows.people.models import ApiToken, Campus, RoleAssignment, User
from workflows.people.permissions import TASK_POLICY
from workflows.people.phones import BadPhone, clean_phone
from workflows.people.service import actor_for, issue_token

PROFILE_FIELDS = ("display_name", "number", "kind", "campus_id", "phone", "email", "locale")


class AccountError(ValueError):
    """A refused change; ``code`` names the reason for the pages (``username_taken``, ``number_taken``…)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


PASSWORD_MIN = 8  # the one password rule: pages, the admin API, imports and new schools' first administrators


def check_password(password: str) -> None:
    """Refuse a password shorter than :data:`PASSWORD_MIN` characters (``AccountError("weak_password")``)."""
    if len(password) < PASSWORD_MIN:
        raise AccountError("weak_password")


class OpenTasksFirst(AccountError):
    """The person still holds open tasks; they must be handed to someone else before deactivation."""

    def __init__(self, tasks: list[HumanTask]):
        super().__init__("open_tasks")
        self.tasks = tasks


@dataclass(frozen=True)
class PeopleFilter:
    """``campus_id`` keeps the people of that campus; ``without_campus`` those of none (whom a survey of one campus
    does not ask)."""

    words: str = ""
    role: str | None = None
    unit_id: int | None = None
    active: bool | None = True
    campus_id: int | None = None
    without_campus: bool = False


def people_page(session: Session, *, school_id: int, flt: PeopleFilter, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The people list: name, username, number, phone or e-mail containing ``words``; role, unit and campus filters."""
    where = [User.school_id == school_id]
    if flt.words:
        like = f"%{flt.words}%"
        where.append(or_(User.display_name.ilike(like), User.username.ilike(like), User.number.ilike(like),
                         User.phone.ilike(like), User.email.ilike(like)))
    if flt.active is not None:
        where.append(User.active.is_(flt.active))
    if flt.without_campus:
        where.append(User.campus_id.is_(None))
    elif flt.campus_id:
        where.append(User.campus_id == flt.campus_id)
    if flt.role or flt.unit_id:
        holders = select(RoleAssignment.user_id)
        if flt.role:
            holders = holders.where(RoleAssignment.role == flt.role)
        if flt.unit_id:
            holders = holders.where(RoleAssignment.org_unit_id == flt.unit_id)
        where.append(User.id.in_(holders))
    stmt = select(User).where(*where).order_by(User.display_name, User.id)
    return paged(session, stmt, select(func.count(User.id)).where(*where), page, per_page)


def person(session: Session, *, school_id: int | None, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.school_id == school_id else None


def profile(user: User) -> dict:
    return {name: getattr(user, name) for name in PROFILE_FIELDS}


def create_person(session: Session, *, actor: str, school_id: int, username: str, password: str, **fields: Any) -> User:
    """A new account; refused (:class:`AccountError`) for a taken username or number, a weak password, a phone
    number that is not one (``bad_phone``) or a campus of another school (``bad_campus``)."""
    if session.scalar(select(User.id).where(User.username == username)):
        raise AccountError("username_taken")
    _check_number(session, school_id, fields.get("number"), None)
    _check_campus(session, school_id, fields.get("campus_id"))
    fields = {**fields, "phone": _phone(fields.get("phone"))}
    check_password(password)
    user = User(school_id=school_id, username=username, password_hash=generate_password_hash(password), active=True,
                **{k: fields.get(k) for k in PROFILE_FIELDS})
    session.add(user)
    session.flush()
    record_change(session, actor=actor, action=PeopleAction.user_created, school_id=school_id, target=f"user:{user.id}",
                  after={"username": username, **profile(user)})
    return user


def update_person(session: Session, *, actor: str, user: User, **fields: Any) -> None:
    """Change the profile fields that differ, refused as :func:`create_person` refuses them."""
    _check_number(session, user.school_id, fields.get("number"), user.id)
    _check_campus(session, user.school_id, fields.get("campus_id"))
    fields = {**fields, "phone": _phone(fields.get("phone"))}
    before, after = changed(profile(user), {k: fields.get(k) for k in PROFILE_FIELDS})
    if not after:
        return
    for name, value in after.items():
        setattr(user, name, value)
    record_change(session, actor=actor, action=PeopleAction.user_updated, school_id=user.school_id, target=f"user:{user.id}",
                  before=before, after=after)


def open_tasks_of(session: Session, user: User) -> list[HumanTask]:
    """Open tasks the person holds (claimed or assigned to them by name)."""
    return list(session.scalars(select(HumanTask).where(HumanTask.assignee_id == user.id).order_by(HumanTask.created_at)))


def deactivate_person(session: Session, *, actor: Actor, user: User, hand_to: dict[str, int] | None = None) -> None:
    """Deactivate ``user`` after handing each open task (id → new holder id in ``hand_to``) to someone else.

    Raises :class:`OpenTasksFirst` listing the tasks when any open task lacks a new holder who is active, of the
    same school and holds the task's role in its unit; nothing changes then."""
    tasks = open_tasks_of(session, user)
    hand_to = hand_to or {}
    targets = {t.id: session.get(User, hand_to[t.id]) if hand_to.get(t.id) else None for t in tasks}
    if not all(_may_take(session, task, targets[task.id], user) for task in tasks):
        raise OpenTasksFirst(tasks)
    chosen = {task_id: target for task_id, target in targets.items() if target is not None}  # every task's, checked above
    for task in tasks:
        reassign(session, task_id=task.id, actor=actor, assignee_id=chosen[task.id].id,
                 note=f"deactivating {user.username}", policy=TASK_POLICY)
    user.active = False
    end_sessions(user)
    record_change(session, actor=actor.label, action=PeopleAction.user_deactivated, school_id=user.school_id,
                  target=f"user:{user.id}", before={"active": True}, after={"active": False},
                  handed_over={t.id: chosen[t.id].id for t in tasks})


def _may_take(session: Session, task: HumanTask, target: User | None, leaving: User) -> bool:
    if target is None or not target.active or target.id == leaving.id or target.school_id != leaving.school_id:
        return False
    return task.role is None or actor_for(session, target).takes(task.role, task.org_unit_id)


def reactivate_person(session: Session, *, actor: str, user: User) -> None:
    if user.active:
        return
    user.active = True
    record_change(session, actor=actor, action=PeopleAction.user_reactivated, school_id=user.school_id,
                  target=f"user:{user.id}", before={"active": False}, after={"active": True})


def end_sessions(user: User) -> None:
    """End every session the account has open, on every device (see ``User.session_epoch``)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def reset_password(session: Session, *, actor: str, user: User) -> str:
    """Give the account a new random password, returned once (to pass on) and stored only as a hash; every
    session the account had open ends."""
    password = secrets.token_urlsafe(9)
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
    record_change(session, actor=actor, action=PeopleAction.password_reset, school_id=user.school_id,
                  target=f"user:{user.id}")
    return password


def grant_role(session: Session, *, actor: str, user: User, role: str, org_unit_id: int | None,
               starts_on: date | None = None, ends_on: date | None = None, covers_user_id: int | None = None) -> RoleAssignment:
    """Give ``user`` a role in a unit, optionally for a date range and standing in for ``covers_user_id``."""
    if starts_on and ends_on and ends_on < starts_on:
        raise AccountError("dates_reversed")
    if covers_user_id == user.id:
        raise AccountError("covers_self")
    if covers_user_id is not None and person(session, school_id=user.school_id, user_id=covers_user_id) is None:
        raise AccountError("no_such_person")
    if any(a.role == role and a.org_unit_id == org_unit_id for a in user.roles):
        raise AccountError("role_held")
    assignment = RoleAssignment(school_id=user.school_id, role=role, org_unit_id=org_unit_id, starts_on=starts_on,
                                ends_on=ends_on, covers_user_id=covers_user_id)
    user.roles.append(assignment)
    session.flush()
    record_change(session, actor=actor, action=PeopleAction.role_granted, school_id=user.school_id, target=f"user:{user.id}",
                  after=_assignment(assignment))
    return assignment


def revoke_role(session: Session, *, actor: str, user: User, assignment_id: int) -> None:
    assignment = next((a for a in user.roles if a.id == assignment_id), None)
    if assignment is None:
        raise AccountError("no_such_role")
    user.roles.remove(assignment)
    record_change(session, actor=actor, action=PeopleAction.role_revoked, school_id=user.school_id, target=f"user:{user.id}",
                  before=_assignment(assignment))


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def create_token(session: Session, *, actor: str, user: User, name: str, scope: str, expires_at: datetime | None) -> str:
    """A new API token for ``user``; its clear value is returned once."""
    if expires_at is not None and expires_at <= now():
        raise AccountError("expiry_past")
    token = issue_token(session, user=user, name=name, scope=scope, expires_at=expires_at)
    record_change(session, actor=actor, action=PeopleAction.token_created, school_id=user.school_id, target=f"user:{user.id}",
                  after={"name": name, "scope": scope, "expires_at": expires_at.isoformat() if expires_at else None})
    return token


def revoke_token(session: Session, *, actor: str, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise AccountError("no_such_token")
    if not token.revoked:
        token.revoked = True
        record_change(session, actor=actor, action=PeopleAction.token_revoked, school_id=user.school_id,
                      target=f"user:{user.id}", before={"token": token.name, "revoked": False}, after={"revoked": True})


def _assignment(a: RoleAssignment) -> dict:
    return {"role": a.role, "org_unit_id": a.org_unit_id, "starts_on": a.starts_on and a.starts_on.isoformat(),
            "ends_on": a.ends_on and a.ends_on.isoformat(), "covers_user_id": a.covers_user_id}


def _phone(raw: str | None) -> str | None:
    """The phone in its written form (see :mod:`workflows.people.phones`); ``AccountError("bad_phone")`` otherwise."""
    if raw is None or not raw.strip():
        return None
    try:
        return clean_phone(raw)
    except BadPhone as err:
        raise AccountError("bad_phone") from err


def _check_number(session: Session, school_id: int | None, number: str | None, user_id: int | None) -> None:
    if not number:
        return
    other = session.scalar(select(User.id).where(User.school_id == school_id, User.number == number))
    if other is not None and other != user_id:
        raise AccountError("number_taken")


def _check_campus(session: Session, school_id: int | None, campus_id: int | None) -> None:
    """A person's campus is one of their school's (a deactivated one too: people stay where they were)."""
    if campus_id is None:
        return
    campus = session.get(Campus, campus_id)
    if campus is None or campus.school_id != school_id:
        raise AccountError("bad_campus")
