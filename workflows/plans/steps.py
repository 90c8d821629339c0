"""What each step of the work-plan diagram records on the occurrence, called from diagram scripts.

Scripts call ``plan_step("reviewed", occurrence_id, review)``; the step runs inside the advance's
transaction and writes an audit row that the occurrence's timeline shows.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.colours import ESCALATION
from workflows.plans.enums import Evidence, OccurrenceStatus, Passed
from workflows.plans.models import PlanOccurrence


def _reminded(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook) -> dict:
    occ.status, occ.reminded_at = OccurrenceStatus.reminded, ctx.at
    return {"starts_at": occ.starts_at.isoformat()}


def _uploaded(value: Any) -> list[dict]:
    return [item for item in (value or []) if isinstance(item, dict) and item.get("stored")]


def _executed(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook, execution: dict) -> dict:
    photos, sheet = _uploaded(execution.get("photos")), _uploaded(execution.get("signed_sheet"))
    readings = (execution.get("meter_readings") or "").strip()
    given = {Evidence.photos: bool(photos), Evidence.signed_sheet: bool(sheet), Evidence.meter_readings: bool(readings)}
    missing = [kind for kind in occ.plan.evidence if not given.get(kind)]
    if not execution.get("checklist_done"):
        missing.append("checklist")
    occ.evidence = [*occ.evidence, *({"kind": "photo", **p} for p in photos), *({"kind": "signed_sheet", **s} for s in sheet)]
    if missing:
        return {"missing": missing}
    occ.checklist_done = list(occ.plan.checklist)
    occ.execution_note, occ.meter_readings = execution.get("note"), readings or None
    occ.status, occ.executed_at = OccurrenceStatus.under_review, ctx.at
    return {"missing": [], "photos": len(photos), "note": occ.execution_note}


def _reviewed(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook, review: dict) -> dict:
    passed = review.get("passed") == Passed.yes
    occ.score, occ.passed, occ.review_comment = int(review["score"]), passed, review.get("comment")
    if not passed:
        occ.rectification_rounds += 1
        occ.status = OccurrenceStatus.rectifying
    return {"passed": passed, "score": occ.score, "round": occ.rectification_rounds, "comment": occ.review_comment}


def _rectified(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook, rectification: dict) -> dict:
    photos = _uploaded(rectification.get("photos"))
    occ.evidence = [*occ.evidence, *({"kind": "rectification_photo", **p} for p in photos)]
    occ.status = OccurrenceStatus.under_review
    return {"round": occ.rectification_rounds, "note": rectification.get("note")}


def _coloured(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook, colour: str) -> dict:
    if colour not in ESCALATION:
        raise stepping.StepRefused(f"unknown colour {colour!r}")
    occ.colour = colour
    return {"colour": colour}


def _failed(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook) -> dict:
    occ.status, occ.closed_at = OccurrenceStatus.failed, ctx.at
    return {"rounds": occ.rectification_rounds}


def _closed(occ: PlanOccurrence, ctx: AdvanceContext, rules: RuleBook) -> dict:
    if occ.status != OccurrenceStatus.failed:
        occ.status, occ.closed_at = OccurrenceStatus.closed, ctx.at
    return {"status": occ.status, "score": occ.score}


STEPS: dict[str, Callable[..., dict]] = {
    "reminded": _reminded, "executed": _executed, "reviewed": _reviewed, "rectified": _rectified,
    "coloured": _coloured, "failed": _failed, "closed": _closed,
}


def apply_step(rules: RuleBook, name: str, occurrence_id: int, *args: Any) -> dict:
    """Run step ``name`` on the occurrence inside the current advance and audit it."""
    return stepping.apply(STEPS, PlanOccurrence, "plan", rules, name, occurrence_id, *args)
