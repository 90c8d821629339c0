"""The values of ``process_instance.status``, as a type.

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
