"""What each step of the repair diagram records on the order, called from diagram scripts.

Scripts call ``order_step("rated", order_id, rating)``; the step runs inside the advance's
transaction (so it commits or rolls back with the workflow state) and writes an audit row that
the order's timeline shows. One dict maps step names to handlers, so the diagram's vocabulary is
visible in one place.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from engine import context
from engine.context import AdvanceContext
from rules.book import RuleBook, Scope
from workflows import stepping
from workflows.colours import ESCALATION
from workflows.people.enums import Role
from workflows.people.service import answering_unit
from workflows.repair.enums import AppealDecision, Channel, JobAnswer, RealProblem, ReviewDecision, Status
from workflows.repair.events import publish_step
from workflows.repair.models import Appeal, Callback, ColourChange, Rating, Rectification, Urging, WorkOrder
from workflows.stepping import StepRefused


def _reviewed(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, review: dict) -> dict:
    """Record the auditor's decision; answer who else took the order for the requester (a clerk at the counter or on
    the hotline; not an import's or an integration's account), who may add what a returned order misses and is told
    of the decision beside the requester."""
    decision = review.get("decision")
    if decision == ReviewDecision.accept:
        order.status, order.accepted_at = Status.accepted, ctx.at
    elif decision == ReviewDecision.return_:
        order.status = Status.returned
    elif decision == ReviewDecision.reject:
        order.status, order.reject_reason, order.closed_at = Status.rejected, review.get("reason"), ctx.at
    else:
        raise StepRefused(f"unknown review decision {decision!r}")
    took_it = order.channel in (Channel.counter, Channel.hotline) and order.entered_by_id != order.requester_id
    entered_by = order.entered_by_id if took_it else None
    return {"decision": decision, "reason": review.get("reason"), "entered_by": entered_by}


def _supplemented(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, supplement: dict) -> dict:
    order.description = f"{order.description}\n—\n{supplement.get('details', '')}".strip()
    order.status = Status.submitted
    return {"details": supplement.get("details")}


def _lapsed(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, _data: Any = None) -> dict:
    """A returned order whose missing information never came within the rule's time: not accepted, closed."""
    order.status, order.closed_at = Status.rejected, ctx.at
    return {"after": str(rules.value("repair.supplement.close_after"))}


def _dispatched(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, dispatch: dict) -> dict:
    order.worker_id = int(dispatch["worker_id"]) if dispatch.get("worker_id") else None
    order.team_id = int(dispatch["team_id"]) if dispatch.get("team_id") else order.team_id
    order.status = Status.dispatched
    return {"worker_id": order.worker_id, "team_id": order.team_id, "note": dispatch.get("note") or None}


def _job_accepted(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, answer: dict) -> dict:
    if answer.get("decision") == JobAnswer.decline:
        order.status, order.worker_id = Status.accepted, None
        return {"declined": True, "reason": answer.get("reason")}
    order.status, order.worker_id = Status.in_progress, ctx.actor.id
    return {"worker_id": ctx.actor.id}


def _completed(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, completion: dict) -> dict:
    order.status, order.completed_at = Status.completed, ctx.at
    order.result_note, order.materials = completion.get("result"), completion.get("materials")
    return {"result": order.result_note}


def _rated(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, rating: dict) -> dict:
    default = bool(rating.get("default"))
    overall = int(rating["overall"])
    row = Rating(school_id=order.school_id, order_id=order.id, round=order.rectification_rounds,
                 requester_id=order.requester_id, catalogue_item_id=order.catalogue_item_id, worker_id=order.worker_id,
                 overall=overall, quality=_int(rating.get("quality")), efficiency=_int(rating.get("efficiency")),
                 attitude=_int(rating.get("attitude")), comment=rating.get("comment"), is_default=default,
                 is_bad=not default and overall < int(rules.value("repair.rating.bad_below")), created_at=ctx.at)
    ctx.session.add(row)
    if row.is_bad:
        order.status = Status.callback
    return {"overall": overall, "bad": row.is_bad, "default": default, "round": row.round}


def _called_back(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, callback: dict, kind: str = "callback") -> dict:
    real = callback.get("real_problem")
    ctx.session.add(Callback(school_id=order.school_id, order_id=order.id, round=order.rectification_rounds, kind=kind,
                             auditor_id=ctx.actor.id, requester_said=callback.get("requester_said", ""),
                             real_problem=None if real is None else real == RealProblem.yes, created_at=ctx.at))
    if kind == "callback" and real == RealProblem.yes:
        order.status = Status.rectifying
    return {"kind": kind, "real_problem": real}


def _rectified(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, rectification: dict) -> dict:
    """Record the round with when the callback asked for it and the deadline the rules gave it then."""
    asked = ctx.session.scalar(select(func.max(Callback.created_at)).where(
        Callback.order_id == order.id, Callback.round == order.rectification_rounds, Callback.kind == "callback")) or ctx.at
    order.rectification_rounds += 1
    ctx.session.add(Rectification(school_id=order.school_id, order_id=order.id, round=order.rectification_rounds,
                                  done_by_id=ctx.actor.id, result_note=rectification.get("result", ""), started_at=asked,
                                  due_at=rules.deadline("repair.rectification.due_after", asked),
                                  completed_at=ctx.at))
    order.status = Status.completed
    return {"round": order.rectification_rounds}


