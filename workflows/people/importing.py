"""Bulk import of staff and students from a sheet: a preview first, then an idempotent apply.

Each row names a person by staff/student number. A number the school does not know yet creates an account
(username = the number, no usable password until an admin resets it); a known number updates name, kind,
phone and e-mail where they differ, and adds the row's role in its unit if the person lacks it. The optional
campus column names one of the school's active campuses; an empty cell leaves a known person's campus as it is (a
sheet from a system that knows no campus does not take the campuses away). Importing the
same sheet twice therefore changes nothing the second time. Rows with errors are reported by row and column
and skipped; the rest is applied. The work is a handful of statements per import, never one per row, so
thousands of rows take seconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from workflows.adminlog import record_change
from workflows.people.enums import PeopleAction, PersonKind, Role
from workflows.people.models import Campus, OrgUnit, RoleAssignment, User
from workflows.people.phones import BadPhone, clean_phone
from workflows.sheets import RowError, SheetRow

NO_PASSWORD = "!"  # never matches a password: the account needs a reset before it can log in
KINDS = {"staff": PersonKind.staff, "教职工": PersonKind.staff, "student": PersonKind.student, "学生": PersonKind.student}
ALIASES = {
    "number": "number", "staff/student number": "number", "工号/学号": "number", "工号": "number", "学号": "number",
    "name": "name", "姓名": "name", "kind": "kind", "类别": "kind", "unit": "unit", "部门": "unit", "单位": "unit",
    "role": "role", "角色": "role", "phone": "phone", "电话": "phone", "手机": "phone", "email": "email", "邮箱": "email",
    "campus": "campus", "校区": "campus",
}
REQUIRED = {"number", "name"}
FIELDS = ("display_name", "kind", "campus_id", "phone", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX = {"number": 40, "name": 120, "phone": 40, "email": 200, "campus": 200}


@dataclass
class PeoplePlan:
    """What applying the sheet would do; ``apply_people`` does exactly this."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (user id, before, after)
    grants: list[tuple[str, str, int | None]] = field(default_factory=list)  # (number, role, unit id)
    changed_people: int = 0  # known people the sheet updates or gives a new role
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        """Rows that create or change a person."""
        return len(self.creates) + self.changed_people


def plan_people(session: Session, *, school_id: int, rows: list[SheetRow]) -> PeoplePlan:
    """Validate every row and compare it with the accounts the school has (a few queries, none per row)."""
    plan = PeoplePlan()
    units = {u.name: u.id for u in session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id,
                                                                        OrgUnit.active.is_(True)))}
    campuses = dict(session.execute(select(Campus.name, Campus.id).where(Campus.school_id == school_id,
                                                                         Campus.active.is_(True))).all())
    existing = {row.number: row for row in session.execute(select(User.id, User.number, *(getattr(User, f) for f in FIELDS))
                                                            .where(User.school_id == school_id, User.number.is_not(None)))}
    held = {(a.user_id, a.role, a.org_unit_id) for a in session.scalars(
        select(RoleAssignment).where(RoleAssignment.school_id == school_id))}
    taken = _taken_usernames(session, [r.values.get("number", "") for r in rows], existing)
    seen: set[str] = set()
    for row in rows:
        values, errors = _clean(row, _Names(units, campuses), seen, taken)
        if errors:
            plan.errors.extend(errors)
            continue
        seen.add(values["number"])
        user = existing.get(values["number"])
        campus_id = values["campus_id"] or (user.campus_id if user is not None else None)  # an empty cell keeps it
        wanted = {"display_name": values["name"], "kind": values["kind"], "campus_id": campus_id,
                  "phone": values["phone"] or None, "email": values["email"] or None}
        grant = (values["role"], values["unit_id"])
        if user is None:
            plan.creates.append({"number": values["number"], **wanted})
            plan.grants.append((values["number"], *grant))
            continue
        current = {name: getattr(user, name) for name in FIELDS}  # a result row, not an entity
        touched = False
        if current != wanted:
            plan.updates.append((user.id, current, wanted))
            touched = True
        if (user.id, *grant) not in held:
            plan.grants.append((values["number"], *grant))
            touched = True
        plan.changed_people += touched
        plan.unchanged += not touched
    return plan


