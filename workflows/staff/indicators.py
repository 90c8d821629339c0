"""Staff assessment indicators for a service unit: its staffing rate (满编率) and certified rate (持证率) on the
period's last day (today while the period runs), read as the leaders' dashboard reads them for the school
(:mod:`workflows.staff.figures`), only the people and plans of the unit and its teams."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.modules.measures import percent
from workflows.people.service import descendant_unit_ids
from workflows.people.timezone import local_date, school_zone
from workflows.staff import staffing
from workflows.staff.figures import certification


def _as_of(session: Session, school_id: int, end: datetime, at: datetime) -> date:
    return local_date(min(end - timedelta(microseconds=1), at), school_zone(session, school_id))


def staffing_rate(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                  at: datetime, rules: RuleBook) -> Measured:
    """People in service ÷ planned headcount of the unit's posts, as a percentage (the basis: the headcount)."""
    units = descendant_unit_ids(session, unit_id)
    rows = staffing.by_unit_and_post(session, school_id=school_id, on=_as_of(session, school_id, end, at))
    found = staffing.total({key: row for key, row in rows.items() if key[0] in units})
    return percent(found.active, found.planned)


def certified_rate(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                   at: datetime, rules: RuleBook) -> Measured:
    """Of the unit's people on a post that requires certificates, the share holding every one it requires."""
    concerned, missing = certification(session, school_id=school_id, on=_as_of(session, school_id, end, at),
                                       units=descendant_unit_ids(session, unit_id))
    return percent(concerned - len(missing), concerned)


INDICATORS = (
    Indicator("staff_staffing_rate", N_("Staffing rate"), "%", True, staffing_rate, (80.0, 100.0)),
    Indicator("staff_certified_rate", N_("Certified rate"), "%", True, certified_rate, (80.0, 100.0)),
)
