"""What each step of the PDCA diagram records on the anomaly, called from diagram scripts.

``duty_step("planned", anomaly_id, plan)`` keeps the cause, the corrective and preventive action and the unit's own
deadline (the Do step is due at the end of that day, school time); ``duty_step("checked", anomaly_id, check)``
answers whether the check passed (on to Act) or failed (back to Plan, one more round counted);
``duty_step("standardised", anomaly_id, act)`` writes the post's new duty instructions and closes the anomaly.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.chasing import chase_steps
from workflows.duty.enums import CheckVerdict, Stage
from workflows.duty.models import Anomaly, Post
from workflows.people.timezone import school_zone
from workflows.stepping import StepRefused


def _uploaded(value: Any) -> list[dict]:
    return [item for item in (value or []) if isinstance(item, dict) and item.get("stored")]


def _day_end(anomaly: Anomaly, ctx: AdvanceContext, day: Any) -> datetime:
    """The end of the unit's deadline day in the school's time; today's end when none or a past day is given."""
    zone = school_zone(ctx.session, anomaly.school_id)
    today = ctx.at.astimezone(zone).date()
    chosen = day if hasattr(day, "year") else (datetime.fromisoformat(str(day)).date() if day else today)
    chosen = max(chosen, today)
    return datetime.combine(chosen + timedelta(days=1), time(0), zone).astimezone(UTC)  # UTC: SQLite keeps no offset


def _planned(anomaly: Anomaly, ctx: AdvanceContext, rules: RuleBook, plan: dict) -> dict:
    if anomaly.stage != Stage.plan:
        raise StepRefused(f"anomaly {anomaly.number} is not being planned")
    due = _day_end(anomaly, ctx, plan.get("deadline"))
    anomaly.cause, anomaly.corrective, anomaly.preventive = plan.get("cause"), plan.get("corrective"), plan.get("preventive")
    anomaly.deadline = (due - timedelta(days=1)).astimezone(school_zone(ctx.session, anomaly.school_id)).date()
    anomaly.close_due = due + rules.duration("duty.check.due_after")
    anomaly.stage = Stage.do
    return {"cause": anomaly.cause, "corrective": anomaly.corrective, "preventive": anomaly.preventive,
            "do_due": due.isoformat(), "round": anomaly.rounds}


def _done(anomaly: Anomaly, ctx: AdvanceContext, rules: RuleBook, done: dict) -> dict:
    if anomaly.stage != Stage.do:
        raise StepRefused(f"anomaly {anomaly.number} is not being carried out")
    photos = _uploaded(done.get("photos"))
    anomaly.done_note = done.get("note") or ""
    anomaly.photos = [*anomaly.photos, *({"kind": "evidence", **p} for p in photos)]
    anomaly.stage = Stage.check
    return {"note": anomaly.done_note, "photos": len(photos)}


def _checked(anomaly: Anomaly, ctx: AdvanceContext, rules: RuleBook, check: dict) -> dict:
    verdict = check.get("verdict")
    if verdict not in set(CheckVerdict):
        raise StepRefused(f"unknown verdict {verdict!r}")
    if anomaly.stage != Stage.check:
        raise StepRefused(f"anomaly {anomaly.number} is not being checked")
    anomaly.check_note = check.get("note") or ""
    passed = verdict == CheckVerdict.passed
    if passed:
        anomaly.stage = Stage.act
    else:
        anomaly.rounds += 1
        anomaly.stage = Stage.plan
    return {"verdict": verdict, "passed": passed, "note": anomaly.check_note, "round": anomaly.rounds}


def _standardised(anomaly: Anomaly, ctx: AdvanceContext, rules: RuleBook, act: dict) -> dict:
    if anomaly.stage != Stage.act:
        raise StepRefused(f"anomaly {anomaly.number} is not being standardised")
    instructions = (act.get("instructions") or "").strip()
    post = ctx.session.get(Post, anomaly.post_id) if anomaly.post_id else None
    if post is not None and instructions:
        post.instructions = instructions
    anomaly.stage, anomaly.closed_at, anomaly.episode_open = Stage.closed, ctx.at, False
    on_time = anomaly.close_due is None or ctx.at <= anomaly.close_due
    return {"instructions": instructions, "post_id": anomaly.post_id, "on_time": on_time}


STEPS: dict[str, Callable[..., dict]] = {
    "planned": _planned, "done": _done, "checked": _checked, "standardised": _standardised,
    **chase_steps("duty"),
}


def apply_step(rules: RuleBook, name: str, anomaly_id: int, *args: Any) -> dict:
    """Run step ``name`` on the anomaly inside the current advance and audit it."""
    return stepping.apply(STEPS, Anomaly, "duty", rules, name, anomaly_id, *args)
