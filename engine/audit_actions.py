"""Every audit action the engine itself records: the vocabulary of the instance viewer and the shared part of
every timeline. The domain adds its own business actions through the process modules' registrations."""
from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    TASK_CREATED = "task.created"
    TASK_COMPLETED = "task.completed"
    TASK_CLOSED = "task.closed"
    TASK_CLAIMED = "task.claimed"
    TASK_RELEASED = "task.released"
    TASK_REASSIGNED = "task.reassigned"
    TASK_DELEGATED = "task.delegated"  # recorded by earlier releases; still read by the "handed over" tab
    TASK_RETRIED = "task.retried"
    STEP_COMPLETED = "step.completed"
    INSTANCE_STARTED = "instance.started"
    INSTANCE_COMPLETED = "instance.completed"
    INSTANCE_ERROR = "instance.error"
    INSTANCE_SUSPENDED = "instance.suspended"
    INSTANCE_RESUMED = "instance.resumed"
    INSTANCE_TERMINATED = "instance.terminated"
    INSTANCE_MIGRATED = "instance.migrated"
    EVENT_RECEIVED = "event.received"
    EVENT_THROWN = "event.thrown"
    EVENT_DELIVERY_FAILED = "event.delivery_failed"
    TIMER_REARMED = "timer.rearmed"
    DEFINITION_DEPLOYED = "definition.deployed"
    DEFINITION_ACTIVATED = "definition.activated"
    DEFINITION_ROLLED_BACK = "definition.rolled_back"
    DEFINITION_DRAFT_SAVED = "definition.draft_saved"
    DEFINITION_DRAFT_DISCARDED = "definition.draft_discarded"
    MIGRATION_QUEUED = "migration.queued"
    MIGRATION_FINISHED = "migration.finished"
    MIGRATION_FAILED = "migration.failed"
