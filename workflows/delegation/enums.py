"""Statuses and priorities of delegated tasks, as stored strings."""
from enum import StrEnum


class TaskStatus(StrEnum):
    open = "open"
    submitted = "submitted"  # done by the assignee, waiting for acceptance
    sent_back = "sent_back"
    closed = "closed"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"
