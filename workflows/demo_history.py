"""Two weeks of realistic, finished repair history for the demo school, inserted in bulk.

Closed orders are written as rows (order, rating, callbacks, rectifications, colour changes and a
timeline of audit events) rather than driven through the engine one by one: the figures on the
pages and the dashboard then look like a school's real fortnight (about 1,250 orders, about 93 %
completed, a good-rating rate near 98 %, a few dozen green/yellow/red orders solved) in seconds.
Orders still open are started through the engine so they sit in real inboxes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.clock import now
from engine.host import Host
from engine.models import AuditEvent
from workflows.catalogue.models import Building, CatalogueItem
from workflows.colours import Colour
from workflows.people.enums import Role
from workflows.people.models import Campus, OrgUnit, RoleAssignment, User
from workflows.people.timezone import school_zone
from workflows.repair.enums import Channel, ReviewDecision, Status
from workflows.repair.models import Callback, ColourChange, Rating, Rectification, WorkOrder
from workflows.repair.service import Intake, create_order

CHANNEL_WEIGHTS = {Channel.portal: 45, Channel.phone: 30, Channel.counter: 12, Channel.hotline: 10, Channel.api: 3}
PROBLEMS = ["漏水", "堵塞", "不亮", "损坏", "异响", "无法使用", "松动", "需要更换"]
PASSWORD = "houqin-demo"


@dataclass(frozen=True)
class HistoryPlan:
    days: int = 14
    orders: int = 1250
    open_orders: int = 82
    workers_per_team: int = 3
    requesters: int = 120
    seed: int = 20261114


def school_people(session: Session, school_id: int, *, workers_per_team: int, requesters: int,
                  prefix: str = "r") -> tuple[list[User], dict[int, list[User]]]:
    """Workers for every team and a crowd of requesters (one password hash: hashing is slow on purpose)."""
    password_hash = generate_password_hash(PASSWORD)

    def user(username: str, name: str, role: str, unit: int | None, phone: str | None = None) -> User:
        account = User(username=username, display_name=name, password_hash=password_hash, school_id=school_id, phone=phone)
        account.roles = [RoleAssignment(role=role, org_unit_id=unit, school_id=school_id)]
        session.add(account)
        return account

    teams = list(session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.kind == "team")))
    workers = {team.id: [user(f"w{team.id}_{i}", f"{team.name.split()[0][:2]}师傅{i}", Role.worker, team.id)
                         for i in range(1, workers_per_team + 1)] for team in teams}
    crowd = [user(f"{prefix}{i:03d}", f"师生{i:03d}", Role.requester, None, phone=f"139{i:08d}")
             for i in range(1, requesters + 1)]
    session.flush()
    return crowd, workers


@dataclass(frozen=True)
class Staff:
    """Who and where one school's orders are drawn from."""

    school_id: int
    campus_id: int
    auditor_id: int | None
    items: list
    buildings: list[int]
    requesters: list[User]
    workers: dict[int, list[User]]
    unit_of: dict[int, int | None]  # team -> its service unit


def staff(session: Session, school_id: int, requesters: list[User], workers: dict[int, list[User]]) -> Staff:
    """The school's catalogue, buildings and auditor around the given people."""
    items = list(session.scalars(select(CatalogueItem).where(CatalogueItem.school_id == school_id,
                                                             CatalogueItem.parent_id.is_not(None))))
    campus_id = session.scalar(select(Campus.id).where(Campus.school_id == school_id))
    if campus_id is None:
        raise LookupError(f"school {school_id} has no campus")
    return Staff(school_id=school_id, campus_id=campus_id,
                 auditor_id=session.scalar(select(User.id).join(RoleAssignment).where(
                     RoleAssignment.role == Role.auditor, User.school_id == school_id).limit(1)),
                 items=items, buildings=list(session.scalars(select(Building.id).where(Building.school_id == school_id))),
                 requesters=requesters, workers=workers,
                 unit_of={team: session.get_one(OrgUnit, team).parent_id for team in workers})


def _durations(rng: random.Random) -> tuple[timedelta, timedelta]:
    """Time to review and time from acceptance to completion, with a long tail."""
    review = timedelta(minutes=rng.choice([5, 10, 20, 30, 45, 60, 90, 150]))
    roll = rng.random()
    if roll < 0.888:
        work = timedelta(hours=rng.uniform(1, 60))
    elif roll < 0.953:
        work = timedelta(days=rng.uniform(3, 7))
    elif roll < 0.983:
        work = timedelta(days=rng.uniform(7, 15))
    else:
        work = timedelta(days=rng.uniform(15, 20))
    return review, work


