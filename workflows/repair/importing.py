"""Orders taken over from another platform, from a sheet or the import API: idempotent by the platform's own id.

Each row names its platform (``external_source``) and its id there (``external_id``); a school takes each pair
once (a unique constraint holds it), so importing the same rows again creates nothing and reports them as already
imported, with the order each became. The requester is found by staff/student number or phone, the place by campus
and building name, the service item by its code. Every row is checked first, with a handful of queries for the
whole batch; if any row is refused nothing is written, so a sheet is fixed and sent again as a whole. Each new
order then starts through :func:`workflows.repair.service.create_order` like any channel's (channel ``imported``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from engine.clock import now
from engine.host import Host
from workflows.adminlog import record_change
from workflows.catalogue.models import Building, CatalogueItem
from workflows.i18n import N_
from workflows.people.models import Campus, User
from workflows.people.phones import BadPhone, clean_phone
from workflows.people.timezone import school_zone
from workflows.repair.enums import Channel, ImportAction, Urgency
from workflows.repair.models import WorkOrder
from workflows.repair.service import External, Intake, create_order
from workflows.sheets import RowError, SheetRow

MAX_ROWS = 200  # each new order starts a process instance; a bigger batch is sent in parts
ALIASES = {
    "external_source": "external_source", "来源平台": "external_source", "来源": "external_source",
    "external_id": "external_id", "外部编号": "external_id", "原单号": "external_id",
    "requester": "requester", "报修人": "requester", "报修人工号/学号/电话": "requester",
    "campus": "campus", "校区": "campus", "building": "building", "楼宇": "building", "room": "room", "房间": "room",
    "item_code": "item_code", "服务项目编码": "item_code", "项目编码": "item_code",
    "description": "description", "问题描述": "description", "描述": "description",
    "reported_at": "reported_at", "报修时间": "reported_at",
    "contact_name": "contact_name", "联系人": "contact_name", "contact_phone": "contact_phone", "联系电话": "contact_phone",
    "urgency": "urgency", "紧急程度": "urgency",
}
COLUMNS = tuple(dict.fromkeys(ALIASES.values()))
REQUIRED = {"external_source", "external_id", "requester", "campus", "item_code", "description", "reported_at"}
_MAX = {"external_source": 60, "external_id": 120, "requester": 40, "campus": 200, "building": 120, "room": 60,
        "item_code": 40, "description": 4000, "contact_name": 120, "contact_phone": 40}
_SOURCE = re.compile(r"^[A-Za-z0-9._-]+$")
PROBLEM_WORDS = {  # each problem a row can have, as the API and the import page say it
    "required": N_("Required."), "too_long": N_("Too long."), "duplicate": N_("Appears twice in this import."),
    "not_text": N_("Must be text."), "not_object": N_("Each row must be a JSON object."),
    "unknown_column": N_("Unknown column."),
    "bad_source": N_("Letters, digits, '.', '_' and '-' only."), "bad_urgency": N_("Must be normal, urgent or emergency."),
    "unknown_requester": N_("No active person of this school has this staff/student number or phone."),
    "ambiguous_requester": N_("Several people have this phone: give the staff/student number."),
    "unknown_campus": N_("No active campus has this name."),
    "unknown_building": N_("No active building of the campus has this name."),
    "unknown_item": N_("No active service item has this code."),
    "bad_time": N_("Not a date and time (2026-11-16 09:30)."), "in_future": N_("This time is in the future."),
}


class TooManyRows(ValueError):
    """More rows than :data:`MAX_ROWS` in one import."""


@dataclass(frozen=True)
class Imported:
    """A row whose (source, id) the school has taken: the order it became."""

    row: int
    source: str
    id: str
    number: str


@dataclass
class OrderPlan:
    """What importing the rows would do; :func:`apply_orders` does exactly this, and nothing when ``errors``."""

    new: list[tuple[int, Intake]] = field(default_factory=list)  # (row, the order to take in)
    known: list[Imported] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        """Orders the import would create: none while a row is refused (nothing is half-written)."""
        return 0 if self.errors else len(self.new)

    @property
    def unchanged(self) -> int:
        return len(self.known)


@dataclass
class _Lookups:
    """The school's people, places and items the rows name, read once for the whole batch."""

    people: dict[str, list[User]]
    campuses: dict[str, int]
    buildings: dict[tuple[int, str], int]
    items: dict[str, int]
    known: dict[tuple[str, str], str]


