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


class DelegationAction(StrEnum):
    """The audit actions of delegated tasks: a progress report, a change of holder, and the steps of a task's
    diagram (``delegation.<step>``, written by :mod:`workflows.stepping`)."""

    reported = "delegation.reported"
    holder_changed = "delegation.holder_changed"
    completed = "delegation.completed"
    judged = "delegation.judged"
    slipped = "delegation.slipped"
    closed = "delegation.closed"
