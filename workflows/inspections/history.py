"""What the timelines of a round and of a finding say about each step: the round planned, started and done (its
score, who confirmed on site), the finding recorded, each fix with its note and photos, each re-check, the colours
and chases."""
from __future__ import annotations

from typing import Any

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.chasing import chase_sayings
from workflows.i18n import N_
from workflows.inspections.enums import InspectionAction
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said


def _recorded(row: AuditEvent, _found: Any) -> Said:
    return Said(label=N_("Finding recorded"), automatic=True)


def _planned(row: AuditEvent, _found: Any) -> Said:
    return Said(automatic=True, notes=(Note(N_("Day"), (row.details or {}).get("planned_on") or ""),))


def _done(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    findings = details.get("findings") or []
    return Said(outcome=N_("problems found") if findings else N_("no problems"), warning=bool(findings),
                notes=(Note(N_("Score"), str(details.get("score", ""))), Note(N_("What was found"), "、".join(findings)),
                       Note(N_("Confirmed on site by"), details.get("confirmed_by") or ""),
                       Note(N_("Note"), details.get("note") or "")))


def _rectified(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(warning=not details.get("on_time", True), photos=tuple(details.get("photos") or ()),
                outcome=None if details.get("on_time", True) else N_("after the deadline"),
                notes=(Note(N_("What was rectified"), details.get("note") or ""),))


def _rechecked(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    passed = bool(details.get("passed"))
    return Said(outcome=N_("fixed: closed") if passed else N_("not fixed: rectify again"), warning=not passed,
                notes=(Note(N_("Comment"), details.get("comment") or ""),))


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _recorded, InspectionAction.round_planned: _planned, InspectionAction.round_done: _done,
    InspectionAction.rectified: _rectified, InspectionAction.rechecked: _rechecked,
    **chase_sayings("inspections"),
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE,
    reminders={"remind_unit": N_("Unit reminded to rectify")},
    deadlines={"inspections.escalation.green.after": N_("turns green"),
               "inspections.escalation.yellow.after": N_("turns yellow"),
               "inspections.escalation.red.after": N_("turns red")},
    photo_link=("inspections.photo", "stored"),
)