def plan_orders(session: Session, *, school_id: int, rows: list[SheetRow], refused: list[RowError] | None = None) -> OrderPlan:
    """Check every row against the school's data (a few queries, none per row); ``refused`` are cells already
    found wrong (the import API's values that are not text). Raises :class:`TooManyRows`."""
    if len(rows) > MAX_ROWS:
        raise TooManyRows(f"at most {MAX_ROWS} rows in one import")
    plan = OrderPlan(errors=list(refused or []))
    skip = {(e.row, e.column) for e in plan.errors}
    looked = _lookups(session, school_id, rows)
    zone = school_zone(session, school_id)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if (row.number, "row") in skip:  # not a row at all: nothing in it to check
            continue
        values = {name: row.values.get(name, "").strip() for name in COLUMNS}
        errors = [e for e in _shape(row.number, values, zone) if (e.row, e.column) not in skip]
        pair = (values["external_source"], values["external_id"])
        if not errors and pair in seen:
            errors.append(RowError(row.number, "external_id", "duplicate"))
        if errors or any(r == row.number for r, _column in skip):
            plan.errors.extend(errors)
            continue
        seen.add(pair)
        if pair in looked.known:
            plan.known.append(Imported(row.number, *pair, looked.known[pair]))
            continue
        intake, problems = _intake(row.number, values, looked, zone)
        if problems:
            plan.errors.extend(problems)
        elif intake is not None:
            plan.new.append((row.number, intake))
    plan.errors.sort(key=lambda e: e.row)
    return plan


def apply_orders(session: Session, host: Host, *, school_id: int, plan: OrderPlan, actor: str, entered_by_id: int,
                 uploads_dir: Path) -> list[Imported]:
    """Create the plan's new orders (none when it has errors), entered by ``entered_by_id``, and record the import
    in the admin log; returns the rows created."""
    if plan.errors:
        return []
    created = []
    for row, intake in plan.new:
        order = create_order(session, host, school_id=school_id, intake=replace(intake, entered_by_id=entered_by_id),
                             uploads_dir=uploads_dir)
        created.append(Imported(row, str(order.external_source), str(order.external_id), order.number))
    if created:
        record_change(session, actor=actor, action=ImportAction.orders, school_id=school_id,
                      target=f"school:{school_id}",
                      created=[[c.number, c.source, c.id] for c in created])
    return created


def api_rows(items: list[Any]) -> tuple[list[SheetRow], list[RowError]]:
    """The import API's JSON objects as sheet rows numbered from 1, and the cells refused on the way: a value
    that is neither text nor a number (``not_text``), a row that is no object (``not_object``)."""
    rows, refused = [], []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            refused.append(RowError(position, "row", "not_object"))
            item = {}
        values: dict[str, str] = {}
        for name, value in item.items():
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                refused.append(RowError(position, str(name), "not_text"))
            else:
                values[str(name)] = str(value)
        refused.extend(RowError(position, str(name), "unknown_column") for name in item if name not in COLUMNS)
        rows.append(SheetRow(position, values))
    return rows, refused


def _shape(number: int, values: dict[str, str], zone: ZoneInfo) -> list[RowError]:
    """What is wrong with the row's values on their own, before anything is looked up."""
    errors = [RowError(number, column, "required") for column in sorted(REQUIRED) if not values[column]]
    errors += [RowError(number, column, "too_long") for column, limit in _MAX.items() if len(values[column]) > limit]
    if values["external_source"] and not _SOURCE.match(values["external_source"]):
        errors.append(RowError(number, "external_source", "bad_source"))
    if values["urgency"] and values["urgency"] not in tuple(Urgency):
        errors.append(RowError(number, "urgency", "bad_urgency"))
    problem = _when(values["reported_at"], zone)[1] if values["reported_at"] else None
    if problem:
        errors.append(RowError(number, "reported_at", problem))
    return errors


