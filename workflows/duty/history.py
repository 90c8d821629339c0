"""What an anomaly's timeline says about each PDCA step: the plan, what was done, the check, the new instructions,
the colours and chases."""
from __future__ import annotations

from typing import Any

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.chasing import chase_sayings
from workflows.duty.enums import CheckVerdict
from workflows.i18n import N_
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said


def _found(row: AuditEvent, _found: Any) -> Said:
    return Said(label=N_("Anomaly found"), automatic=True)


def _planned(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(notes=(Note(N_("Cause"), details.get("cause") or ""),
                       Note(N_("Corrective action"), details.get("corrective") or ""),
                       Note(N_("Preventive action"), details.get("preventive") or "")))


def _done(row: AuditEvent, _found: Any) -> Said:
    return Said(notes=(Note(N_("What was done"), (row.details or {}).get("note") or ""),))


def _checked(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    passed = details.get("verdict") == CheckVerdict.passed
    return Said(outcome=N_("passed") if passed else N_("failed: back to the plan"), warning=not passed,
                notes=(Note(N_("Notes"), details.get("note") or ""),))


def _standardised(row: AuditEvent, _found: Any) -> Said:
    return Said(notes=(Note(N_("Duty instructions"), (row.details or {}).get("instructions") or ""),))


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _found, "duty.planned": _planned, "duty.done": _done, "duty.checked": _checked,
    "duty.standardised": _standardised, **chase_sayings("duty"),
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE,
    reminders={"remind_plan": N_("Unit reminded to plan"), "remind_do": N_("Unit reminded to carry it out")},
    deadlines={"duty.plan.due_after": N_("plan due"), "duty.escalation.green.after": N_("turns green"),
               "duty.escalation.yellow.after": N_("turns yellow"), "duty.escalation.red.after": N_("turns red")},
)