def _colour_after(elapsed: timedelta) -> list[str]:
    return [c for c, days in ((Colour.green, 3), (Colour.yellow, 7), (Colour.red, 15)) if elapsed > timedelta(days=days)]


def closed_order(rng: random.Random, who: Staff, created: datetime, number: str) -> dict:
    """The row of one closed order received at ``created``, with realistic review and work times."""
    item = rng.choice(who.items)
    team = item.default_team_id
    worker = rng.choice(who.workers[team])
    requester = rng.choice(who.requesters)
    review, work = _durations(rng)
    accepted = created + review
    completed = accepted + work
    return {"school_id": who.school_id, "number": number,
            "channel": rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
            "requester_id": requester.id, "contact_name": requester.display_name, "contact_phone": requester.phone,
            "campus_id": who.campus_id, "building_id": rng.choice(who.buildings),
            "room": f"{rng.randint(1, 6)}{rng.randint(1, 30):02d}",
            "catalogue_item_id": item.id, "description": f"{item.name_zh}{rng.choice(PROBLEMS)}",
            "urgency": "urgent" if rng.random() < 0.1 else "normal", "status": Status.closed,
            "colour": (_colour_after(work) or [Colour.none])[-1], "unit_id": who.unit_of[team], "team_id": team,
            "worker_id": worker.id, "created_at": created, "accepted_at": accepted, "completed_at": completed,
            "closed_at": completed, "result_note": "已处理完毕", "rectification_rounds": 0}


def numbered(created_times: list[datetime], per_day: dict[str, int], zone: ZoneInfo) -> list[tuple[datetime, str]]:
    """Order numbers ``BX<day><sequence>`` for sorted receipt times, continuing the counts in ``per_day``; the day
    is the school's (``zone``), as for orders taken live."""
    result = []
    for created in created_times:
        day = f"{created.astimezone(zone):%Y%m%d}"
        per_day[day] = per_day.get(day, 0) + 1
        result.append((created, f"BX{day}{per_day[day]:04d}"))
    return result


def seed_history(session: Session, host: Host, *, school_id: int, uploads_dir: Path, plan: HistoryPlan = HistoryPlan()) -> int:
    """Insert the history; return how many orders it created. Idempotent per school."""
    if session.scalar(select(User.id).where(User.username == "r001")):
        return 0
    rng = random.Random(plan.seed)
    requesters, workers = school_people(session, school_id, workers_per_team=plan.workers_per_team,
                                        requesters=plan.requesters)
    who = staff(session, school_id, requesters, workers)
    end = now() - timedelta(days=1)
    start = end - timedelta(days=plan.days)
    closed = plan.orders - plan.open_orders
    created_times = sorted(start + timedelta(seconds=rng.uniform(0, plan.days * 86400)) for _ in range(closed))
    zone = school_zone(session, school_id)
    orders = [closed_order(rng, who, created, number) for created, number in numbered(created_times, {}, zone)]
    rows: dict[str, list[dict[str, Any]]] = {"rating": [], "callback": [], "rectification": [], "colour": [], "audit": []}
    result = session.execute(insert(WorkOrder).returning(WorkOrder.id), orders)
    for order, order_id in zip(orders, result.scalars(), strict=True):
        outcome_rows(rng, order, order_id, who.auditor_id, rows)
    session.execute(insert(Rating), rows["rating"])
    for table, key in ((Callback, "callback"), (Rectification, "rectification"), (ColourChange, "colour"), (AuditEvent, "audit")):
        if rows[key]:
            session.execute(insert(table), rows[key])
    _open_orders(session, host, rng, who, uploads_dir, plan.open_orders)
    return plan.orders