def _phone(text: str) -> str | None:
    try:
        return clean_phone(text)
    except BadPhone:
        return None


def _lookups(session: Session, school_id: int, rows: list[SheetRow]) -> _Lookups:
    named = {row.values.get("requester", "").strip() for row in rows} - {""}
    phones = {p for p in (_phone(n) for n in named) if p}
    people: dict[str, list[User]] = {}
    if named:
        for user in session.scalars(select(User).where(User.school_id == school_id, User.active.is_(True),
                                                       or_(User.number.in_(named), User.phone.in_(phones)))):
            for key in {user.number, user.phone} - {None}:
                people.setdefault(str(key), []).append(user)
    campuses = {name: cid for cid, name in session.execute(select(Campus.id, Campus.name).where(
        Campus.school_id == school_id, Campus.active.is_(True)))}
    buildings = {(campus_id, name): bid for bid, campus_id, name in session.execute(
        select(Building.id, Building.campus_id, Building.name).where(Building.campus_id.in_(campuses.values()),
                                                                     Building.active.is_(True)))}
    items = {code: iid for iid, code in session.execute(select(CatalogueItem.id, CatalogueItem.code).where(
        CatalogueItem.school_id == school_id, CatalogueItem.parent_id.is_not(None), CatalogueItem.active.is_(True)))}
    pairs = {(row.values.get("external_source", "").strip(), row.values.get("external_id", "").strip()) for row in rows}
    known: dict[tuple[str, str], str] = {}
    if pairs:
        known = {(str(source), str(ext)): number for source, ext, number in session.execute(
            select(WorkOrder.external_source, WorkOrder.external_id, WorkOrder.number).where(
                WorkOrder.school_id == school_id,
                tuple_(WorkOrder.external_source, WorkOrder.external_id).in_(sorted(pairs))))}
    return _Lookups(people, campuses, buildings, items, known)


def _requester(text: str, looked: _Lookups) -> tuple[User | None, str | None]:
    found = {u.id: u for u in looked.people.get(text, []) + looked.people.get(_phone(text) or "", [])}
    if len(found) > 1:
        return None, "ambiguous_requester"
    return (next(iter(found.values())), None) if found else (None, "unknown_requester")


def _when(text: str, zone: ZoneInfo) -> tuple[datetime | None, str | None]:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, "bad_time"
    moment = (moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)).astimezone(UTC)
    return (None, "in_future") if moment > now() else (moment, None)


def _intake(number: int, values: dict[str, str], looked: _Lookups, zone: ZoneInfo) -> tuple[Intake | None, list[RowError]]:
    errors: list[RowError] = []
    requester, problem = _requester(values["requester"], looked)
    if problem:
        errors.append(RowError(number, "requester", problem))
    campus_id = looked.campuses.get(values["campus"])
    if campus_id is None:
        errors.append(RowError(number, "campus", "unknown_campus"))
    building_id = looked.buildings.get((campus_id, values["building"])) if campus_id and values["building"] else None
    if values["building"] and campus_id and building_id is None:
        errors.append(RowError(number, "building", "unknown_building"))
    item_id = looked.items.get(values["item_code"])
    if item_id is None:
        errors.append(RowError(number, "item_code", "unknown_item"))
    reported_at = _when(values["reported_at"], zone)[0]  # checked by _shape
    phone = values["contact_phone"] or (requester.phone if requester else "") or ""
    if requester is not None and not phone:
        errors.append(RowError(number, "contact_phone", "required"))
    if errors or requester is None or campus_id is None or item_id is None:
        return None, errors
    return Intake(channel=Channel.imported, requester_id=requester.id,
                  contact_name=values["contact_name"] or requester.display_name, contact_phone=phone,
                  campus_id=campus_id, building_id=building_id, room=values["room"] or None, catalogue_item_id=item_id,
                  description=values["description"], urgency=Urgency(values["urgency"] or Urgency.normal),
                  external=External(values["external_source"], values["external_id"], reported_at)), []
