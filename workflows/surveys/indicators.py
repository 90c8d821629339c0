"""Surveys' assessment indicator: the unit's satisfaction (0–100) over the period, the rating answers counted for
the unit or any of its teams pooled into one mean, exactly as :mod:`workflows.surveys.scores` counts them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from rules.book import RuleBook
from workflows.i18n import N_
from workflows.modules.contract import Indicator, Measured
from workflows.people.service import descendant_unit_ids
from workflows.surveys.scores import per_unit


def satisfaction(session: Session, *, school_id: int, unit_id: int, start: datetime, end: datetime,
                 at: datetime, rules: RuleBook) -> Measured:
    units = descendant_unit_ids(session, unit_id)
    scores = [s for s in per_unit(session, school_id=school_id, start=start, end=end) if s.unit_id in units]
    answers = sum(s.answers for s in scores)
    return Measured(round(sum(s.satisfaction * s.answers for s in scores) / answers, 2) if answers else None, answers)


INDICATORS = (Indicator("survey_satisfaction", N_("Survey satisfaction"), "/100", True, satisfaction, (60.0, 95.0)),)
