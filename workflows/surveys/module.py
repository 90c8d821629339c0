"""Satisfaction surveys as a process module: the survey (its number is the business key) with its lifecycle
diagram, its audit words, and its API resource. The diagram has no tasks for people, so there is no panel."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.i18n import N_, translate
from workflows.modules import timeline
from workflows.modules.contract import BusinessTimeline, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.people.models import User
from workflows.surveys.access import may_read_results
from workflows.surveys.enums import SurveyAction
from workflows.surveys.indicators import INDICATORS
from workflows.surveys.labels import AUDIENCE_WORDS, STATUS_WORDS, title
from workflows.surveys.models import Survey
from workflows.surveys.registration import register
from workflows.surveys.results import results
from workflows.surveys.scores import per_unit
from workflows.surveys.service import PROCESS_KEY, by_number


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    """The survey's title, leading to its answer page (where a reminder takes the person reminded)."""
    stmt = select(Survey).where(Survey.school_id == school_id, Survey.number.in_(keys))
    return {survey.number: Summary(text=title(survey, locale), link=("survey_answer.answer", {"key": survey.link_key}))
            for survey in session.scalars(stmt)}


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    """The survey, its questionnaire, its counts and its units' satisfaction, for those who read its results."""
    survey = by_number(session, school_id=school_id, number=key)
    if survey is None or not may_read_results(user, school_id):
        return None
    found = results(session, survey)
    return {
        "number": survey.number, "title": title(survey, locale),
        "status": survey.status, "status_label": translate(STATUS_WORDS[survey.status], locale),
        "audience": survey.audience, "audience_label": translate(AUDIENCE_WORDS[survey.audience], locale),
        "anonymous": survey.anonymous, "opens_at": survey.opens_at.isoformat(), "closes_at": survey.closes_at.isoformat(),
        "unit_id": survey.unit_id, "questions": survey.questions, "responses": found.responses, "asked": found.asked,
        "satisfaction": [{"unit_id": s.unit_id, "satisfaction": round(s.satisfaction, 2), "answers": s.answers}
                         for s in per_unit(session, school_id=school_id, start=survey.opens_at, end=survey.closes_at,
                                           survey_id=survey.id)],
        "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale),
    }


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_surveys:seed_demo"),
    register=register,
    name="surveys", label=N_("Satisfaction surveys"), process_keys=frozenset({PROCESS_KEY}), resource=resource, summaries=summaries,
    indicators=INDICATORS,
    timeline=BusinessTimeline(reminders={SurveyAction.reminded: N_("Reminded those who have not answered")}),
    actions={
        SurveyAction.created: N_("Survey written"), SurveyAction.edited: N_("Survey changed"),
        SurveyAction.published: N_("Survey published"), SurveyAction.opened: N_("Survey opened"),
        SurveyAction.reminded: N_("Reminded those who have not answered"), SurveyAction.answered: N_("Survey answered"),
        SurveyAction.invited: N_("One-time links handed out"), SurveyAction.closed: N_("Survey closed"),
    },
)
