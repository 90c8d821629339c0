"""The demo's standards and surveys: one survey open with answers, one closed with results, both standards there."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.demo_surveys import seed_surveys
from workflows.standards import service as standards
from workflows.surveys.models import Survey
from workflows.surveys.results import results
from workflows.surveys.scores import per_unit


def test_the_demo_has_an_open_and_a_closed_survey_with_answers_and_two_standards(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        assert seed_surveys(session, scenario.host, school_id=scenario.school_id)
    with unit_of_work(scenario.host.session_factory) as session:
        assert not seed_surveys(session, scenario.host, school_id=scenario.school_id)  # once
        surveys = {s.status: s for s in session.scalars(select(Survey).where(Survey.school_id == scenario.school_id))}
        assert set(surveys) == {"open", "closed"}
        for survey in surveys.values():
            assert results(session, survey).responses >= 3
            assert per_unit(session, school_id=scenario.school_id, start=survey.opens_at, end=survey.closes_at,
                            survey_id=survey.id)
        assert [d.code for d, _v in standards.search(session, school_id=scenario.school_id, words="保洁")] == ["BJ-01"]
        assert [d.code for d, _v in standards.search(session, school_id=scenario.school_id, words="查寝")] == ["SS-01"]
