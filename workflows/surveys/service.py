"""Writing, publishing and answering surveys.

A survey is written as a draft (its questionnaire built question by question), then published: its process starts
and waits for the opening date. Answers come from a logged-in person (once per account) or from a one-time link
handed to an invitee (once per link); both lock the survey row first, so two submissions at once still count once.
Every refusal is a :class:`SurveyError` (or the questionnaire's :class:`~workflows.surveys.questions.AnswerError`)
raised before anything is written.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, assert_never

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.advance import start
from engine.clock import now
from engine.db import get_locked
from engine.host import Host
from workflows.catalogue.models import Building
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.numbering import day_number, store_numbered
from workflows.people.enums import PersonKind
from workflows.people.models import Campus, OrgUnit, User
from workflows.surveys import questions
from workflows.surveys.enums import Audience, Channel, Status, SurveyAction
from workflows.surveys.models import Survey, SurveyInvitee, SurveyResponse
from workflows.surveys.steps import ACCOUNT_KINDS

PROCESS_KEY = "survey"
MAX_TOKENS = 500


class SurveyError(FieldError):
    """The survey cannot do this; ``field`` names the input at fault (``survey`` for its state)."""


@dataclass(frozen=True)
class Draft:
    """What the survey's settings page sends."""

    title_zh: str
    title_en: str
    intro_zh: str
    intro_en: str
    unit_id: int | None
    audience: str
    opens_at: datetime
    closes_at: datetime
    anonymous: bool = False
    audience_campus_id: int | None = None
    audience_building_id: int | None = None
    audience_text: str = ""


def _of_school(session: Session, model: type[Any], ident: int | None, school_id: int) -> bool:
    row = session.get(model, ident) if ident is not None else None
    return ident is None or (row is not None and row.school_id == school_id)


def _check(session: Session, school_id: int, draft: Draft) -> None:
    if not draft.title_zh.strip():
        raise SurveyError("title_zh", N_("Write the title in Chinese."))
    if draft.audience not in set(Audience):
        raise SurveyError("audience", N_("Choose who is asked."))
    if draft.closes_at <= draft.opens_at:
        raise SurveyError("closes_at", N_("The survey must close after it opens."))
    for field, model, ident, message in (
            ("unit_id", OrgUnit, draft.unit_id, N_("Choose a unit of this school.")),
            ("audience_campus_id", Campus, draft.audience_campus_id, N_("Choose a campus of this school.")),
            ("audience_building_id", Building, draft.audience_building_id, N_("Choose a building of this school."))):
        if not _of_school(session, model, ident, school_id):
            raise SurveyError(field, message)
    if draft.audience == Audience.residents and draft.audience_building_id is None:
        raise SurveyError("audience_building_id", N_("Choose the building whose residents are asked."))
    if draft.audience == Audience.diners and not draft.audience_text.strip():
        raise SurveyError("audience_text", N_("Name the canteen whose diners are asked."))


def _settings(draft: Draft) -> dict[str, Any]:
    return {"title_zh": draft.title_zh.strip(), "title_en": draft.title_en.strip(), "intro_zh": draft.intro_zh.strip(),
            "intro_en": draft.intro_en.strip(), "unit_id": draft.unit_id, "audience": draft.audience,
            "audience_campus_id": draft.audience_campus_id, "audience_building_id": draft.audience_building_id,
            "audience_text": draft.audience_text.strip(), "anonymous": draft.anonymous, "opens_at": draft.opens_at,
            "closes_at": draft.closes_at}


def create(session: Session, *, school_id: int, draft: Draft, author: User) -> Survey:
    _check(session, school_id, draft)
    survey = Survey(school_id=school_id, status=Status.draft, questions=questions.empty(),
                    link_key=secrets.token_urlsafe(16), created_by_id=author.id, created_at=now(), **_settings(draft))
    store_numbered(session, survey, lambda: day_number(session, Survey, letters="DC", school_id=school_id,
                                                       per_school=False, digits=3))
    _audit(session, survey, SurveyAction.created, author.username, {"title": survey.title_zh})
    return survey


def _draft_locked(session: Session, survey: Survey) -> Survey:
    locked = get_locked(session, Survey, survey.id)
    if locked is None or locked.status != Status.draft:
        raise SurveyError("survey", N_("Only a draft can be changed."))
    return locked