def apply_people(session: Session, *, school_id: int, plan: PeoplePlan, actor: str) -> None:
    """Write the plan in bulk statements and record one audit row for the import."""
    if plan.creates:
        session.execute(insert(User), [{"school_id": school_id, "username": row["number"], "password_hash": NO_PASSWORD,
                                        "active": True, **row} for row in plan.creates])
    if plan.updates:
        session.execute(update(User), [{"id": user_id, **after} for user_id, _, after in plan.updates])
    if plan.grants:
        numbers = {number for number, _, _ in plan.grants}
        ids = dict(session.execute(select(User.number, User.id).where(User.school_id == school_id,
                                                                     User.number.in_(numbers))).all())
        session.execute(insert(RoleAssignment), [{"school_id": school_id, "user_id": ids[number], "role": role,
                                                  "org_unit_id": unit} for number, role, unit in plan.grants])
    session.expire_all()
    record_change(session, actor=actor, action=PeopleAction.people_imported, school_id=school_id, target=f"school:{school_id}",
                  created=[row["number"] for row in plan.creates],
                  updated=[{"user_id": user_id, "before": before, "after": after}
                           for user_id, before, after in plan.updates],
                  granted=[list(g) for g in plan.grants], rejected_rows=sorted({e.row for e in plan.errors}))


def _taken_usernames(session: Session, numbers: list[str], existing: dict[str, Any]) -> set[str]:
    """Usernames (= numbers) already used by accounts that are not this school's person with that number."""
    wanted = [n for n in numbers if n and n not in existing]
    taken: set[str] = set()
    for start in range(0, len(wanted), 1000):
        taken.update(session.scalars(select(User.username).where(User.username.in_(wanted[start:start + 1000]))))
    return taken


@dataclass(frozen=True)
class _Names:
    """The school's active units and campuses by name, as the sheet names them."""

    units: dict[str, int]
    campuses: dict[str, int]


def _clean(row: SheetRow, names: _Names, seen: set[str], taken: set[str]) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {name: row.values.get(name, "")
                              for name in ("number", "name", "kind", "unit", "role", "phone", "email", "campus")}
    errors = []

    def bad(column: str, problem: str) -> None:
        errors.append(RowError(row.number, column, problem))

    for column in REQUIRED:
        if not values[column]:
            bad(column, "required")
    for column, limit in _MAX.items():
        if len(values[column]) > limit:
            bad(column, "too_long")
    if values["number"] in seen:
        bad("number", "duplicate")
    elif values["number"] in taken:
        bad("number", "username_taken")
    kind = KINDS.get(values["kind"].lower() or "staff")
    if kind is None:
        bad("kind", "bad_kind")
    role = values["role"] or Role.requester.value
    if role not in Role.__members__:
        bad("role", "unknown_role")
    unit_id = names.units.get(values["unit"]) if values["unit"] else None
    if values["unit"] and unit_id is None:
        bad("unit", "unknown_unit")
    campus_id = names.campuses.get(values["campus"]) if values["campus"] else None
    if values["campus"] and campus_id is None:
        bad("campus", "unknown_campus")
    for column, problem in _contact_problems(values):
        bad(column, problem)
    values.update(kind=kind, role=role, unit_id=unit_id, campus_id=campus_id)
    return values, errors


def _contact_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, problem) for an e-mail or phone that is not one; a good phone is put in its written form."""
    problems = []
    if values["email"] and not _EMAIL.match(values["email"]):
        problems.append(("email", "bad_email"))
    if values["phone"]:
        try:
            values["phone"] = clean_phone(values["phone"])
        except BadPhone:
            problems.append(("phone", "bad_phone"))
    return problems
