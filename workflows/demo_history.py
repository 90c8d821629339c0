"""Two months of a demo school's repair orders: the finished ones inserted in bulk, the rest handed on to be
replayed through the engine.

Every order is one life of :mod:`workflows.demo_lives`, received at a busy or quiet hour of the last 60 days. A
life that ended before now is written as rows (order, ratings, callbacks, rectifications, colour changes, chases
and the audit rows of its timeline, each naming who did it as the engine would: the auditor, the worker, the
requester, "system" only for what timers did), which takes seconds where driving thousands of orders through the
engine would take minutes. Nothing is dated after now. The lives still under way, and a few :data:`STORIES` that
make sure every stage and colour can be seen, are returned for :mod:`workflows.demo_replay`. With about 35
orders a day the figures are those of seed 1's school at a smaller size: about 93 % of a fortnight's orders
completed, about 98 % of ratings good.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from engine.actor import SYSTEM
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.models import AuditEvent
from rules.book import RuleBook
from workflows.colours import Colour
from workflows.demo_lives import Life, Step, Story, draw, receipt_times
from workflows.demo_people import Staff, school_people, staff
from workflows.people.models import User
from workflows.people.timezone import school_zone
from workflows.repair.enums import RealProblem, Status
from workflows.repair.models import Callback, ColourChange, Rating, Rectification, Urging, WorkOrder

PROCESS_KEY = "repair"
ROW_TABLES = {"rating": Rating, "callback": Callback, "rectification": Rectification, "colour": ColourChange,
              "urging": Urging, "audit": AuditEvent}
STORIES = (  # open orders the demo always shows, whatever the draw: each stage, each colour with its chase
    Story(ago=timedelta(minutes=25), waits_for="repair_review"),
    Story(ago=timedelta(hours=3), waits_for="repair_dispatch"),
    Story(ago=timedelta(hours=7), waits_for="repair_accept"),
    Story(ago=timedelta(days=1, hours=2), work=timedelta(days=5)),
    Story(ago=timedelta(days=4, hours=3), work=timedelta(days=30)),  # green, chased by the service hall
    Story(ago=timedelta(days=5, hours=20), work=timedelta(days=30)),
    Story(ago=timedelta(days=9, hours=5), work=timedelta(days=30)),  # yellow: the deputy leader chases
    Story(ago=timedelta(days=12, hours=1), work=timedelta(days=30)),
    Story(ago=timedelta(days=17, hours=6), work=timedelta(days=40)),  # red: the main leader chases
    Story(ago=timedelta(days=2, hours=4), work=timedelta(hours=20), bad=True, waits_for="repair_callback"),
    Story(ago=timedelta(days=3, hours=8), work=timedelta(hours=10), bad=True, waits_for="repair_rectify"),
)


@dataclass(frozen=True)
class HistoryPlan:
    days: int = 60
    per_day: int = 35
    workers_per_team: int = 3
    requesters: int = 300
    seed: int = 20261114
    stories: tuple[Story, ...] = STORIES


@dataclass(frozen=True)
class History:
    """What :func:`seed_history` did: the closed orders written, the lives still under way (oldest first) and
    the instant both were reckoned at."""

    closed: int
    open: list[Life]
    until: datetime


def seed_history(session: Session, rules: RuleBook, *, school_id: int, plan: HistoryPlan = HistoryPlan()) -> History:
    """Write the closed history of ``school_id`` (whose rules are ``rules``) and return it with the open lives.
    Idempotent: a school that has its requesters already gets nothing."""
    until = now()
    if session.scalar(select(User.id).where(User.school_id == school_id, User.username == "r001")):
        return History(0, [], until)
    rng = random.Random(plan.seed)
    requesters, workers = school_people(session, school_id, workers_per_team=plan.workers_per_team,
                                        requesters=plan.requesters, seed=plan.seed)
    who = staff(session, school_id, requesters, workers)
    zone = school_zone(session, school_id)
    times = receipt_times(rng, end=until, days=plan.days, count=plan.days * plan.per_day, zone=zone)
    lives = [draw(rng, who, rules, received, until=until) for received in times]
    lives += [draw(rng, who, rules, until - story.ago, until=until, story=story) for story in plan.stories]
    closed = sorted((life for life in lives if life.done_by(until)), key=lambda life: life.received)
    orders = [order_row(life, number) for life, number in zip(closed, numbered([c.received for c in closed], {}, zone),
                                                               strict=True)]
    rows: dict[str, list[dict[str, Any]]] = {key: [] for key in ROW_TABLES}
    ids = session.execute(insert(WorkOrder).returning(WorkOrder.id, sort_by_parameter_order=True), orders).scalars()
    for life, order, order_id in zip(closed, orders, ids, strict=True):
        outcome_rows(life, order_id, order["number"], who, rules, rows)
    for key, table in ROW_TABLES.items():
        if rows[key]:
            session.execute(insert(table), rows[key])
    return History(len(closed), sorted((life for life in lives if not life.done_by(until)), key=lambda life: life.received),
                   until)


def numbered(created_times: list[datetime], per_day: dict[str, int], zone: ZoneInfo) -> list[str]:
    """Order numbers ``BX<day><sequence>`` for sorted receipt times, continuing the counts in ``per_day``; the day
    is the school's (``zone``), as for orders taken live."""
    result = []
    for created in created_times:
        day = f"{created.astimezone(zone):%Y%m%d}"
        per_day[day] = per_day.get(day, 0) + 1
        result.append(f"BX{day}{per_day[day]:04d}")
    return result