def update(session: Session, survey: Survey, *, draft: Draft, author: User) -> None:
    locked = _draft_locked(session, survey)
    _check(session, survey.school_id, draft)
    for name, value in _settings(draft).items():
        setattr(locked, name, value)
    _audit(session, locked, SurveyAction.edited, author.username, {"title": locked.title_zh})


def save_questions(session: Session, survey: Survey, definition: dict, *, author: User) -> None:
    """Keep the builder's new questionnaire (a draft only); every unit a question counts for is of the school."""
    locked = _draft_locked(session, survey)
    for q in questions.all_questions(definition):
        if not _of_school(session, OrgUnit, q.get("unit_id"), locked.school_id):
            raise SurveyError("unit_id", N_("Choose a unit of this school."))
    locked.questions = definition
    _audit(session, locked, SurveyAction.edited, author.username, {"questions": len(list(questions.all_questions(definition)))})


def publish(session: Session, host: Host, survey: Survey, *, author: User) -> None:
    """Start the survey's process: it opens on its opening date, reminds, and closes on its closing date."""
    locked = _draft_locked(session, survey)
    questions.check_complete(locked.questions)
    if locked.closes_at <= now():
        raise SurveyError("closes_at", N_("The closing date has passed; choose a later one."))
    locked.status = Status.scheduled
    _audit(session, locked, SurveyAction.published, author.username, {"opens_at": locked.opens_at.isoformat()})
    instance = start(host, session, process_key=PROCESS_KEY, business_key=locked.number, school_id=locked.school_id,
                     data={"survey_id": locked.id, "number": locked.number, "title": locked.title_zh,
                           "opens_at": locked.opens_at.isoformat(), "closes_at": locked.closes_at.isoformat()})
    locked.instance_id = instance.id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(session: Session, survey: Survey, *, names: list[str], author: User) -> list[tuple[str, str]]:
    """One one-time link token per name (a diner, a resident without an account): (name, token). Only the hash is
    kept, so the tokens are shown once."""
    names = [name.strip() for name in names if name.strip()]
    if not names or len(names) > MAX_TOKENS:
        raise SurveyError("names", N_("Write one name a line, at most 500."))
    if survey.status == Status.closed:
        raise SurveyError("survey", N_("This survey is closed."))
    issued = []
    for name in names:
        token = secrets.token_urlsafe(18)
        session.add(SurveyInvitee(school_id=survey.school_id, survey_id=survey.id, name=name[:120], token_hash=_hash(token)))
        issued.append((name, token))
    _audit(session, survey, SurveyAction.invited, author.username, {"links": len(issued)})
    return issued


def by_number(session: Session, *, school_id: int, number: str) -> Survey | None:
    return session.scalar(select(Survey).where(Survey.school_id == school_id, Survey.number == number))


def by_link(session: Session, link_key: str) -> Survey | None:
    """The survey of a public link (any school: the link itself is the secret)."""
    return session.scalar(select(Survey).where(Survey.link_key == link_key))


def invitee_of_token(session: Session, survey: Survey, token: str) -> SurveyInvitee | None:
    return session.scalar(select(SurveyInvitee).where(SurveyInvitee.survey_id == survey.id,
                                                      SurveyInvitee.token_hash == _hash(token)))


def has_answered(session: Session, survey: Survey, user: User) -> bool:
    return session.scalar(select(SurveyInvitee.id).where(SurveyInvitee.survey_id == survey.id, SurveyInvitee.user_id == user.id,
                                                         SurveyInvitee.answered_at.is_not(None))) is not None


def link_refusal(session: Session, survey: Survey, user: User) -> SurveyError | None:
    """Why ``user`` may not answer ``survey`` by its link, in words that say whom to ask (:func:`_audience_refusal`);
    None when they may. Someone asked when it opened still answers, whatever their account says since."""
    asked = session.scalar(select(SurveyInvitee.id).where(SurveyInvitee.survey_id == survey.id,
                                                          SurveyInvitee.user_id == user.id)) is not None
    return None if asked else _audience_refusal(session, survey, user)


def _kind_refusal(kind: PersonKind) -> str:
    """Why an account not of ``kind`` may not answer a survey of that kind's people, that did not ask it."""
    match kind:
        case PersonKind.student:
            return N_("This survey is only for students, and your account is not recorded as a student's, so it "
                      "cannot be answered with it. If that is wrong, ask your school's system administrator.")
        case PersonKind.staff:
            return N_("This survey is only for staff, and your account is not recorded as a staff member's, so it "
                      "cannot be answered with it. If that is wrong, ask your school's system administrator.")
        case _:
            assert_never(kind)


