"""What each step of the finding diagram records on the finding, called from diagram scripts.

``inspection_step("rectified", finding_id, rectification)`` keeps the unit's note and photos of the fix;
``inspection_step("rechecked", finding_id, recheck)`` closes the finding when the inspector passes the fix, or
returns it to rectification with a fresh deadline from the severity's rule; ``coloured`` answers who chases.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.chasing import chase_steps
from workflows.colours import Colour
from workflows.inspections.enums import FindingStatus, Recheck
from workflows.inspections.models import InspectionFinding
from workflows.stepping import StepRefused


def _uploaded(value: Any) -> list[dict]:
    return [item for item in (value or []) if isinstance(item, dict) and item.get("stored")]


def _rectified(finding: InspectionFinding, ctx: AdvanceContext, rules: RuleBook, rectification: dict) -> dict:
    if finding.status != FindingStatus.rectifying:
        raise StepRefused(f"finding {finding.number} is not being rectified")
    photos = _uploaded(rectification.get("photos"))
    finding.fix_note = (rectification.get("note") or "").strip()
    finding.fix_photos = [*finding.fix_photos, *photos]  # every round's, so each timeline line keeps its photos
    finding.rectified_at, finding.status = ctx.at, FindingStatus.rechecking
    return {"note": finding.fix_note, "photos": [p["stored"] for p in photos], "round": finding.rounds,
            "on_time": ctx.at <= finding.due_at}


def _rechecked(finding: InspectionFinding, ctx: AdvanceContext, rules: RuleBook, recheck: dict) -> dict:
    verdict = recheck.get("passed")
    if verdict not in set(Recheck):
        raise StepRefused(f"unknown re-check verdict {verdict!r}")
    passed = verdict == Recheck.passed
    details: dict[str, Any] = {"passed": passed, "comment": recheck.get("comment"), "round": finding.rounds}
    if passed:
        finding.status, finding.closed_at = FindingStatus.closed, ctx.at
        details["on_time"] = finding.rectified_at is not None and finding.rectified_at <= finding.first_due_at
        return details
    finding.rounds += 1
    finding.status, finding.colour = FindingStatus.rectifying, Colour.none
    finding.due_at = rules.deadline(f"inspections.finding.{finding.severity}.due_after", ctx.at)
    return {**details, "round": finding.rounds, "due_at": finding.due_at.isoformat()}


STEPS: dict[str, Callable[..., dict]] = {
    "rectified": _rectified, "rechecked": _rechecked, **chase_steps("inspections"),
}


def apply_step(rules: RuleBook, name: str, finding_id: int, *args: Any) -> dict:
    """Run step ``name`` on the finding inside the current advance and audit it."""
    return stepping.apply(STEPS, InspectionFinding, "inspections", rules, name, finding_id, *args)
