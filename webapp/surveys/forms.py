"""The forms of the survey pages (settings, a section, a question, one-time links); the survey service words its own refusals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.admin.forms import choices
from webapp.shared import optional_int
from workflows.catalogue.models import Building
from workflows.i18n import translate
from workflows.people.models import Campus
from workflows.plans.readmodel import unit_choices
from workflows.surveys.enums import QuestionKind
from workflows.surveys.labels import AUDIENCE_WORDS, KIND_WORDS, text
from workflows.surveys.questions import all_questions, sections

SCALES = [(3, "1–3"), (5, "1–5"), (7, "1–7"), (10, "1–10")]


class SurveyForm(FlaskForm):
    title_zh = StringField(_l("Title (Chinese)"), [DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), [Optional(), Length(max=200)])
    intro_zh = TextAreaField(_l("Introduction (Chinese)"), [Optional(), Length(max=2000)])
    intro_en = TextAreaField(_l("Introduction (English)"), [Optional(), Length(max=2000)])
    unit_id = SelectField(_l("Unit rated"), [Optional()], coerce=optional_int,
                          description=_l("Rating questions count toward this unit's satisfaction unless a question names another."))
    audience = SelectField(_l("Who is asked"), [DataRequired()])
    audience_campus_id = SelectField(_l("Campus"), [Optional()], coerce=optional_int,
                                     description=_l("For students or staff: only the accounts of this campus are asked "
                                                    "(people without a campus are not). Without a campus, every student "
                                                    "or staff account of the school is asked."))
    audience_building_id = SelectField(_l("Building (residents)"), [Optional()], coerce=optional_int)
    audience_text = StringField(_l("Canteen (diners)"), [Optional(), Length(max=200)])
    anonymous = BooleanField(_l("Anonymous: answers are kept without names"))
    opens_on = DateField(_l("Opens on"), [DataRequired()])
    closes_on = DateField(_l("Closes after"), [DataRequired()])


class SectionForm(FlaskForm):
    title_zh = StringField(_l("Section title (Chinese)"), [DataRequired(), Length(max=200)])
    title_en = StringField(_l("Section title (English)"), [Optional(), Length(max=200)])


class QuestionForm(FlaskForm):
    section_id = SelectField(_l("Section"), [DataRequired()])
    kind = SelectField(_l("Kind"), [DataRequired()])
    text_zh = StringField(_l("Question (Chinese)"), [DataRequired(), Length(max=500)])
    text_en = StringField(_l("Question (English)"), [Optional(), Length(max=500)])
    options = TextAreaField(_l("Options"), [Optional(), Length(max=4000)],
                            description=_l("Choices only: one a line, Chinese | English."))
    scale = SelectField(_l("Rating scale"), choices=choices(SCALES), coerce=int, default=5)
    required = BooleanField(_l("An answer is required"), default=True)
    show_if_question = SelectField(_l("Show only if question"), [Optional()])
    show_if_answer = StringField(_l("has the answer"), [Optional(), Length(max=10)],
                                 description=_l("The option's number (1, 2 …) or the score."))
    unit_id = SelectField(_l("Counts for unit"), [Optional()], coerce=optional_int)


class LinksForm(FlaskForm):
    names = TextAreaField(_l("Names"), [DataRequired()], description=_l("One person a line; each gets a link that works once."))


def fill_survey_choices(form: SurveyForm, session: Session, *, school_id: int, locale: str) -> None:
    form.unit_id.choices = choices([("", "—"), *unit_choices(session, school_id=school_id)])
    form.audience.choices = choices([(key, translate(word, locale)) for key, word in AUDIENCE_WORDS.items()])
    form.audience_campus_id.choices = choices([("", "—"), *((i, n) for i, n in session.execute(select(Campus.id, Campus.name).where(
        Campus.school_id == school_id).order_by(Campus.id)))])
    form.audience_building_id.choices = choices([("", "—"), *((i, n) for i, n in session.execute(select(Building.id, Building.name).where(
        Building.school_id == school_id, Building.active.is_(True)).order_by(Building.id)))])


def fill_question_choices(form: QuestionForm, session: Session, *, school_id: int, definition: dict, locale: str) -> None:
    form.section_id.choices = choices([(s["id"], text(s, locale, "title")) for s in sections(definition)])
    form.kind.choices = choices([(key, translate(word, locale)) for key, word in KIND_WORDS.items()])
    form.show_if_question.choices = choices([("", "—"), *((q["id"], f"{q['id'][1:]}. {text(q, locale)}")
                                                  for q in all_questions(definition) if q["kind"] != QuestionKind.text)])
    form.unit_id.choices = choices([("", "—"), *unit_choices(session, school_id=school_id)])
