"""What a plan occurrence's timeline says about each step: the execution's note (or the evidence still missing),
the evaluation's verdict, score and comment, the rectification's note, the overdue colour; the reminders before
it starts fold into one line."""
from __future__ import annotations

from typing import Any

from engine.models import AuditEvent
from workflows.i18n import N_
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said
from workflows.modules.timeline import on_its_own
from workflows.plans.enums import Evidence, PlanAction

MISSING: dict[str, str] = {Evidence.photos: N_("Photos"), Evidence.signed_sheet: N_("Signed sheet"),
                               Evidence.meter_readings: N_("Meter readings"), "checklist": N_("Checklist")}


def _executed(row: AuditEvent, _records: Any) -> Said:
    details = row.details or {}
    missing = [kind for kind in details.get("missing") or [] if kind in MISSING]
    if missing:
        return Said(label=N_("Carried out, but evidence is missing"),
                    notes=tuple(Note(N_("Missing"), MISSING[kind], word=True) for kind in missing))
    return Said(notes=(Note(N_("Note"), details.get("note") or ""),))


def _reviewed(row: AuditEvent, _records: Any) -> Said:
    details = row.details or {}
    score = details.get("score")
    return Said(outcome=N_("passed") if details.get("passed") else N_("not passed: to be rectified"), warning=not details.get("passed"),
                notes=(Note(N_("Score"), "" if score is None else str(score)), Note(N_("Comment"), details.get("comment") or "")))


def _rectified(row: AuditEvent, _records: Any) -> Said:
    return Said(notes=(Note(N_("Note"), (row.details or {}).get("note") or ""),))


def _coloured(row: AuditEvent, _records: Any) -> Said:
    return Said(colour=(row.details or {}).get("colour"), automatic=True)


DESCRIBE: dict[str, Describe] = {
    PlanAction.executed: _executed, PlanAction.reviewed: _reviewed, PlanAction.rectified: _rectified, PlanAction.coloured: _coloured,
    PlanAction.failed: on_its_own, PlanAction.closed: on_its_own,
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE, reminders={PlanAction.reminded: N_("Responsible person reminded")},
    deadlines={"plans.remind.before": N_("reminder"), "plans.escalation.green.after": N_("turns green"),
               "plans.escalation.yellow.after": N_("turns yellow"), "plans.escalation.red.after": N_("turns red")},
)
