"""What a delegated task's timeline says about each step: who assigned it to whom, the progress reports with their
notes, the completion's summary, the acceptance verdict with its reasons (or the sub-tasks still open), the
supervision slips with their colour, and who holds it after a hand-over."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit_actions import AuditAction
from engine.models import AuditEvent
from workflows.delegation.enums import DelegationAction, Verdict
from workflows.delegation.models import DelegatedTask
from workflows.i18n import N_, NC_, Message
from workflows.modules.contract import BusinessTimeline, Describe, Note, Said
from workflows.modules.timeline import on_its_own
from workflows.people.models import OrgUnit

VERDICTS: dict[str, Message] = {Verdict.accepted: NC_("acceptance", "accepted"), Verdict.sent_back: N_("sent back"),
                                Verdict.blocked: N_("not yet: sub-tasks are still open")}


def records(session: Session, *, school_id: int, key: str, rows: Sequence[AuditEvent]) -> tuple[DelegatedTask, str] | None:
    """The task and the name of the unit it was assigned to."""
    task = session.scalar(select(DelegatedTask).where(DelegatedTask.school_id == school_id, DelegatedTask.number == key))
    if task is None:
        return None
    unit = session.get(OrgUnit, task.unit_id) if task.unit_id else None
    return task, unit.name if unit else ""


def _assigned(row: AuditEvent, found: tuple[DelegatedTask, str] | None) -> Said | None:
    """The task's process starting is its assignment."""
    if found is None:
        return None
    task, unit = found
    return Said(label=N_("Assigned"), by=task.assigner_id, people=((N_("Assigned to"), task.assignee_id),),
                notes=(Note(N_("Unit"), "" if task.assignee_id else unit),))


def _reported(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    percent = details.get("percent")
    return Said(notes=(Note(N_("Progress"), "" if percent is None else f"{percent}%"), Note(N_("Note"), details.get("note") or "")))


def _completed(row: AuditEvent, _found: Any) -> Said:
    return Said(notes=(Note(N_("Summary"), (row.details or {}).get("summary") or ""),))


def _judged(row: AuditEvent, _found: Any) -> Said:
    details = row.details or {}
    return Said(outcome=VERDICTS.get(details.get("verdict", "")), warning=details.get("verdict") != Verdict.accepted,
                notes=(Note(N_("Reasons"), details.get("reasons") or ""),
                       Note(N_("Open sub-tasks"), "、".join(details.get("open_subtasks") or []))))


def _slipped(row: AuditEvent, _found: Any) -> Said:
    return Said(colour=(row.details or {}).get("colour"), automatic=True)


def _holder_changed(row: AuditEvent, _found: Any) -> Said:
    return Said(people=((N_("Now held by"), ((row.details or {}).get("after") or {}).get("assignee_id")),))


DESCRIBE: dict[str, Describe] = {
    AuditAction.INSTANCE_STARTED: _assigned, DelegationAction.reported: _reported, DelegationAction.completed: _completed,
    DelegationAction.judged: _judged, DelegationAction.slipped: _slipped, DelegationAction.holder_changed: _holder_changed,
    DelegationAction.closed: on_its_own,
}

TIMELINE = BusinessTimeline(
    describe=DESCRIBE, records=records,
    deadlines={"delegation.report.every": N_("progress report due"), "delegation.slip.green.before": N_("turns green"),
               "delegation.slip.yellow.after": N_("turns yellow"), "delegation.slip.red.after": N_("turns red")},
)
