"""The quality office's survey pages: the list, writing a survey's settings, its page (the questionnaire being
built, the link and QR code, one-time links), publishing, and the QR code itself. Every page reads the user's
school only: another school's survey number is a 404."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, school_tz
from webapp.surveys.forms import LinksForm, QuestionForm, SectionForm, SurveyForm, fill_question_choices, fill_survey_choices
from workflows.dashboard import local_day_bounds
from workflows.errors import FieldError
from workflows.qr import qr_png, qr_svg
from workflows.surveys import service
from workflows.surveys.access import MANAGER_ROLES, READER_ROLES
from workflows.surveys.labels import AUDIENCE_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.surveys.models import Survey
from workflows.surveys.service import Draft, SurveyError

bp = Blueprint("surveys", __name__)
DATE_FIELDS = {"opens_at": "opens_on", "closes_at": "closes_on"}  # the service's instants, the form's days


def survey_of_school(number: str) -> Survey:
    survey = service.by_number(db.session(), school_id=current_user.school_id, number=number)
    if survey is None:
        abort(404)
    return survey


def put_error(form: object, err: FieldError) -> None:
    """Roll back and show the refusal, in the page's language, next to its field (or above the form)."""
    db.session().rollback()
    fields = getattr(form, "_fields", {})
    message = err.said(locale_code())
    name = DATE_FIELDS.get(err.field, err.field)
    if name in fields:
        fields[name].errors = [*fields[name].errors, message]
    else:
        form.form_errors.append(message)  # type: ignore[attr-defined]  # every FlaskForm has form_errors


def public_link(survey: Survey) -> str:
    return url_for("survey_answer.answer", key=survey.link_key, _external=True)


@bp.get("/surveys")
@roles_required(*READER_ROLES)
def index() -> ResponseReturnValue:
    surveys = db.session().scalars(select(Survey).where(Survey.school_id == current_user.school_id)
                                   .order_by(Survey.created_at.desc(), Survey.id.desc())).all()
    return render_template("surveys/index.html", surveys=surveys, status_words=STATUS_WORDS, audience_words=AUDIENCE_WORDS)


def _draft(form: SurveyForm) -> Draft:
    opens_on: date = form.opens_on.data  # type: ignore[assignment]  # DataRequired: validated
    closes_on: date = form.closes_on.data  # type: ignore[assignment]
    opens_at, closes_at = local_day_bounds(opens_on, closes_on, school_tz())
    return Draft(title_zh=form.title_zh.data or "", title_en=form.title_en.data or "", intro_zh=form.intro_zh.data or "",
                 intro_en=form.intro_en.data or "", unit_id=form.unit_id.data, audience=form.audience.data or "",
                 opens_at=opens_at, closes_at=closes_at, anonymous=bool(form.anonymous.data),
                 audience_campus_id=form.audience_campus_id.data, audience_building_id=form.audience_building_id.data,
                 audience_text=form.audience_text.data or "")


@bp.route("/surveys/new", methods=["GET", "POST"])
@roles_required(*MANAGER_ROLES)
def new() -> ResponseReturnValue:
    session = db.session()
    form = SurveyForm()
    fill_survey_choices(form, session, school_id=current_user.school_id, locale=locale_code())
    if form.validate_on_submit():
        try:
            survey = service.create(session, school_id=current_user.school_id, draft=_draft(form), author=current_user)
            session.commit()
        except SurveyError as err:
            put_error(form, err)
        else:
            flash(_("Survey %(number)s saved as a draft: now add its questions.", number=survey.number), "success")
            return redirect(url_for("surveys.detail", number=survey.number))
    return render_template("surveys/settings.html", form=form, survey=None)


@bp.route("/surveys/<number>/settings", methods=["GET", "POST"])
@roles_required(*MANAGER_ROLES)
def settings(number: str) -> ResponseReturnValue:
    session, survey = db.session(), survey_of_school(number)
    zone = school_tz()
    form = SurveyForm(obj=survey, data={"opens_on": survey.opens_at.astimezone(zone).date(),
                                        "closes_on": survey.closes_at.astimezone(zone).date()})
    fill_survey_choices(form, session, school_id=current_user.school_id, locale=locale_code())
    if form.validate_on_submit():
        try:
            service.update(session, survey, draft=_draft(form), author=current_user)
            session.commit()
        except SurveyError as err:
            put_error(form, err)
        else:
            return redirect(url_for("surveys.detail", number=survey.number))
    return render_template("surveys/settings.html", form=form, survey=survey)


def render_detail(survey: Survey, *, section_form: SectionForm | None = None, question_form: QuestionForm | None = None,
                  links_form: LinksForm | None = None, issued: list[tuple[str, str]] | None = None,
                  status: int = 200) -> ResponseReturnValue:
    """The survey's page, with the builder's and the links' forms as given (refused ones keep their input)."""
    if question_form is None:
        question_form = QuestionForm(prefix="question", formdata=None)
        fill_question_choices(question_form, db.session(), school_id=survey.school_id, definition=survey.questions,
                              locale=locale_code())
    link = public_link(survey)
    return render_template("surveys/detail.html", survey=survey, link=link, issued=issued,
                           section_form=section_form or SectionForm(prefix="section", formdata=None),
                           question_form=question_form, links_form=links_form or LinksForm(prefix="links", formdata=None),
                           kind_words=KIND_WORDS, status_words=STATUS_WORDS, audience_words=AUDIENCE_WORDS,
                           qr=Markup(qr_svg(link).decode())), status  # our own URL: nothing of the user's in the SVG


@bp.get("/surveys/<number>")
@roles_required(*READER_ROLES)
def detail(number: str) -> ResponseReturnValue:
    """The survey: its settings, the questionnaire (with the builder while it is a draft), link and QR code."""
    return render_detail(survey_of_school(number))


@bp.post("/surveys/<number>/publish")
@roles_required(*MANAGER_ROLES)
def publish(number: str) -> ResponseReturnValue:
    session, survey = db.session(), survey_of_school(number)  # the app's CSRF check ran before this view
    try:
        service.publish(session, db.runtime().host, survey, author=current_user)
        session.commit()
    except FieldError as err:  # a survey that cannot open, or a questionnaire without questions
        session.rollback()
        flash(err.said(locale_code()), "error")
    else:
        flash(_("Survey published: it opens on its opening date."), "success")
    return redirect(url_for("surveys.detail", number=survey.number))


@bp.post("/surveys/<number>/links")
@roles_required(*MANAGER_ROLES)
def links(number: str) -> ResponseReturnValue:
    """Hand out one-time links (diners, residents without an account): shown once, only their hashes are kept."""
    session, survey = db.session(), survey_of_school(number)
    form = LinksForm(prefix="links")
    if form.validate_on_submit():
        try:
            tokens = service.issue_tokens(session, survey, names=(form.names.data or "").splitlines(), author=current_user)
            session.commit()
        except SurveyError as err:
            put_error(form, err)
        else:
            issued = [(name, url_for("survey_answer.by_token", key=survey.link_key, token=token, _external=True))
                      for name, token in tokens]
            return render_detail(survey, issued=issued)
    return render_detail(survey, links_form=form, status=422)


@bp.get("/surveys/<number>/qr.<fmt>")
@roles_required(*READER_ROLES)
def qr(number: str, fmt: str) -> ResponseReturnValue:
    """The survey's QR code to print on posters and table cards (SVG) or send in chat apps (PNG)."""
    link = public_link(survey_of_school(number))
    if fmt == "svg":
        return Response(qr_svg(link), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(qr_png(link), mimetype="image/png")
    abort(404)
