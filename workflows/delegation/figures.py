"""The delegated tasks' figures on the leaders' dashboard, and the list behind each.

Open and overdue count the school's tasks at every depth as they stand at the moment counted, closed those closed in
the period (:data:`CONDITIONS`); each card links to the supervision board narrowed to the same condition and period,
which then lists those tasks instead of the open trees, so the list has as many rows as the card says.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.delegation.enums import TaskStatus
from workflows.delegation.models import DelegatedTask
from workflows.delegation.readmodel import Node, subtrees
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure
from workflows.modules.counts import counts_meeting


@dataclass(frozen=True)
class Period:
    """What a figure's condition may need: the period ``[start, end)`` and the moment ``at`` it is counted."""

    start: datetime
    end: datetime
    at: datetime


def _open() -> ColumnElement[bool]:
    return DelegatedTask.status != TaskStatus.closed


CONDITIONS: dict[str, tuple[Message, Callable[[Period], ColumnElement[bool]]]] = {
    "delegated_open": (N_("Delegated tasks open"), lambda p: _open()),
    "delegated_overdue": (N_("Delegated tasks overdue"), lambda p: _open() & (DelegatedTask.deadline < p.at)),
    "delegated_closed": (N_("Delegated tasks closed"),
                         lambda p: ~_open() & (DelegatedTask.closed_at >= p.start) & (DelegatedTask.closed_at < p.end)),
}


def _where(key: str, *, school_id: int, start: datetime, end: datetime, at: datetime) -> list[ColumnElement[bool]]:
    return [DelegatedTask.school_id == school_id, CONDITIONS[key][1](Period(start, end, at))]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    """Delegated tasks open now and how many of them are past their deadline, and those closed in the period; every
    card counted in one query rather than a query per card."""
    link, period = {"start": start.isoformat(), "end": end.isoformat()}, Period(start, end, at)
    counted = counts_meeting(session, DelegatedTask.id, {key: condition(period) for key, (_label, condition)
                                                         in CONDITIONS.items()}, DelegatedTask.school_id == school_id)
    return [Figure(key, label, counted[key], ("supervision.board", {"show": key, **link}))
            for key, (label, _condition) in CONDITIONS.items()]


def drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime, at: datetime) -> list[Node]:
    """The tasks a figure counts, most urgent deadline first, each with its sub-tasks (its progress rolls them up):
    those tasks and what lies below them are read, in three queries, not the school's whole forest; KeyError for an
    unknown figure."""
    chosen = select(DelegatedTask.id).where(*_where(key, school_id=school_id, start=start, end=end, at=at))
    counted = session.scalars(chosen.order_by(DelegatedTask.deadline, DelegatedTask.id)).all()
    nodes = subtrees(session, chosen) if counted else {}
    return [nodes[task_id] for task_id in counted]
