"""Locations as admins keep them: campus → building → floor → room, added and renamed one by one or imported
from a sheet.

The import matches campuses by name, buildings by name within their campus and rooms by number within their
building, so re-importing a sheet creates nothing twice; it only fills in what is missing and updates a room's
floor or name where the sheet differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from workflows.adminlog import changed, record_change
from workflows.catalogue.enums import CatalogueAction
from workflows.catalogue.models import Building, Room
from workflows.people.models import Campus
from workflows.sheets import RowError, SheetRow

ALIASES = {"campus": "campus", "校区": "campus", "building": "building", "楼宇": "building", "楼栋": "building",
           "floor": "floor", "楼层": "floor", "room": "room", "房间": "room", "房间号": "room", "name": "name",
           "名称": "name"}
REQUIRED = {"campus", "building", "floor", "room"}
_MAX = {"campus": 200, "building": 120, "floor": 20, "room": 40, "name": 120}


class LocationError(ValueError):
    """A refused change; ``code``: ``empty_name``, ``too_long``, ``duplicate_room``, ``no_such_place``; ``field``:
    the value at fault, if one is."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code, self.field = code, field


_KINDS: dict[str, tuple[type[Any], type[Any] | None, str | None]] = {  # kind: (model, parent model, parent column)
    "campus": (Campus, None, None), "building": (Building, Campus, "campus_id"), "room": (Room, Building, "building_id")}
_SAVED = {  # kind: (audit action of an added place, of a renamed one)
    "campus": (CatalogueAction.campus_created, CatalogueAction.campus_updated),
    "building": (CatalogueAction.building_created, CatalogueAction.building_updated),
    "room": (CatalogueAction.room_created, CatalogueAction.room_updated)}
_TURNED = {  # kind: (audit action of a deactivated place, of a reactivated one)
    "campus": (CatalogueAction.campus_deactivated, CatalogueAction.campus_reactivated),
    "building": (CatalogueAction.building_deactivated, CatalogueAction.building_reactivated)}


def save_place(session: Session, *, actor: str, school_id: int, kind: str, place_id: int | None,
               parent_id: int | None, values: dict) -> Campus | Building | Room:
    """Add (``place_id`` None) or rename a campus, a building (``parent_id``: its campus) or a room (``parent_id``:
    its building; ``values`` also hold ``floor`` and ``number``), audited with the values before and after."""
    model, parent_model, parent_field = _KINDS[kind]
    limits = {"name": 200 if kind == "campus" else 120, "floor": 20, "number": 40}
    required = ("floor", "number") if kind == "room" else ("name",)
    values = {k: (v or "").strip() or None for k, v in values.items() if k in limits}
    for name in required:
        if not values.get(name):
            raise LocationError("empty_name", name)
    for name, value in values.items():
        if len(value or "") > limits[name]:
            raise LocationError("too_long", name)
    place = session.get(model, place_id) if place_id else None
    if place_id and (place is None or place.school_id != school_id):
        raise LocationError("no_such_place")
    if parent_model is not None and place is None:
        parent = session.get(parent_model, parent_id) if parent_id else None
        if parent is None or parent.school_id != school_id:
            raise LocationError("no_such_place")
        values[parent_field] = parent.id
    if kind == "room":
        building = place.building_id if place is not None else values["building_id"]  # a new room has its parent set above
        clash = session.scalar(select(Room.id).where(Room.building_id == building, Room.number == values["number"]))
        if clash is not None and clash != place_id:
            raise LocationError("duplicate_room", "number")
    if place is None:
        place = model(school_id=school_id, **values)
        session.add(place)
        session.flush()
        record_change(session, actor=actor, action=_SAVED[kind][0], school_id=school_id,
                      target=f"{kind}:{place.id}", after=values)
        return place
    before, after = changed({k: getattr(place, k) for k in values}, values)
    for name, value in after.items():
        setattr(place, name, value)
    if after:
        record_change(session, actor=actor, action=_SAVED[kind][1], school_id=school_id,
                      target=f"{kind}:{place.id}", before=before, after=after)
    return place


