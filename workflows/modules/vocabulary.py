"""The engine's own audit actions (tasks opened, claimed, handed over; processes started and finished; events
between processes) with their catalog msgids: the words of the instance viewer's audit list, which every process
shares. A business object's timeline shows only the few of them people act on (engine_events.py)."""
from __future__ import annotations

from engine.audit_actions import AuditAction as A
from workflows.i18n import N_, Message

ENGINE_ACTIONS: dict[str, Message] = {
    A.TASK_CREATED: N_("Task opened"), A.TASK_COMPLETED: N_("Task done"), A.TASK_CLOSED: N_("Task closed"),
    A.TASK_CLAIMED: N_("Task claimed"), A.TASK_RELEASED: N_("Task released"), A.TASK_REASSIGNED: N_("Task reassigned"),
    A.TASK_DELEGATED: N_("Task reassigned"), A.TASK_RETRIED: N_("Task retried"), A.STEP_COMPLETED: N_("Step passed"),
    A.INSTANCE_STARTED: N_("Process started"), A.INSTANCE_COMPLETED: N_("Process finished"),
    A.INSTANCE_ERROR: N_("Process error"), A.INSTANCE_SUSPENDED: N_("Process suspended"),
    A.INSTANCE_RESUMED: N_("Process resumed"), A.INSTANCE_TERMINATED: N_("Cancelled"),
    A.INSTANCE_MIGRATED: N_("Moved to another version"),
    A.EVENT_RECEIVED: N_("Event received"), A.EVENT_THROWN: N_("Event sent"),
    A.EVENT_DELIVERY_FAILED: N_("Event could not be delivered"), A.TIMER_REARMED: N_("Timer moved after a rule change"),
    A.DEFINITION_DEPLOYED: N_("Version deployed"), A.DEFINITION_ACTIVATED: N_("Version activated"),
    A.DEFINITION_ROLLED_BACK: N_("Rolled back to an earlier version"), A.DEFINITION_DRAFT_SAVED: N_("Draft saved"),
    A.DEFINITION_DRAFT_DISCARDED: N_("Draft discarded"), A.MIGRATION_QUEUED: N_("Move queued"),
    A.MIGRATION_FINISHED: N_("Move finished"), A.MIGRATION_FAILED: N_("Move failed"),
}