def _leader_review(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, _data: Any = None) -> dict:
    order.status = Status.leader_review
    return {}


def _coloured(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, colour: str) -> dict:
    """Record the colour and answer who chases it: the role the rules name, in the order's unit when someone holds
    the role for it, else school-wide (the diagram sends the message and offers the chase task to the same people)."""
    if colour not in ESCALATION:
        raise StepRefused(f"unknown colour {colour!r}")
    order.colour = colour
    if not ctx.session.scalar(select(ColourChange.id).where(ColourChange.order_id == order.id, ColourChange.colour == colour)):
        ctx.session.add(ColourChange(school_id=order.school_id, order_id=order.id, colour=colour, at=ctx.at))
    role = str(rules.value(f"repair.escalation.{colour}.role"))
    unit = answering_unit(ctx.session, role=role, school_id=order.school_id, org_unit_id=order.unit_id)
    return {"colour": colour, "role": role, "unit": unit}


def _urged(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, colour: str, urge: dict) -> dict:
    """Record the chase and answer who is chased (the diagram tells them): the order's worker; while nobody has the
    job, its team's workers; with no team either, the auditors of its unit (of the school when it has none), who
    dispatch it. ``worker_id`` and ``team_id`` stay in the answer for orders still running an earlier version of the
    diagram, whose script chose from them."""
    ctx.session.add(Urging(school_id=order.school_id, order_id=order.id, colour=colour, user_id=ctx.actor.id,
                           action_note=urge.get("action", ""), created_at=ctx.at))
    chased: dict[str, Any]
    if order.worker_id is not None:
        chased = {"users": [order.worker_id], "roles": [], "unit": None}
    elif order.team_id is not None:
        chased = {"users": [], "roles": [Role.worker.value], "unit": order.team_id}
    else:
        chased = {"users": [], "roles": [Role.auditor.value], "unit": order.unit_id}
    return {"colour": colour, "action": urge.get("action"), "chased": chased, "worker_id": order.worker_id,
            "team_id": order.team_id}


def _closed(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, _data: Any = None) -> dict:
    ctx.session.flush()
    last_bad = ctx.session.scalar(select(func.max(Rating.created_at)).where(Rating.order_id == order.id, Rating.is_bad.is_(True)))
    if last_bad is not None:
        called = ctx.session.scalar(select(func.count(Callback.id)).where(
            Callback.order_id == order.id, Callback.kind == "callback", Callback.created_at >= last_bad))
        if not called:
            raise StepRefused(f"order {order.number} has a bad rating and no recorded callback; it cannot close")
    order.status, order.closed_at = Status.closed, ctx.at
    return {"colour": order.colour}


def _appeal_decided(order: WorkOrder, ctx: AdvanceContext, rules: _Rules, appeal_id: int, decision: dict) -> dict:
    appeal = ctx.session.get(Appeal, appeal_id)
    if appeal is None or appeal.decision is not None:
        raise StepRefused(f"appeal {appeal_id} is not open")
    if decision.get("decision") not in tuple(AppealDecision):
        raise StepRefused(f"unknown appeal decision {decision.get('decision')!r}")
    appeal.decision, appeal.decision_note = decision["decision"], decision.get("note")
    appeal.decided_by_id, appeal.decided_at = ctx.actor.id, ctx.at
    ctx.session.get_one(Rating, appeal.rating_id).appeal_status = appeal.decision
    return {"appeal": appeal_id, "decision": appeal.decision, "note": appeal.decision_note}


class _Rules:
    """The rule book seen through the order's rule scope (item, category), so handlers just ask ``rules.value(key)``."""

    def __init__(self, book: RuleBook, scope: Scope) -> None:
        self.book, self.scope = book, scope

    def value(self, key: str) -> Any:
        return self.book.value(key, self.scope)

    def deadline(self, key: str, start: datetime) -> datetime:
        """When a wait of ``key`` begun at ``start`` ends: working time where the school counts it so, as timers do."""
        return self.book.deadline(key, start, self.scope)


STEPS: dict[str, Callable[..., dict]] = {
    "reviewed": _reviewed, "supplemented": _supplemented, "lapsed": _lapsed, "dispatched": _dispatched, "job_accepted": _job_accepted,
    "completed": _completed, "rated": _rated, "called_back": _called_back, "rectified": _rectified,
    "leader_review": _leader_review, "coloured": _coloured, "urged": _urged, "closed": _closed,
    "appeal_decided": _appeal_decided,
}


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def apply_step(rules: RuleBook, scope: Scope, name: str, order_id: int, *args: Any) -> dict:
    """Run step ``name`` on the order inside the current advance and audit it.

    ``rules`` and ``scope`` are the rule book and the order's rule scope (item, category) the step decides by.
    """
    details = stepping.apply(STEPS, WorkOrder, "order", _Rules(rules, scope), name, order_id, *args)
    publish_step(context.current().session.get_one(WorkOrder, order_id), name, details)
    return details