def set_place_active(session: Session, *, actor: str, school_id: int, kind: str, place_id: int, active: bool) -> None:
    """Deactivate or reactivate a campus or a building, audited; nothing is deleted, so old orders keep showing it."""
    place = session.get(_KINDS[kind][0], place_id) if kind in ("campus", "building") else None
    if place is None or place.school_id != school_id:
        raise LocationError("no_such_place")
    if place.active != active:
        record_change(session, actor=actor, action=_TURNED[kind][active],
                      school_id=school_id, target=f"{kind}:{place.id}", before={"active": place.active},
                      after={"active": active})
        place.active = active


@dataclass
class LocationPlan:
    campuses: list[str] = field(default_factory=list)
    buildings: list[tuple[str, str]] = field(default_factory=list)  # (campus, building)
    rooms: list[dict] = field(default_factory=list)  # new rooms by campus/building names
    room_updates: list[dict] = field(default_factory=list)  # {"id", "floor", "name"}
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.campuses) + len(self.buildings) + len(self.rooms) + len(self.room_updates)


def rooms_by_building(session: Session, *, school_id: int) -> dict[int, list[Room]]:
    by_building: dict[int, list[Room]] = {}
    for room in session.scalars(select(Room).where(Room.school_id == school_id).order_by(Room.floor, Room.number)):
        by_building.setdefault(room.building_id, []).append(room)
    return by_building


def plan_locations(session: Session, *, school_id: int, rows: list[SheetRow]) -> LocationPlan:
    plan = LocationPlan()
    campuses = {c.name: c.id for c in session.scalars(select(Campus).where(Campus.school_id == school_id))}
    buildings = {(b.campus_id, b.name): b.id for b in session.scalars(select(Building).where(Building.school_id == school_id))}
    rooms = {(r.building_id, r.number): r for r in session.scalars(select(Room).where(Room.school_id == school_id))}
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        v = {k: row.values.get(k, "") for k in _MAX}
        errors = [RowError(row.number, k, "required") for k in sorted(REQUIRED) if not v[k]]
        errors += [RowError(row.number, k, "too_long") for k, limit in _MAX.items() if len(v[k]) > limit]
        key = (v["campus"], v["building"], v["room"])
        if not errors and key in seen:
            errors.append(RowError(row.number, "room", "duplicate"))
        if errors:
            plan.errors.extend(errors)
            continue
        seen.add(key)
        campus_id = campuses.get(v["campus"])
        if campus_id is None and v["campus"] not in plan.campuses:
            plan.campuses.append(v["campus"])
        building_id = buildings.get((campus_id, v["building"])) if campus_id else None
        if building_id is None and (v["campus"], v["building"]) not in plan.buildings:
            plan.buildings.append((v["campus"], v["building"]))
        room = rooms.get((building_id, v["room"])) if building_id else None
        wanted = {"floor": v["floor"], "name": v["name"] or None}
        if room is None:
            plan.rooms.append({"campus": v["campus"], "building": v["building"], "number": v["room"], **wanted})
        elif (room.floor, room.name) != (wanted["floor"], wanted["name"]):
            plan.room_updates.append({"id": room.id, **wanted})
        else:
            plan.unchanged += 1
    return plan


def apply_locations(session: Session, *, school_id: int, plan: LocationPlan, actor: str) -> None:
    """Create the missing campuses and buildings, insert and update rooms, in bulk; audit the import."""
    if plan.campuses:
        session.execute(insert(Campus), [{"school_id": school_id, "name": name} for name in plan.campuses])
    campuses = {c.name: c.id for c in session.scalars(select(Campus).where(Campus.school_id == school_id))}
    if plan.buildings:
        session.execute(insert(Building), [{"school_id": school_id, "campus_id": campuses[c], "name": b}
                                           for c, b in plan.buildings])
    buildings = {(b.campus_id, b.name): b.id for b in session.scalars(select(Building).where(Building.school_id == school_id))}
    if plan.rooms:
        session.execute(insert(Room), [{"school_id": school_id, "building_id": buildings[(campuses[r["campus"]], r["building"])],
                                        "floor": r["floor"], "number": r["number"], "name": r["name"]} for r in plan.rooms])
    if plan.room_updates:
        session.execute(update(Room), plan.room_updates)
    session.expire_all()
    record_change(session, actor=actor, action=CatalogueAction.locations_imported, school_id=school_id, target=f"school:{school_id}",
                  campuses=plan.campuses, buildings=[list(b) for b in plan.buildings], rooms_created=len(plan.rooms),
                  rooms_updated=plan.room_updates, rejected_rows=sorted({e.row for e in plan.errors}))
