"""The questionnaire builder: adding a section, adding a question (kind, both languages, options, scale, "show
if"), removing a question, while the survey is a draft. Each change is checked by
:mod:`workflows.surveys.questions` and saved whole, or refused with its reason and nothing saved."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.surveys.forms import QuestionForm, SectionForm, fill_question_choices
from webapp.surveys.views import put_error, render_detail, survey_of_school
from workflows.errors import FieldError
from workflows.surveys import questions, service
from workflows.surveys.access import MANAGER_ROLES
from workflows.surveys.enums import QuestionKind

bp = Blueprint("survey_builder", __name__)


@bp.post("/surveys/<number>/sections")
@roles_required(*MANAGER_ROLES)
def add_section(number: str) -> ResponseReturnValue:
    session, survey = db.session(), survey_of_school(number)
    form = SectionForm(prefix="section")
    if form.validate_on_submit():
        try:
            definition = questions.add_section(survey.questions, title_zh=form.title_zh.data or "",
                                               title_en=form.title_en.data or "")
            service.save_questions(session, survey, definition, author=current_user)
            session.commit()
            return redirect(url_for("surveys.detail", number=number, _anchor="builder"))
        except FieldError as err:
            put_error(form, err)
    return render_detail(survey, section_form=form, status=422)


def _show_if(form: QuestionForm, definition: dict) -> dict[str, str] | None:
    """The condition as stored: an option's number (2) becomes its value (o2)."""
    target_id, answer = form.show_if_question.data or "", (form.show_if_answer.data or "").strip()
    if not target_id:
        return None
    target = questions.question(definition, target_id)
    if target is not None and target["kind"] in questions.CHOICE_KINDS and answer.isdigit():
        answer = f"o{int(answer)}"
    return {"question": target_id, "answer": answer}


@bp.post("/surveys/<number>/questions")
@roles_required(*MANAGER_ROLES)
def add_question(number: str) -> ResponseReturnValue:
    session, survey = db.session(), survey_of_school(number)
    form = QuestionForm(prefix="question")
    fill_question_choices(form, session, school_id=survey.school_id, definition=survey.questions, locale=locale_code())
    if form.validate_on_submit():
        kind = form.kind.data or ""
        try:
            definition = questions.add_question(
                survey.questions, section_id=form.section_id.data or "", kind=kind, text_zh=form.text_zh.data or "",
                text_en=form.text_en.data or "", required=bool(form.required.data),
                options=questions.parse_options(form.options.data or "") if kind in questions.CHOICE_KINDS else (),
                scale=form.scale.data if kind == QuestionKind.rating else 5, show_if=_show_if(form, survey.questions),
                unit_id=form.unit_id.data)
            service.save_questions(session, survey, definition, author=current_user)
            session.commit()
            return redirect(url_for("surveys.detail", number=number, _anchor="builder"))
        except FieldError as err:
            put_error(form, err)
    return render_detail(survey, question_form=form, status=422)


@bp.post("/surveys/<number>/questions/<question_id>/remove")
@roles_required(*MANAGER_ROLES)
def remove_question(number: str, question_id: str) -> ResponseReturnValue:
    session, survey = db.session(), survey_of_school(number)  # the app's CSRF check ran before this view
    try:
        service.save_questions(session, survey, questions.remove_question(survey.questions, question_id), author=current_user)
        session.commit()
    except FieldError as err:
        session.rollback()
        flash(err.said(locale_code()), "error")
    return redirect(url_for("surveys.detail", number=number, _anchor="builder"))

