"""Accounts, authentication, API tokens and the engine actor for a user."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, Integer, Select, bindparam, select
from sqlalchemy.orm import Session, aliased, lazyload, object_session
from werkzeug.security import check_password_hash, generate_password_hash

from engine.actor import Actor
from engine.clock import as_utc, now
from workflows.people.models import ApiToken, OrgUnit, RoleAssignment, School, User
from workflows.people.timezone import local_today

_DUMMY_HASH = generate_password_hash("not-a-real-password")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A token's "last used" is shown to the minute; writing it on every call made each read a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def create_user(session: Session, *, username: str, password: str | None = None, password_hash: str | None = None,
                display_name: str, school_id: int | None, roles: Sequence[tuple[str, int | None]] = (),
                phone: str | None = None, email: str | None = None, campus_id: int | None = None) -> User:
    """A new account with ``password``, or with ``password_hash`` computed already (accounts that share a published
    password, as the demo's do, share its hash: hashing costs a tenth of a second each). The caller vouches that
    ``campus_id`` is of the school (the admin pages check it: :func:`workflows.people.accounts.create_person`)."""
    if (password is None) == (password_hash is None):
        raise ValueError("give the password or its hash, not both")
    user = User(username=username, display_name=display_name,
                password_hash=password_hash or generate_password_hash(password or ""),
                school_id=school_id, phone=phone, email=email, campus_id=campus_id)
    user.roles = [RoleAssignment(role=role, org_unit_id=unit, school_id=school_id) for role, unit in roles]
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (constant work either way)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _subtree() -> Select[tuple[int]]:
    tree = select(bindparam("unit_id", type_=Integer).label("id")).cte("subtree", recursive=True)
    return select(tree.union(select(OrgUnit.id).where(OrgUnit.parent_id == tree.c.id)).c.id)


def _grants() -> Select[tuple[str, int | None]]:
    """Roles in force on ``day``, less those someone is acting in for the user, each spread down its unit's subtree."""
    day = bindparam("day", type_=Date)
    acting = aliased(RoleAssignment)
    covered = select(acting.role).where(acting.covers_user_id == bindparam("user_id"), in_force_on(day, acting))
    grants = (select(RoleAssignment.role, RoleAssignment.org_unit_id)
              .where(RoleAssignment.user_id == bindparam("user_id"), in_force_on(day), RoleAssignment.role.not_in(covered))
              .cte("grants", recursive=True))
    grants = grants.union(select(grants.c.role, OrgUnit.id).join(OrgUnit, OrgUnit.parent_id == grants.c.org_unit_id))
    return select(grants.c.role, grants.c.org_unit_id)


def descendant_unit_ids(session: Session, unit_id: int) -> set[int]:
    """The unit and every unit below it, in one recursive query whatever the depth."""
    return set(session.scalars(SUBTREE, {"unit_id": unit_id}))


def unit_and_above(session: Session, unit_id: int) -> set[int]:
    """The unit and every unit above it up to the top of the chart: who holds a role in any of them answers for
    the unit too. A chart that loops (never saved so, see :func:`workflows.people.orgchart.update_unit`) ends the walk where it repeats."""
    chain: set[int] = set()
    unit = session.get(OrgUnit, unit_id)
    while unit is not None and unit.id not in chain:
        chain.add(unit.id)
        unit = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    return chain


def descendant_units(unit_id: int) -> Select[tuple[int]]:
    """The unit and every unit below it as a subquery: a query filtering by them needs no round trip of its own."""
    return SUBTREE.params(unit_id=unit_id)


def actor_for(session: Session, user: User) -> Actor:
    """The engine actor: each role in force today, held in a unit, covers that unit and every unit below it.

    A role someone else is acting in for the user today is left out: while the cover lasts, its tasks belong to
    the acting holder (the user keeps their pages; only who does the tasks moves). One query answers it all."""
    today = local_today(session, user.school_id)  # appointments and holiday cover are in the school's dates
    held = frozenset((row.role, row.org_unit_id) for row in session.execute(GRANTS, {"user_id": user.id, "day": today}))
    return Actor(id=user.id, name=user.username, school_id=user.school_id, grants=held)


def role_names(user: User) -> set[str]:
    """Roles in force today (the school's day)."""
    session = object_session(user)
    if session is None:
        raise ValueError(f"user {user.id} is not attached to a session")
    today = local_today(session, user.school_id)
    return {a.role for a in user.roles if a.in_force(today)}


def in_force_on(day: date | ColumnElement[date], assignment: type[RoleAssignment] = RoleAssignment) -> ColumnElement[bool]:
    """SQL condition: the role assignment (or an alias of the table) is in force on ``day``."""
    return ((assignment.starts_on.is_(None) | (assignment.starts_on <= day))
            & (assignment.ends_on.is_(None) | (assignment.ends_on >= day)))


def _token_lookup() -> Select[ApiToken, User, School]:
    """The token's row, its user and the user's school (its time zone and rules stamp: the day roles are in force,
    the rules the request reads), by the token's digest; the user's roles are read only if a view asks (most ask
    the actor)."""
    return (select(ApiToken, User, School).join(User, User.id == ApiToken.user_id)
            .outerjoin(School, School.id == User.school_id)
            .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked.is_(False))
            .options(lazyload(User.roles)))


