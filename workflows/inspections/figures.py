"""The inspections' figures on the leaders' dashboard, and the drill-down list behind each.

Round figures count the school's rounds of the period (scheduled ones by the day they were planned for, spot
checks by when they were done); finding figures count the findings recorded in the period. Each card links to
the list filtered by the same condition and period, so the list has as many rows as the card says; the findings'
list groups them per responsible unit and severity (:func:`per_unit_severity`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.i18n import N_, Message
from workflows.inspections.enums import FindingStatus, RoundKind, RoundStatus
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.modules.contract import Figure
from workflows.modules.counts import counts_meeting
from workflows.people.timezone import local_date, school_zone


@dataclass(frozen=True)
class Period:
    school_id: int
    start: datetime
    end: datetime
    at: datetime
    first_day: Any
    after_day: Any


def _planned(p: Period) -> ColumnElement[bool]:
    return and_(InspectionRound.kind == RoundKind.scheduled, InspectionRound.planned_on >= p.first_day,
                InspectionRound.planned_on < p.after_day)


def _spot_done(p: Period) -> ColumnElement[bool]:
    return and_(InspectionRound.kind == RoundKind.spot, InspectionRound.status == RoundStatus.done,
                InspectionRound.done_at >= p.start, InspectionRound.done_at < p.end)


ROUND_CONDITIONS: dict[str, tuple[Message, Callable[[Period], ColumnElement[bool]]]] = {
    "inspection_rounds_planned": (N_("Inspection rounds planned"), _planned),
    "inspection_rounds_done": (N_("Planned rounds done"),
                               lambda p: and_(_planned(p), InspectionRound.status == RoundStatus.done)),
    "inspection_spot_checks": (N_("Spot checks done"), _spot_done),
}


def _fixed_late(p: Period) -> ColumnElement[bool]:
    return or_(InspectionFinding.rectified_at > InspectionFinding.first_due_at,
               and_(InspectionFinding.rectified_at.is_(None), InspectionFinding.first_due_at < p.at))


FINDING_CONDITIONS: dict[str, tuple[Message, Callable[[Period], ColumnElement[bool]]]] = {
    "inspection_findings": (N_("Inspection findings"), lambda p: InspectionFinding.id.is_not(None)),
    "inspection_findings_open": (N_("Findings still open"), lambda p: InspectionFinding.status != FindingStatus.closed),
    "inspection_fixed_on_time": (N_("Findings fixed on time"),
                                 lambda p: InspectionFinding.rectified_at <= InspectionFinding.first_due_at),
    "inspection_fixed_late": (N_("Findings fixed late or overdue"), _fixed_late),
    "inspection_repeat_findings": (N_("Repeat findings at the same place"), lambda p: InspectionFinding.repeat.is_(True)),
}


def period(session: Session, school_id: int, start: datetime, end: datetime, at: datetime) -> Period:
    """``[start, end)`` with its first and following local days, which scheduled rounds are planned by."""
    zone = school_zone(session, school_id)
    last = local_date(end - timedelta(microseconds=1), zone)
    return Period(school_id, start, end, at, local_date(start, zone), last + timedelta(days=1))


def _round_where(key: str, p: Period) -> list[ColumnElement[bool]]:
    return [InspectionRound.school_id == p.school_id, ROUND_CONDITIONS[key][1](p)]


def _recorded_in(p: Period) -> list[ColumnElement[bool]]:
    """The school's findings recorded in the period, which every finding figure narrows."""
    return [InspectionFinding.school_id == p.school_id, InspectionFinding.created_at >= p.start,
            InspectionFinding.created_at < p.end]


def finding_where(key: str, p: Period) -> list[ColumnElement[bool]]:
    return [*_recorded_in(p), FINDING_CONDITIONS[key][1](p)]


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    """One card per condition: the rounds of ``[start, end)`` and the findings recorded in it; the round cards
    counted in one query and the finding cards in another, rather than a query per card."""
    p = period(session, school_id, start, end, at)
    link = {"start": start.isoformat(), "end": end.isoformat()}
    rounds = counts_meeting(session, InspectionRound.id, {key: condition(p) for key, (_label, condition)
                                                          in ROUND_CONDITIONS.items()}, InspectionRound.school_id == school_id)
    findings = counts_meeting(session, InspectionFinding.id, {key: condition(p) for key, (_label, condition)
                                                              in FINDING_CONDITIONS.items()}, *_recorded_in(p))
    return [*(Figure(key, label, rounds[key], ("inspections.rounds", {"show": key, **link}))
              for key, (label, _condition) in ROUND_CONDITIONS.items()),
            *(Figure(key, label, findings[key], ("inspections.findings", {"show": key, **link}))
              for key, (label, _condition) in FINDING_CONDITIONS.items())]


def round_drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime,
                    at: datetime) -> list[InspectionRound]:
    """The rounds a round figure counts, newest first; KeyError for an unknown figure."""
    p = period(session, school_id, start, end, at)
    return list(session.scalars(select(InspectionRound).where(*_round_where(key, p))
                                .order_by(InspectionRound.created_at.desc(), InspectionRound.id.desc())))


def finding_drilldown(session: Session, *, school_id: int, key: str, start: datetime, end: datetime,
                      at: datetime) -> list[InspectionFinding]:
    """The findings a finding figure counts, newest first; KeyError for an unknown figure."""
    p = period(session, school_id, start, end, at)
    return list(session.scalars(select(InspectionFinding).where(*finding_where(key, p))
                                .order_by(InspectionFinding.created_at.desc(), InspectionFinding.id.desc())))


def per_unit_severity(rows: Sequence[InspectionFinding]) -> list[tuple[int, str, int]]:
    """(responsible unit id, severity, count), most findings first."""
    return [(unit, severity, n) for (unit, severity), n in Counter((r.unit_id, r.severity) for r in rows).most_common()]
