"""Org chart and accounts. Every school-owned row carries ``school_id``."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime

DEFAULT_TIMEZONE = "Asia/Shanghai"  # a school's time zone until its administrator sets another


class School(Base):
    """A school; ``timezone`` (an IANA name) gives its local days and times (see :mod:`workflows.people.timezone`);
    ``sso_unknown`` whether single sign-on refuses unknown people or creates them as requesters; ``rules_version``
    the version of its rules in force."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE, server_default=DEFAULT_TIMEZONE)
    # what single sign-on does with a number the school does not know (workflows.people.sso.UnknownPeople)
    sso_unknown: Mapped[str] = mapped_column(String(20), default="refuse", server_default="refuse")
    # kept beside the time zone for the rule store, which reads both on every lookup (workflows.people.school_rules)
    rules_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Campus(Base):
    """A campus; a deactivated one is no longer offered on intake pages, but orders placed on it keep showing it."""

    __tablename__ = "campus"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class OrgUnit(Base):
    """A department, service unit (company or contractor), team or the service hall.

    ``parent_id`` gives the hierarchy; leaders are found by role assignments on a unit or its
    ancestors (the leader chain), so a team's deputy leader is the service unit's.
    """

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    campus_id: Mapped[int | None] = mapped_column(ForeignKey("campus.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)  # a unit's subtree, per request
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


class User(Base):
    """An account. ``number`` is the staff or student number a bulk import matches on; ``campus_id`` the campus the
    person belongs to (always one of their school's, checked by :mod:`workflows.people.accounts` and the import): a
    survey of one campus's students or staff asks them, and their report form starts on it. Accounts are
    deactivated, never deleted, so the history that names them keeps its names."""

    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("school_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str | None] = mapped_column(String(20))
    campus_id: Mapped[int | None] = mapped_column(ForeignKey("campus.id"))
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    # part of every session's login token: raising it ends every session of the account (logout, a password
    # reset, deactivation), so a copied cookie stops working
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    roles: Mapped[list[RoleAssignment]] = relationship(back_populates="user", lazy="selectin", cascade="all, delete-orphan")

    # the session-login protocol (Flask-Login) without importing the web layer here
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The login token kept in the session: the account and its current session epoch."""
        return f"{self.id}.{self.session_epoch}"


class RoleAssignment(Base):
    """A role held in an org unit (None: across the whole school).

    ``starts_on``/``ends_on`` (local dates, inclusive, None: open) bound when it is in force. An acting
    appointment names the holder it stands in for (``covers_user_id``): while it is in force, escalations reach
    the acting holder instead of the covered one (holiday cover).
    """

    __tablename__ = "role_assignment"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "org_unit_id"),
        # every request asks whom a user's roles are covered by: the few acting appointments, not every row
        Index("ix_role_assignment_covers", "covers_user_id", postgresql_where=text("covers_user_id IS NOT NULL"),
              sqlite_where=text("covers_user_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # a plain id, not a foreign key: a second key to app_user would make every ``join(User)`` ambiguous
    covers_user_id: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="roles")

    def in_force(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored. ``scope`` ``read`` allows GET requests
    only; a token past ``expires_at`` no longer authenticates."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    scope: Mapped[str] = mapped_column(String(20), default="write")
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
