"""Importing the staff register from a sheet: a preview first, then an idempotent apply (the import pages' shape).

Each row names a person by staff number. A number the school does not know yet adds the person; a known number
updates what differs (unit, post, kind, contractor, phone, start date, linked account) and leaves the rest, so
importing the same sheet twice changes nothing the second time. Every refused cell is reported by row and column
and its row skipped; the others are applied, each change audited like one made on the person's page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.adminlog import record_change
from workflows.i18n import N_
from workflows.people.models import OrgUnit, User
from workflows.people.phones import BadPhone, clean_phone
from workflows.sheets import RowError, SheetRow
from workflows.staff import register
from workflows.staff.enums import EmploymentKind, StaffAction
from workflows.staff.models import Post, StaffMember

ALIASES = {
    "number": "number", "staff number": "number", "工号": "number", "name": "name", "姓名": "name",
    "unit": "unit", "单位": "unit", "服务单位": "unit", "post": "post", "岗位": "post",
    "kind": "kind", "用工性质": "kind", "contractor": "contractor", "外包公司": "contractor",
    "phone": "phone", "电话": "phone", "手机": "phone", "started on": "started_on", "入职日期": "started_on",
    "account": "account", "登录账号": "account",
}
REQUIRED = {"number", "name", "unit", "post", "started_on"}
KINDS = {"own": EmploymentKind.own, "自有": EmploymentKind.own, "outsourced": EmploymentKind.outsourced,
         "外包": EmploymentKind.outsourced}
_MAX = {"number": 40, "name": 120, "contractor": 200}
PROBLEM_WORDS = {
    "unknown_post": N_("No active post has this name."), "bad_staff_kind": N_("Must be own or outsourced (自有/外包)."),
    "contractor_required": N_("Name the contractor company of an outsourced person."),
    "bad_date": N_("Not a date (2026-03-01)."), "unknown_account": N_("No account of this school has this username."),
    "account_taken": N_("This account belongs to another person of the register."),
}


@dataclass
class StaffPlan:
    """What applying the sheet would do; :func:`apply_staff` does exactly this."""

    creates: list[register.StaffInput] = field(default_factory=list)
    updates: list[tuple[int, register.StaffInput]] = field(default_factory=list)  # (staff id, the row's values)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.creates) + len(self.updates)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        return None


def _text_errors(number: int, values: dict[str, str], seen: set[str]) -> list[RowError]:
    """Missing and over-long cells, and a staff number the sheet has already named."""
    errors = [RowError(number, column, "required") for column in sorted(REQUIRED) if not values[column]]
    errors += [RowError(number, column, "too_long") for column, limit in _MAX.items() if len(values[column]) > limit]
    if values["number"] in seen:
        errors.append(RowError(number, "number", "duplicate"))
    return errors


def _clean(row: SheetRow, lookups: dict[str, dict[str, int]], seen: set[str]) -> tuple[register.StaffInput | None, list[RowError]]:
    values = {name: row.values.get(name, "") for name in (*ALIASES.values(),)}
    errors = _text_errors(row.number, values, seen)

    def bad(column: str, problem: str) -> None:
        errors.append(RowError(row.number, column, problem))

    unit, post = lookups["units"].get(values["unit"]), lookups["posts"].get(values["post"])
    if values["unit"] and unit is None:
        bad("unit", "unknown_unit")
    if values["post"] and post is None:
        bad("post", "unknown_post")
    kind = KINDS.get(values["kind"].lower() or "own")
    if kind is None:
        bad("kind", "bad_staff_kind")
    elif kind == EmploymentKind.outsourced and not values["contractor"]:
        bad("contractor", "contractor_required")
    started = _date(values["started_on"]) if values["started_on"] else None
    if values["started_on"] and started is None:
        bad("started_on", "bad_date")
    phone = ""
    if values["phone"]:
        try:
            phone = clean_phone(values["phone"])
        except BadPhone:
            bad("phone", "bad_phone")
    account = lookups["accounts"].get(values["account"]) if values["account"] else None
    if values["account"] and account is None:
        bad("account", "unknown_account")
    if errors or unit is None or kind is None:
        return None, errors
    return register.StaffInput(number=values["number"], name=values["name"], unit_id=unit, post_id=post, kind=kind,
                               contractor=values["contractor"] if kind == EmploymentKind.outsourced else "",
                               phone=phone, started_on=started, user_id=account), []


def plan_staff(session: Session, *, school_id: int, rows: list[SheetRow]) -> StaffPlan:
    """Check every row and compare it with the register (a few queries, none per row)."""
    plan = StaffPlan()
    posts: dict[str, int] = {}
    for post in session.scalars(select(Post).where(Post.school_id == school_id, Post.active.is_(True))):
        posts.update({post.name_zh: post.id, post.name_en: post.id, post.code: post.id})
    lookups = {
        "units": {name: unit_id for unit_id, name in session.execute(
            select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id, OrgUnit.active.is_(True)))},
        "posts": posts,
        "accounts": {username: user_id for user_id, username in session.execute(
            select(User.id, User.username).where(User.school_id == school_id, User.active.is_(True)))},
    }
    people = {p.number: p for p in session.scalars(select(StaffMember).where(StaffMember.school_id == school_id))}
    linked = {p.user_id: p.number for p in people.values() if p.user_id is not None}
    seen: set[str] = set()
    for row in rows:
        data, errors = _clean(row, lookups, seen)
        if data is not None and data.user_id is not None and linked.get(data.user_id, data.number) != data.number:
            errors, data = [RowError(row.number, "account", "account_taken")], None
        if data is None:
            plan.errors.extend(errors)
            continue
        seen.add(data.number)
        known = people.get(data.number)
        if known is None:
            plan.creates.append(data)
        elif _differs(known, data):
            plan.updates.append((known.id, data))
        else:
            plan.unchanged += 1
    return plan


def _differs(person: StaffMember, data: register.StaffInput) -> bool:
    current: dict[str, Any] = {name: getattr(person, name) for name in data.__dataclass_fields__}
    return current != {name: getattr(data, name) for name in data.__dataclass_fields__}


def apply_staff(session: Session, *, school_id: int, plan: StaffPlan, actor: str) -> None:
    """Add and update the planned people, each audited, and one audit row for the import itself."""
    for data in plan.creates:
        register.create(session, actor=actor, school_id=school_id, data=data)
    for staff_id, data in plan.updates:
        person = register.person_of(session, school_id=school_id, staff_id=staff_id)
        assert person is not None
        register.update(session, actor=actor, person=person, data=data)
    record_change(session, actor=actor, action=StaffAction.member_imported, school_id=school_id,
                  target=f"school:{school_id}", created=[d.number for d in plan.creates],
                  updated=[d.number for _id, d in plan.updates], rejected_rows=sorted({e.row for e in plan.errors}))
