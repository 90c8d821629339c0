"""The status words of the engine's rows (instances, outbox messages, background jobs), as types.

A leaf module (it imports nothing of the engine), so models, routines and the domain can all name the statuses.
Members are strings: they compare equal to, and are stored as, the plain text the column always held.
"""
from __future__ import annotations

from enum import StrEnum


class InstanceStatus(StrEnum):
    RUNNING = "running"  # waiting for a person, a timer or a message, or about to run
    COMPLETED = "completed"
    ERROR = "error"  # a step failed; an administrator retries it (engine.instance_control.retry)
    SUSPENDED = "suspended"  # held by an administrator: no open tasks, no wake-ups
    TERMINATED = "terminated"  # cancelled by an administrator


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENT = "sent"
    FAILED = "failed"  # gave up after its retries; an administrator may send it again


class JobStatus(StrEnum):
    """A background job's progress: bulk migrations, rule re-arming, report generation."""

    QUEUED = "queued"
    PENDING = "pending"  # a re-arm job created and not yet picked up (its older word for queued)
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