# Built once: a recursive query's column proxies cost more to build than the database takes to answer it, and a
# statement kept computes its cache key once (the token lookup runs on every API request).
SUBTREE, GRANTS, TOKEN_LOOKUP = _subtree(), _grants(), _token_lookup()


def holder_ids(session: Session, *, role: str, school_id: int | None, org_unit_id: int | None = None,
               on: date | None = None) -> set[int]:
    """The ids of who is in charge as ``role`` in ``org_unit_id`` on day ``on`` (default today): active holders
    whose assignment is in force in the unit or any of its ancestors (school-wide holders too), except holders an
    acting appointment in force covers for; the acting holder stands in for them."""
    units = unit_and_above(session, org_unit_id) if org_unit_id else set()
    stmt = (select(RoleAssignment.user_id, RoleAssignment.covers_user_id)
            .join(User, User.id == RoleAssignment.user_id)
            .where(RoleAssignment.role == role, User.active.is_(True), in_force_on(on or local_today(session, school_id))))
    if school_id is not None:
        stmt = stmt.where(RoleAssignment.school_id == school_id)
    if org_unit_id is not None:
        stmt = stmt.where(RoleAssignment.org_unit_id.in_(units) | RoleAssignment.org_unit_id.is_(None))
    rows = session.execute(stmt).all()
    covered = {covers for _, covers in rows if covers is not None}
    return {holder for holder, _ in rows} - covered


def users_with_role(session: Session, *, role: str, school_id: int | None, org_unit_id: int | None = None,
                    on: date | None = None) -> list[User]:
    """The people :func:`holder_ids` names, by id."""
    ids = holder_ids(session, role=role, school_id=school_id, org_unit_id=org_unit_id, on=on)
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))) if ids else []


def answering_unit(session: Session, *, role: str, school_id: int | None, org_unit_id: int | None) -> int | None:
    """The unit to offer ``role``'s task about ``org_unit_id`` in: that unit when someone answers for it there (in
    it, above it, or school-wide), else None, which offers the task to every holder of the role in the school (the
    service hall's clerks chase every department's orders) — as a message to that role and unit reaches them."""
    if org_unit_id is None or holder_ids(session, role=role, school_id=school_id, org_unit_id=org_unit_id):
        return org_unit_id
    return None


def issue_token(session: Session, *, user: User, name: str, scope: str = "write",
                expires_at: datetime | None = None) -> str:
    """Create an API token; the clear value is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, school_id=user.school_id, name=name, token_hash=_digest(token), scope=scope,
                         expires_at=expires_at))
    session.flush()
    return token


class ScopeTooNarrow(PermissionError):
    """A valid token used for a call its scope does not allow (a read-only token used to write)."""


def user_for_token(session: Session, token: str, *, method: str = "GET") -> User | None:
    """The active user behind an unrevoked, unexpired token; else None.

    Raises :class:`ScopeTooNarrow` when the token is valid but its scope does not allow ``method``: the caller is
    known, so this is refused as forbidden rather than unauthenticated."""
    found = session.execute(TOKEN_LOOKUP, {"digest": _digest(token)}).first()
    if found is None:
        return None
    row, user, _school = found
    if (expires_at := as_utc(row.expires_at)) is not None and expires_at <= now():
        return None
    if not user.active:
        return None
    if row.scope == "read" and method not in READ_METHODS:
        raise ScopeTooNarrow(row.scope)
    last_used = as_utc(row.last_used_at)
    if last_used is None or last_used <= now() - LAST_USED_PRECISION:
        row.last_used_at = now()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
