"""Who a single sign-on is: the person of the provider's school with the staff or student number the identity
provider vouched for, or a new requester when the school lets unknown people in; every outcome audited.

The number is looked up in the provider's school only: two schools on one deployment may both have a 2024001,
and a CAS server of one school never signs in the other's people. An inactive account is refused (it was
deactivated for a reason), and so is an unknown number unless the school's administrator chose
:attr:`UnknownPeople.create`. An account with no campus yet — created so, or one an import or an administrator made
without it — is put on the campus the provider names, when the school has an active campus of that name, so that its
campus's surveys ask the person and their report form starts there; a campus already set is never changed (an
administrator may have set it).
"""
from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import record
from workflows.adminlog import record_change
from workflows.people.enums import PeopleAction, Role
from workflows.people.importing import NO_PASSWORD
from workflows.people.models import Campus, RoleAssignment, School, User


class UnknownPeople(StrEnum):
    """What a single sign-on does with a number the school does not know."""

    refuse = "refuse"
    create = "create"  # a requester account with the provider's name and number


class SsoVia(StrEnum):
    """How a person signed in, as the audit log and the session name it."""

    cas = "cas"
    oidc = "oidc"
    wecom = "wecom"


class SsoAction(StrEnum):
    LOGIN = "auth.sso.login"
    REFUSED = "auth.sso.refused"
    ACCOUNT_CREATED = "auth.sso.account_created"
    CAMPUS_SET = "auth.sso.campus_set"  # an existing account of no campus put on the one the provider names


class SsoProblem(StrEnum):
    """Why a vouched-for identity cannot sign in."""

    unknown = "unknown"  # no account with that number (or WeCom userid) in the school
    inactive = "inactive"
    no_number = "no_number"  # the provider's answer lacks the attribute or claim carrying the number
    several = "several"  # a WeCom userid bound in several schools: which account is meant cannot be told


class SsoRefused(Exception):
    """The identity provider vouched for someone who may not sign in here; ``problem`` says why."""

    def __init__(self, problem: SsoProblem):
        super().__init__(f"single sign-on refused: {problem}")
        self.problem = problem


def person_for(session: Session, *, school: School, via: SsoVia, number: str | None, name: str | None,
               campus: str | None = None) -> User:
    """The active account of ``school`` with ``number``, created as a requester when the school says so, and put on
    the campus named ``campus`` when it has none (:func:`_place_on_campus`); the sign-in (or the refusal, before it
    is raised as :class:`SsoRefused`), the new account and the campus given are audited in ``session``."""
    number = (number or "").strip()
    if not number or len(number) > 40:
        raise refuse(session, school_id=school.id, via=via, problem=SsoProblem.no_number, identity=number[:80])
    user = session.scalar(select(User).where(User.school_id == school.id, User.number == number))
    created = user is None and school.sso_unknown == UnknownPeople.create
    if created:
        user = _create_requester(session, school=school, number=number, name=(name or "").strip() or number)
    if user is None:
        raise refuse(session, school_id=school.id, via=via, problem=SsoProblem.unknown, identity=number)
    if not user.active:
        raise refuse(session, school_id=school.id, via=via, problem=SsoProblem.inactive, identity=number)
    placed = _place_on_campus(session, user, campus=(campus or "").strip())
    if created:
        record(session, action=SsoAction.ACCOUNT_CREATED, actor=user.username, school_id=school.id,
               details={"via": via, "user_id": user.id, "number": number, "name": user.display_name, **placed})
    elif placed.get("campus_id") is not None:
        record(session, action=SsoAction.CAMPUS_SET, actor=user.username, school_id=school.id,
               details={"via": via, "user_id": user.id, "number": number, **placed})
    signed_in(session, user=user, via=via)
    return user


def signed_in(session: Session, *, user: User, via: SsoVia) -> None:
    record(session, action=SsoAction.LOGIN, actor=user.username, school_id=user.school_id,
           details={"via": via, "user_id": user.id, "number": user.number})


def refuse(session: Session, *, school_id: int | None, via: SsoVia, problem: SsoProblem, identity: str) -> SsoRefused:
    """Audit a refused identity and return the exception to raise."""
    record(session, action=SsoAction.REFUSED, actor=None, school_id=school_id,
           details={"via": via, "problem": problem, "identity": identity})
    return SsoRefused(problem)


def _create_requester(session: Session, *, school: School, number: str, name: str) -> User:
    """A requester account for a person the provider vouched for; no usable password (they sign in by SSO)."""
    username = f"{school.code}-{number}"[:80]
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        username = f"{username[:70]}-{secrets.token_hex(4)}"
    user = User(school_id=school.id, number=number, kind=None, username=username, display_name=name[:120],
                password_hash=NO_PASSWORD, campus_id=None)
    user.roles = [RoleAssignment(role=Role.requester, org_unit_id=None, school_id=school.id)]
    session.add(user)
    session.flush()
    return user


def _place_on_campus(session: Session, user: User, *, campus: str) -> dict[str, Any]:
    """Put ``user``, when they have no campus, on their school's active campus called ``campus`` (as the people
    import matches its 校区 column); the audit details: the name given and the campus it put them on, empty for a
    name the school has no active campus of (the account stays without one, for an administrator to set on the
    people pages). Nothing when the provider named none or the account has a campus already: that stays."""
    if not campus or user.campus_id is not None:
        return {}
    user.campus_id = session.scalar(select(Campus.id).where(Campus.school_id == user.school_id, Campus.name == campus,
                                                            Campus.active.is_(True)))
    return {"campus": campus[:200], "campus_id": user.campus_id}


def set_unknown_people(session: Session, *, actor: str, school: School, policy: UnknownPeople) -> None:
    """The school's choice for unknown numbers, audited with the value before and after."""
    if school.sso_unknown != policy:
        record_change(session, actor=actor, action=PeopleAction.school_updated, school_id=school.id, target=f"school:{school.id}",
                      before={"sso_unknown": school.sso_unknown}, after={"sso_unknown": str(policy)})
        school.sso_unknown = policy
