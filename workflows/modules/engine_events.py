"""The engine's audit rows that are business events on every object's timeline, described in business words:
a task handed over (to whom, with the note), a process put on hold, resumed or cancelled (with the reason), and a
deadline moved after a rule change (which one, from when to when). The engine's other rows (steps passed, tasks
opened and closed, events between processes) are only for the instance viewer."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.audit_actions import AuditAction as A
from engine.models import AuditEvent
from workflows.i18n import N_, Message
from workflows.modules.contract import Describe, Note, Said


def _handed_over(row: AuditEvent, _records: Any) -> Said:
    details = row.details or {}
    return Said(label=N_("Handed over"), task=row.task_name, people=((N_("Handed to"), details.get("to_user")),),
                notes=(Note(N_("Note"), details.get("note") or ""),))


def _with_reason(label: Message) -> Describe:
    def describe(row: AuditEvent, _records: Any) -> Said:
        return Said(label=label, notes=(Note(N_("Reason"), (row.details or {}).get("reason") or ""),))

    return describe


def _moved(deadlines: Mapping[str, Message]) -> Describe:
    """A re-armed timer: the deadline its rule keys name (nothing for a key the module does not name), from, to."""
    def describe(row: AuditEvent, _records: Any) -> Said:
        details = row.details or {}
        named = next((deadlines[k] for k in details.get("keys") or [] if k in deadlines), None)
        return Said(label=N_("Deadline moved after a rule change"), outcome=named,
                    moved=(details.get("before"), details.get("after") or ""))

    return describe


def shared_describers(deadlines: Mapping[str, Message]) -> dict[str, Describe]:
    """Describers of the engine rows every object's timeline shows; ``deadlines`` names a module's rule keys."""
    return {
        A.TASK_REASSIGNED: _handed_over, A.TASK_DELEGATED: _handed_over,
        A.INSTANCE_SUSPENDED: _with_reason(N_("Put on hold")), A.INSTANCE_RESUMED: _with_reason(N_("Resumed")),
        A.INSTANCE_TERMINATED: _with_reason(N_("Cancelled")), A.TIMER_REARMED: _moved(deadlines),
    }