def order_row(life: Life, number: str) -> dict[str, Any]:
    """The work-order row of a life that has ended."""
    completion = next(s for s in life.steps if s.form_key == "repair_complete")
    intake = life.intake
    return {"school_id": life.school_id, "number": number, "channel": intake.channel, "requester_id": intake.requester_id,
            "contact_name": intake.contact_name, "contact_phone": intake.contact_phone, "campus_id": intake.campus_id,
            "building_id": intake.building_id, "room": intake.room, "catalogue_item_id": intake.catalogue_item_id,
            "description": intake.description, "urgency": intake.urgency, "status": Status.closed,
            "colour": life.colours[-1][0] if life.colours else Colour.none, "unit_id": life.unit_id,
            "team_id": life.team_id, "worker_id": life.worker_id, "created_at": life.received,
            "accepted_at": life.at("repair_review"), "completed_at": completion.at, "closed_at": life.ended,
            "result_note": completion.data["result"], "materials": completion.data["materials"] or None,
            "rectification_rounds": sum(s.form_key == "repair_rectify" for s in life.steps)}


def outcome_rows(life: Life, order_id: int, number: str, who: Staff, rules: RuleBook, rows: dict[str, list[dict]]) -> None:
    """The records of an ended life (ratings, callbacks, rectifications, colours, chases) and its timeline's audit
    rows, each as the step that wrote it would have under ``rules``, appended to ``rows`` by table."""
    bad_below = int(rules.value("repair.rating.bad_below"))
    base = {"school_id": life.school_id, "order_id": order_id}
    audit: list[tuple[datetime, str, str, dict[str, Any]]] = [
        (life.received, AuditAction.INSTANCE_STARTED, SYSTEM.label, {"process_key": PROCESS_KEY})]
    rounds = 0
    for step in life.steps:
        actor = who.labels[step.user_id]
        action, details = _recorded(step, rounds, bad_below)
        audit.append((step.at, action, actor, details))
        if step.form_key == "repair_rating":
            rows["rating"].append({**base, **_rating(life, step, rounds), "is_default": False, "is_bad": details["bad"]})
        elif step.form_key in ("repair_callback", "repair_followup"):
            rows["callback"].append({**base, "round": rounds, "kind": details["kind"], "auditor_id": step.user_id,
                                     "requester_said": step.data["requester_said"],
                                     "real_problem": None if details["real_problem"] is None
                                     else details["real_problem"] == RealProblem.yes,
                                     "created_at": step.at})
        elif step.form_key == "repair_rectify":
            rounds += 1
            called = max(s.at for s in life.steps if s.form_key == "repair_callback" and s.at < step.at)
            rows["rectification"].append({**base, "round": rounds, "done_by_id": step.user_id,
                                          "result_note": step.data["result"], "started_at": called,
                                          "due_at": rules.deadline("repair.rectification.due_after", called),
                                          "completed_at": step.at})
        elif step.form_key == "repair_urge":
            rows["urging"].append({**base, "colour": step.colour, "user_id": step.user_id,
                                   "action_note": step.data["action"], "created_at": step.at})
    for colour, at in life.colours:
        rows["colour"].append({**base, "colour": colour, "at": at})
        audit.append((at, "order.coloured", SYSTEM.label, {"colour": colour}))
    if life.default_good is not None:
        rows["rating"].append({**base, "round": 0, "requester_id": life.intake.requester_id,
                               "catalogue_item_id": life.intake.catalogue_item_id, "worker_id": life.worker_id,
                               "overall": 5, "is_default": True, "is_bad": False, "created_at": life.default_good})
        audit.append((life.default_good, "order.rated", SYSTEM.label,
                      {"overall": 5, "bad": False, "default": True, "round": 0}))
    audit.sort(key=lambda row: row[0])
    closing_actor = audit[-1][2]  # the close runs in the advance of whoever (or whatever) acted last
    audit.append((life.ended or audit[-1][0], "order.closed", closing_actor,
                  {"colour": life.colours[-1][0] if life.colours else Colour.none}))
    rows["audit"].extend({"at": at, "action": action, "actor": actor, "business_key": number,
                          "school_id": life.school_id, "details": details} for at, action, actor, details in audit)


def _recorded(step: Step, rounds: int, bad_below: int) -> tuple[str, dict[str, Any]]:
    """The audit action and details the diagram's step records when a person does ``step``."""
    data = step.data
    match step.form_key:
        case "repair_review":
            return "order.reviewed", {"decision": data["decision"], "reason": None}
        case "repair_dispatch":
            return "order.dispatched", {"worker_id": int(data["worker_id"]), "team_id": int(data["team_id"]), "note": None}
        case "repair_accept":
            return "order.job_accepted", {"worker_id": step.user_id}
        case "repair_complete":
            return "order.completed", {"result": data["result"]}
        case "repair_rating":
            return "order.rated", {"overall": data["overall"], "bad": data["overall"] < bad_below, "default": False,
                                   "round": rounds}
        case "repair_callback":
            return "order.called_back", {"kind": "callback", "real_problem": data["real_problem"]}
        case "repair_followup":
            return "order.called_back", {"kind": "followup", "real_problem": None}
        case "repair_rectify":
            return "order.rectified", {"round": rounds + 1}
        case "repair_urge":
            return "order.urged", {"colour": step.colour, "action": data["action"]}
    raise ValueError(f"no recorded step for form {step.form_key!r}")


def _rating(life: Life, step: Step, rounds: int) -> dict[str, Any]:
    data = step.data
    return {"round": rounds, "requester_id": life.intake.requester_id, "catalogue_item_id": life.intake.catalogue_item_id,
            "worker_id": life.worker_id, "overall": data["overall"], "quality": data["quality"],
            "efficiency": data["efficiency"], "attitude": data["attitude"], "comment": data["comment"] or None,
            "created_at": step.at}
