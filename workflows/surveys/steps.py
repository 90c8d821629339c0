"""What each step of the survey diagram records, called from its scripts.

``survey_step("opened", survey_id)`` opens the survey and asks its audience (students or staff: the school's
active accounts of that kind, only those of the survey's campus when it names one);
``survey_step("reminded", survey_id)`` answers who is reminded: the accounts asked that have not answered;
``survey_step("closed", survey_id)`` closes it.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.people.enums import PersonKind
from workflows.people.models import User
from workflows.stepping import StepRefused
from workflows.surveys.enums import Audience, Status
from workflows.surveys.models import Survey, SurveyInvitee

ACCOUNT_KINDS = {Audience.students: PersonKind.student, Audience.staff: PersonKind.staff}  # audiences the school's accounts list


def _opened(survey: Survey, ctx: AdvanceContext, rules: RuleBook) -> dict:
    if survey.status != Status.scheduled:
        raise StepRefused(f"survey {survey.number} is not waiting to open")
    survey.status, survey.opened_at = Status.open, ctx.at
    kind = ACCOUNT_KINDS.get(Audience(survey.audience))
    asked = 0
    if kind is not None:
        already = set(ctx.session.scalars(select(SurveyInvitee.user_id).where(SurveyInvitee.survey_id == survey.id)))
        where = [User.school_id == survey.school_id, User.kind == kind, User.active.is_(True)]
        if survey.audience_campus_id is not None:
            where.append(User.campus_id == survey.audience_campus_id)  # people of no campus are not of this one
        people = ctx.session.scalars(select(User.id).where(*where))
        new = [SurveyInvitee(school_id=survey.school_id, survey_id=survey.id, user_id=user_id)
               for user_id in people if user_id not in already]
        ctx.session.add_all(new)
        asked = len(new)
    return {"asked": asked}


def _reminded(survey: Survey, ctx: AdvanceContext, rules: RuleBook) -> dict:
    pending = list(ctx.session.scalars(select(SurveyInvitee).where(
        SurveyInvitee.survey_id == survey.id, SurveyInvitee.user_id.is_not(None), SurveyInvitee.answered_at.is_(None))
        .order_by(SurveyInvitee.id)))
    for invitee in pending:
        invitee.reminders += 1
        invitee.last_reminded_at = ctx.at
    return {"users": [invitee.user_id for invitee in pending], "count": len(pending)}


def _closed(survey: Survey, ctx: AdvanceContext, rules: RuleBook) -> dict:
    survey.status, survey.closed_at = Status.closed, ctx.at
    answered = ctx.session.scalars(select(SurveyInvitee.id).where(SurveyInvitee.survey_id == survey.id,
                                                                  SurveyInvitee.answered_at.is_not(None))).all()
    return {"answered": len(answered)}


STEPS: dict[str, Callable[..., dict]] = {"opened": _opened, "reminded": _reminded, "closed": _closed}


def apply_step(rules: RuleBook, name: str, survey_id: int, *args: Any) -> dict:
    """Run step ``name`` on the survey inside the current advance and audit it (``surveys.<name>``)."""
    return stepping.apply(STEPS, Survey, "surveys", rules, name, survey_id, *args)