def outcome_rows(rng: random.Random, order: dict, order_id: int, auditor_id: int | None, rows: dict) -> None:
    """Rating, callbacks, rectification, colours and timeline of one closed order."""
    completed: datetime = order["completed_at"]
    base = {"school_id": order["school_id"], "order_id": order_id}
    roll = rng.random()
    rated_at = completed + timedelta(hours=rng.uniform(0.5, 30))
    rating = {**base, "round": 0, "requester_id": order["requester_id"], "catalogue_item_id": order["catalogue_item_id"],
              "worker_id": order["worker_id"], "created_at": rated_at, "is_default": False, "is_bad": False}
    events = [("order.reviewed", order["accepted_at"], {"decision": ReviewDecision.accept}),
              ("order.dispatched", order["accepted_at"] + timedelta(minutes=10), {"worker_id": order["worker_id"]}),
              ("order.completed", completed, {"result": order["result_note"]})]
    if roll < 0.015:  # bad rating: callback, usually a rectification, then a good re-rating
        rows["rating"].append({**rating, "overall": rng.choice([1, 2]), "quality": 2, "efficiency": 2, "attitude": 3,
                               "comment": "问题没有彻底解决", "is_bad": True})
        callback_at = rated_at + timedelta(hours=2)
        rows["callback"].append({**base, "round": 0, "kind": "callback", "auditor_id": auditor_id,
                                 "requester_said": "反映问题反复出现", "real_problem": True, "created_at": callback_at})
        fixed_at = callback_at + timedelta(hours=20)
        rows["rectification"].append({**base, "round": 1, "result_note": "更换部件，彻底修复", "started_at": callback_at,
                                      "due_at": callback_at + timedelta(days=2), "completed_at": fixed_at})
        rows["callback"].append({**base, "round": 1, "kind": "followup", "auditor_id": auditor_id,
                                 "requester_said": "已修好，满意", "real_problem": None, "created_at": fixed_at + timedelta(hours=1)})
        rows["rating"].append({**rating, "round": 1, "overall": 5, "quality": 5, "efficiency": 4, "attitude": 5,
                               "created_at": fixed_at + timedelta(hours=3)})
        order["closed_at"] = fixed_at + timedelta(hours=3)
        events += [("order.rated", rated_at, {"bad": True}), ("order.called_back", callback_at, {"kind": "callback"}),
                   ("order.rectified", fixed_at, {"round": 1})]
    elif roll < 0.08:  # never rated: default-good after the rule's period
        rows["rating"].append({**rating, "overall": 5, "is_default": True, "created_at": completed + timedelta(days=7)})
        events.append(("order.rated", completed + timedelta(days=7), {"default": True}))
    else:
        overall = rng.choices([5, 4, 3], weights=[80, 16, 4])[0]
        rows["rating"].append({**rating, "overall": overall, "quality": overall, "efficiency": max(3, overall - rng.randint(0, 1)),
                               "attitude": overall, "comment": rng.choice([None, "师傅很负责", "速度很快", "满意"])})
        events.append(("order.rated", rated_at, {"overall": overall}))
    for colour, days in ((Colour.green, 3), (Colour.yellow, 7), (Colour.red, 15)):
        if completed - order["accepted_at"] > timedelta(days=days):
            at = order["accepted_at"] + timedelta(days=days)
            rows["colour"].append({**base, "colour": colour, "at": at})
            events.append(("order.coloured", at, {"colour": colour}))
    events.append(("order.closed", order["closed_at"], {"colour": order["colour"]}))
    rows["audit"].extend({"at": at, "action": action, "actor": "history", "business_key": order["number"],
                          "school_id": order["school_id"], "details": details} for action, at, details in events)


def open_order(session: Session, host: Host, rng: random.Random, who: Staff, uploads_dir: Path, *,
               items: list | None = None) -> WorkOrder:
    """A new order reported through the engine by one of the school's requesters (of one of ``items``)."""
    requester, item = rng.choice(who.requesters), rng.choice(items or who.items)
    if requester.phone is None:
        raise ValueError(f"requester {requester.username} has no phone number to be called back on")
    return create_order(session, host, school_id=who.school_id, uploads_dir=uploads_dir, intake=Intake(
        channel=rng.choice(list(CHANNEL_WEIGHTS)), requester_id=requester.id, contact_name=requester.display_name,
        contact_phone=requester.phone, campus_id=who.campus_id, building_id=rng.choice(who.buildings),
        room=f"{rng.randint(1, 6)}{rng.randint(1, 30):02d}", catalogue_item_id=item.id,
        description=f"{item.name_zh}{rng.choice(PROBLEMS)}"))


def _open_orders(session: Session, host: Host, rng: random.Random, who: Staff, uploads_dir: Path, count: int) -> None:
    for _ in range(count):
        open_order(session, host, rng, who, uploads_dir)