def _audience_refusal(session: Session, survey: Survey, user: User) -> SurveyError | None:
    """As the asking (``steps``) counts people: a survey of students or staff is for the accounts of that kind only
    (an account of no kind is of none), and when it names a campus for those of that campus only (an account of no
    campus is of none); other surveys name no one's kind or campus. The kind is said first: it is the larger gap."""
    audience = Audience(survey.audience)
    kind = ACCOUNT_KINDS.get(audience)
    if kind is None:
        return None
    if user.kind != kind:
        return SurveyError("survey", _kind_refusal(kind))
    if survey.audience_campus_id is None or user.campus_id == survey.audience_campus_id:
        return None
    campus = session.get(Campus, survey.audience_campus_id)
    own = session.get(Campus, user.campus_id) if user.campus_id is not None else None
    name = campus.name if campus else ""
    if own is None:
        return SurveyError("survey", N_("This survey is only for %(campus)s, and your account has no campus on record, "
                                        "so it cannot be answered with it. Ask your school's system administrator to "
                                        "record your campus."), campus=name)
    return SurveyError("survey", N_("This survey is only for %(campus)s; your account is on %(own)s, so it cannot be "
                                    "answered with it. If your campus is wrong, ask your school's system administrator."),
                       campus=name, own=own.name)


def not_answerable(survey: Survey) -> SurveyError | None:
    """Why ``survey`` takes no answers now: it is closed, or not open (not yet, or past its closing instant while
    its process has not closed it); None while it takes them. The answer page says it before showing the form."""
    if survey.status == Status.closed:
        return SurveyError("survey", N_("This survey is closed."))
    if survey.status != Status.open or not survey.opens_at <= now() < survey.closes_at:
        return SurveyError("survey", N_("This survey is not open now."))
    return None


def answered_already() -> SurveyError:
    """The refusal of a second answer by one account or one link; the answer page says it instead of the form."""
    return SurveyError("survey", N_("You have answered this survey already. Thank you!"))


def _open_locked(session: Session, survey: Survey) -> Survey:
    locked = get_locked(session, Survey, survey.id)
    if locked is None:
        raise SurveyError("survey", N_("This survey is not open now."))
    refused = not_answerable(locked)
    if refused is not None:
        raise refused
    return locked


def answer(session: Session, survey: Survey, raw: Mapping[str, list[str]], *, user: User | None = None,
           token: str | None = None) -> SurveyResponse:
    """Keep one person's answers: ``user`` (logged in, of the survey's school) or the holder of ``token``.
    SurveyError :func:`answered_already` when that person or link has answered already, and the one of
    :func:`link_refusal` when the survey asks people of another kind or campus and did not ask ``user``."""
    locked = _open_locked(session, survey)
    if token is not None:
        invitee = invitee_of_token(session, locked, token)
        if invitee is None:
            raise SurveyError("token", N_("This link is not valid."))
        channel = Channel.token
    elif user is not None and user.school_id == locked.school_id:
        invitee = session.scalar(select(SurveyInvitee).where(SurveyInvitee.survey_id == locked.id,
                                                             SurveyInvitee.user_id == user.id))
        if invitee is None:
            refused = _audience_refusal(session, locked, user)
            if refused is not None:
                raise refused
            invitee = SurveyInvitee(school_id=locked.school_id, survey_id=locked.id, user_id=user.id, name=user.display_name)
            session.add(invitee)
        channel = Channel.login
    else:
        raise SurveyError("survey", N_("Log in to answer."))
    if invitee.answered_at is not None:
        raise answered_already()
    answers = questions.clean_answers(locked.questions, raw)
    at = now()
    # an anonymous survey keeps only the day someone answered, so their row cannot be matched to the answers by time
    invitee.answered_at = at.replace(hour=0, minute=0, second=0, microsecond=0) if locked.anonymous else at
    response = SurveyResponse(school_id=locked.school_id, survey_id=locked.id, channel=channel, answers=answers,
                              submitted_at=at, user_id=None if locked.anonymous or user is None else user.id)
    session.add(response)
    session.flush()
    _audit(session, locked, SurveyAction.answered, None if locked.anonymous or user is None else user.username,
           {"channel": channel, "answers": len(answers)})
    return response


def _audit(session: Session, survey: Survey, action: SurveyAction, actor: str | None, details: dict[str, Any]) -> None:
    audit.record(session, action=action, actor=actor, school_id=survey.school_id, business_key=survey.number,
                 details=details)
