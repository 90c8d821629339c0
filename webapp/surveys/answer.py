"""Answering a survey, phone first: by its link or QR code (``/s/<key>``, logged in: once per account) or by a
one-time link (``/s/<key>/<token>``, no login: once per link). A survey of students or staff takes, by its link,
the answers of the accounts of that kind only (of its campus's, when it names one) and of anyone it asked, as it
asks them; others are told why in their language. The page shows each question in the reader's language and hides
the questions whose "show if" is not met (static/survey.js); the server checks it all again, so a refused answer
shows its reason beside its question, keeps what was typed, and stores nothing."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import db
from webapp.i18n import locale_code
from workflows.surveys import questions, service
from workflows.surveys.enums import Audience, Status
from workflows.surveys.labels import intro, text, title
from workflows.surveys.models import Survey, SurveyInvitee
from workflows.surveys.questions import AnswerError
from workflows.surveys.service import SurveyError

bp = Blueprint("survey_answer", __name__)


def _survey(key: str) -> Survey:
    survey = service.by_link(db.session(), key)
    if survey is None or survey.status == Status.draft:
        abort(404)
    return survey


def _page(survey: Survey, *, token: str | None) -> ResponseReturnValue:
    session = db.session()
    user = current_user if token is None else None
    if token is not None:
        invitee = service.invitee_of_token(session, survey, token)
        if invitee is None:
            abort(404)
        done = invitee.answered_at is not None
    else:
        if current_user.school_id != survey.school_id:
            abort(404)  # another school's survey: as if there were none
        done = service.has_answered(session, survey, current_user)
    closed = service.answered_already() if done else service.not_answerable(survey)
    if closed is not None:  # a second submission, or one after closing: nothing stored
        return render_template("surveys/answer_closed.html", survey=survey, message=closed.said(locale_code()),
                               title=title(survey, locale_code())), 409 if request.method == "POST" else 200
    refusal = service.link_refusal(session, survey, current_user) if token is None else None
    if refusal is not None:
        return render_template("surveys/answer_closed.html", survey=survey, message=refusal.said(locale_code()),
                               title=title(survey, locale_code())), 403
    raw: dict[str, list[str]] = {}
    error: tuple[str, str] | None = None
    if request.method == "POST":
        raw = {key: request.form.getlist(key) for key in request.form if key != "csrf_token"}
        try:
            service.answer(session, survey, raw, user=user, token=token)
            session.commit()
        except (SurveyError, AnswerError) as err:
            session.rollback()
            error = (err.field, err.said(locale_code()))
            if isinstance(err, SurveyError):
                return render_template("surveys/answer_closed.html", survey=survey, message=error[1],
                                       title=title(survey, locale_code())), 409
        else:
            return render_template("surveys/answer_thanks.html", survey=survey, title=title(survey, locale_code()))
    locale = locale_code()
    return render_template("surveys/answer.html", survey=survey, sections=questions.sections(survey.questions), raw=raw,
                           known={q["id"] for q in questions.all_questions(survey.questions)},
                           error=error, text=text, locale=locale, title=title(survey, locale), intro=intro(survey, locale)), \
        422 if error else 200


@bp.route("/s/<key>", methods=["GET", "POST"])
@login_required
def answer(key: str) -> ResponseReturnValue:
    return _page(_survey(key), token=None)


@bp.route("/s/<key>/<token>", methods=["GET", "POST"])
def by_token(key: str, token: str) -> ResponseReturnValue:
    return _page(_survey(key), token=token)


@bp.get("/my/surveys")
@login_required
def mine() -> ResponseReturnValue:
    """Open surveys for me: those I was asked, and those anyone with the link may answer; answered ones marked."""
    session = db.session()
    asked = select(SurveyInvitee.survey_id).where(SurveyInvitee.user_id == current_user.id)
    surveys = session.scalars(select(Survey).where(
        Survey.school_id == current_user.school_id, Survey.status == Status.open,
        Survey.id.in_(asked) | Survey.audience.in_([Audience.everyone, Audience.diners, Audience.residents]))
        .order_by(Survey.closes_at)).all()
    answered = set(session.scalars(select(SurveyInvitee.survey_id).where(SurveyInvitee.user_id == current_user.id,
                                                                       SurveyInvitee.answered_at.is_not(None))))
    return render_template("surveys/mine.html", surveys=surveys, answered=answered, title=title, locale=locale_code())
