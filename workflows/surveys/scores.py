"""Satisfaction per service unit, from the rating questions of the school's surveys.

Each rating answer is put on 0–100 (the lowest star 0, the highest 100, see
:func:`~workflows.surveys.questions.rating_percent`) and counts for its question's unit, else the survey's unit.
A unit's satisfaction over a period is the plain mean of the rating answers counted for it in responses
submitted in ``[start, end)``: every answer weighs the same, whichever survey it came from. The results pages
read :func:`per_unit`, and so do assessment schemes (:mod:`workflows.surveys.indicators`), pooling the unit's
answers with its teams'.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.surveys.models import Survey, SurveyResponse
from workflows.surveys.questions import all_questions, rating_percent


@dataclass(frozen=True)
class UnitScore:
    unit_id: int
    satisfaction: float  # 0–100
    answers: int  # rating answers counted


def _rated(survey: Survey, responses: Iterable[SurveyResponse]) -> Iterable[tuple[int, float]]:
    """(unit id, 0–100) for every rating answer of the responses that counts for a unit."""
    rating = [(q, q.get("unit_id") or survey.unit_id) for q in all_questions(survey.questions)]
    for response in responses:
        for q, unit_id in rating:
            value = rating_percent(q, response.answers.get(q["id"]))
            if value is not None and unit_id is not None:
                yield int(unit_id), value


def _scores(pairs: Iterable[tuple[int, float]]) -> list[UnitScore]:
    values: dict[int, list[float]] = defaultdict(list)
    for unit_id, value in pairs:
        values[unit_id].append(value)
    return [UnitScore(unit_id, sum(v) / len(v), len(v)) for unit_id, v in sorted(values.items())]


def per_unit(session: Session, *, school_id: int, start: datetime, end: datetime,
             survey_id: int | None = None) -> list[UnitScore]:
    """Every unit's satisfaction over the period (one survey's only, when given), by unit id."""
    stmt = select(SurveyResponse, Survey).join(Survey, Survey.id == SurveyResponse.survey_id).where(
        SurveyResponse.school_id == school_id, Survey.school_id == school_id,
        SurveyResponse.submitted_at >= start, SurveyResponse.submitted_at < end)
    if survey_id is not None:
        stmt = stmt.where(Survey.id == survey_id)
    by_survey: dict[int, tuple[Survey, list[SurveyResponse]]] = {}
    for response, survey in session.execute(stmt):
        by_survey.setdefault(survey.id, (survey, []))[1].append(response)
    return _scores(pair for survey, responses in by_survey.values() for pair in _rated(survey, responses))

