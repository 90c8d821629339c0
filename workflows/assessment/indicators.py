"""The computed indicators assessment schemes may use, gathered from the process modules' records.

Each module lists its :class:`~workflows.modules.contract.Indicator` objects in its ``indicators`` field, so a
module merged later (inspections, surveys, staffing, duty) offers its indicators to every scheme with that one
registration and nothing here changes. :class:`~workflows.modules.registry.Modules` indexes them by key at bootstrap
(its ``indicators``); :func:`measure` computes one for a unit and a campaign's local days.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.dashboard.figures import local_day_bounds
from workflows.modules.contract import Indicator, Measured
from workflows.people.timezone import school_zone

IndicatorTable = Mapping[str, Indicator]


def measure(table: IndicatorTable, session: Session, *, key: str, school_id: int, unit_id: int, first: date,
            last: date, at: datetime, rules: RuleBook) -> Measured:
    """Indicator ``key`` for the unit over the local days ``first``..``last``; KeyError for an unknown key (a
    scheme naming an indicator whose module is no longer installed). ``rules`` is the school's rule book."""
    start, end = local_day_bounds(first, last, school_zone(session, school_id))
    return table[key].measure(session, school_id=school_id, unit_id=unit_id, start=start, end=end, at=at, rules=rules)

