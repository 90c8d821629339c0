"""The complaints' figures on the leaders' dashboard, and the drill-down list behind each.

Each figure counts the school's complaints received in the period that meet one condition (:data:`CONDITIONS`);
its card links to the complaint list filtered by the same condition and period, so the list always has as many
rows as the card says. The list groups them per responsible unit and month (:func:`per_unit_month`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from rules.store import RuleStore
from workflows.complaints.enums import Kind, Status
from workflows.complaints.models import Complaint
from workflows.i18n import N_, Message
from workflows.modules.contract import Figure, Indicator, Measured
from workflows.modules.counts import counts_meeting
from workflows.modules.measures import months_in, percent
from workflows.people.service import descendant_unit_ids
from workflows.people.timezone import local_date, school_zone

REPEAT_WITHIN = timedelta(days=90)  # a complaint repeats one by the same person about the same unit this recent
OPEN = (Status.triage, Status.handling, Status.replied, Status.leader)


def repeat_ids(session: Session, *, school_id: int, start: datetime, end: datetime) -> set[int]:
    """Complaints received in ``[start, end)`` whose complainant complained about the same unit within
    :data:`REPEAT_WITHIN` before (counted here rather than in SQL: date arithmetic differs between databases)."""
    rows = session.execute(select(Complaint.id, Complaint.complainant_id, Complaint.unit_id, Complaint.created_at).where(
        Complaint.school_id == school_id, Complaint.complainant_id.is_not(None), Complaint.created_at >= start - REPEAT_WITHIN,
        Complaint.created_at < end).order_by(Complaint.created_at, Complaint.id)).all()
    last: dict[tuple[int | None, int | None], datetime] = {}
    repeats: set[int] = set()
    for row_id, person, unit, at in rows:
        before = last.get((person, unit))
        if before is not None and at - before <= REPEAT_WITHIN and at >= start:
            repeats.add(row_id)
        last[(person, unit)] = at
    return repeats


@dataclass(frozen=True)
class Period:
    """What a figure's condition may need: the school's complaints received in ``[start, end)``, counted ``at``."""

    session: Session
    school_id: int
    start: datetime
    end: datetime
    at: datetime


def _first_late(p: Period) -> ColumnElement[bool]:
    return or_(Complaint.first_response_at > Complaint.first_response_due,
               and_(Complaint.first_response_at.is_(None), Complaint.first_response_due < p.at))


def _repeat(p: Period) -> ColumnElement[bool]:
    return Complaint.id.in_(repeat_ids(p.session, school_id=p.school_id, start=p.start, end=p.end))


CONDITIONS: dict[str, tuple[Message, Callable[[Period], ColumnElement[bool]]]] = {
    "complaints_received": (N_("Complaints received"), lambda p: Complaint.id.is_not(None)),
    "complaints_open": (N_("Complaints still open"), lambda p: Complaint.status.in_(OPEN)),
    "complaints_first_on_time": (N_("First responses on time"),
                                 lambda p: Complaint.first_response_at <= Complaint.first_response_due),
    "complaints_first_late": (N_("First responses late"), _first_late),
    "complaints_replied_on_time": (N_("Replies on time"), lambda p: Complaint.replied_at <= Complaint.resolution_due),
    "complaints_satisfied": (N_("Complainants satisfied"), lambda p: Complaint.satisfied.is_(True)),
    "complaints_not_satisfied": (N_("Complainants not satisfied"), lambda p: Complaint.satisfied.is_(False)),
    "complaints_repeat": (N_("Repeat complaints"), _repeat),
}


def _received_in(p: Period) -> list[ColumnElement[bool]]:
    """The school's complaints received in the period, which every figure narrows."""
    return [Complaint.school_id == p.school_id, Complaint.created_at >= p.start, Complaint.created_at < p.end]


def _where(key: str, p: Period) -> list[ColumnElement[bool]]:
    return [*_received_in(p), CONDITIONS[key][1](p)]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    """One card per condition, for complaints received in ``[start, end)``; every card counted in one query rather
    than a query per card (besides the read :func:`repeat_ids` makes for the repeat card)."""
    period = Period(session, school_id, start, end, at)
    link = {"start": start.isoformat(), "end": end.isoformat()}
    counted = counts_meeting(session, Complaint.id, {key: condition(period) for key, (_label, condition)
                                                     in CONDITIONS.items()}, *_received_in(period))
    return [Figure(key, label, counted[key], ("complaints.index", {"show": key, **link}))
            for key, (label, _condition) in CONDITIONS.items()]


def drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime, at: datetime,
              units: set[int] | None = None) -> list[Complaint]:
    """The complaints a figure counts, newest first, only those of ``units`` (handled by or made about one of
    them) when given; KeyError for an unknown figure."""
    where = _where(key, Period(session, school_id, start, end, at))
    if units is not None:
        where.append(or_(Complaint.unit_id.in_(units), Complaint.target_unit_id.in_(units)))
    return list(session.scalars(select(Complaint).where(*where).order_by(Complaint.created_at.desc(), Complaint.id.desc())))


def per_unit_month(session: Session, school_id: int, rows: Sequence[Complaint]) -> list[tuple[Any, str, int]]:
    """(responsible unit id, month as YYYY-MM in the school's time, count), most complaints first."""
    zone = school_zone(session, school_id)
    counts = Counter((row.unit_id, f"{local_date(row.created_at, zone):%Y-%m}") for row in rows)
    return [(unit, month, n) for (unit, month), n in counts.most_common()]


# --- assessment indicators: a unit's complaints --------------------------------------------------------------

def _units_complaints(session: Session, school_id: int, unit_id: int, start: datetime,
                      end: datetime) -> list[ColumnElement[bool]]:
    return [Complaint.school_id == school_id, Complaint.kind == Kind.complaint, Complaint.created_at >= start,
            Complaint.created_at < end, Complaint.unit_id.in_(descendant_unit_ids(session, unit_id))]


def complaints_per_month(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                         at: datetime, rules: RuleBook) -> Measured:
    """Complaints (not suggestions nor praise) the unit was responsible for, per month of the period."""
    n = session.scalar(select(func.count(Complaint.id)).where(*_units_complaints(session, school_id, unit_id, start, end))) or 0
    return Measured(round(n / months_in(start, end), 2), n)


def complaints_on_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                       at: datetime, rules: RuleBook) -> Measured:
    """Of the unit's complaints with a reply deadline, the share replied to by it."""
    where = [*_units_complaints(session, school_id, unit_id, start, end), Complaint.resolution_due.is_not(None)]
    count = lambda *more: session.scalar(select(func.count(Complaint.id)).where(*where, *more)) or 0  # noqa: E731
    return percent(count(Complaint.replied_at <= Complaint.resolution_due), count())


INDICATORS = (
    Indicator("complaints_per_month", N_("Complaints per month"), "count", False, complaints_per_month, (8.0, 0.0)),
    Indicator("complaints_on_time", N_("Complaints replied to on time"), "%", True, complaints_on_time, (60.0, 100.0)),
)
