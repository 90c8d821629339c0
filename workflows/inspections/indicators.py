"""Inspections' assessment indicators for a service unit: the average score of its rounds done in the period,
the share of its findings fixed on time and its repeat findings per month, counted with the conditions of the
leaders' dashboard cards (:mod:`workflows.inspections.figures`), only the unit's rounds and findings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.i18n import N_
from workflows.inspections.figures import ROUND_CONDITIONS, finding_where, period
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import months_in, percent
from workflows.people.service import descendant_unit_ids


def round_score(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                at: datetime, rules: RuleBook) -> Measured:
    """The mean score (0–100) of the unit's rounds done: scheduled ones planned in the period, spot checks done in it."""
    p = period(session, school_id, start, end, at)
    done = or_(*(ROUND_CONDITIONS[key][1](p) for key in ("inspection_rounds_done", "inspection_spot_checks")))
    mean, rounds = session.execute(select(func.avg(InspectionRound.score), func.count(InspectionRound.id)).where(
        InspectionRound.school_id == school_id, done, InspectionRound.score.is_not(None),
        InspectionRound.unit_id.in_(descendant_unit_ids(session, unit_id)))).one()
    return Measured(round(float(mean), 2) if rounds else None, int(rounds))


def _findings(session: Session, key: str, *, school_id: int, unit_id: int, start: datetime, end: datetime,
              at: datetime) -> int:
    where = finding_where(key, period(session, school_id, start, end, at))
    return session.scalar(select(func.count(InspectionFinding.id)).where(
        *where, InspectionFinding.unit_id.in_(descendant_unit_ids(session, unit_id)))) or 0


def fixed_on_time(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                  at: datetime, rules: RuleBook) -> Measured:
    """Of the unit's findings recorded in the period whose first deadline has passed or that were fixed, the
    share fixed by it (a finding still within its time counts neither way)."""
    count = lambda key: _findings(session, key, school_id=school_id, unit_id=unit_id, start=start, end=end, at=at)  # noqa: E731
    on_time = count("inspection_fixed_on_time")
    return percent(on_time, on_time + count("inspection_fixed_late"))


def repeat_findings(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                    at: datetime, rules: RuleBook) -> Measured:
    """The unit's findings recorded in the period that repeat one at the same place, per month of the period."""
    n = _findings(session, "inspection_repeat_findings", school_id=school_id, unit_id=unit_id, start=start, end=end, at=at)
    return Measured(round(n / months_in(start, end), 2), n)


INDICATORS = (
    Indicator("inspection_round_score", N_("Average inspection round score"), "/100", True, round_score, (60.0, 95.0)),
    Indicator("inspection_fixed_on_time", N_("Inspection findings fixed on time"), "%", True, fixed_on_time,
              (60.0, 100.0)),
    Indicator("inspection_repeat_findings", N_("Repeat inspection findings per month"), "count", False, repeat_findings,
              (5.0, 0.0)),
)
