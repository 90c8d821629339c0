"""Statuses and priorities of delegated tasks, as stored strings."""
from enum import StrEnum


class TaskStatus(StrEnum):
    open = "open"
    submitted = "submitted"  # done by the assignee, waiting for acceptance
    sent_back = "sent_back"
    closed = "closed"


class AcceptanceDecision(StrEnum):
    """The assigner's acceptance of a done task (form ``delegated_acceptance``)."""

    accept = "accept"
    send_back = "send_back"


class Verdict(StrEnum):
    """What the ``judged`` step tells the diagram: accepted, sent back, or blocked by an open sub-task."""

    accepted = "accepted"
    sent_back = "sent_back"
    blocked = "blocked"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"
