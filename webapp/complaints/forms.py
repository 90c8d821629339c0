"""The complaint intake form every page shares (portal, phone page, hotline), its choices and its error words."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from forms.builder import strip_spaces
from webapp.orders.portal import PHONE_PATTERN
from webapp.shared import optional_int
from workflows.complaints.enums import Category, Kind
from workflows.complaints.labels import CATEGORY_WORDS, KIND_WORDS
from workflows.plans.readmodel import unit_choices

MAX_FILES, MAX_FILE_MB = 3, 8
ERRORS = {"kind": _l("Choose what this is."), "category": _l("Choose a category."),
          "description": _l("Say what happened."), "target_unit_id": _l("Choose a unit of this school."),
          "target_person_id": _l("Choose a person of this school."), "complainant_id": _l("No such person in this school."),
          "channel": _l("Unknown channel."), "attachments": _l("Too many attachments.")}


class ComplaintForm(FlaskForm):
    kind = RadioField(_l("This is"), [InputRequired()], default=Kind.complaint.value,
                      choices=[SelectChoice(k.value, _l(KIND_WORDS[k])) for k in Kind])
    category = SelectField(_l("About"), [InputRequired()],
                           choices=[SelectChoice(c.value, _l(CATEGORY_WORDS[c])) for c in Category])
    target_unit_id = SelectField(_l("Which unit"), coerce=optional_int, validators=[Optional()])
    target_person_id = SelectField(_l("Which person (optional)"), coerce=optional_int, validators=[Optional()])
    target_place = StringField(_l("Where (optional)"), [Optional(), Length(max=200)], filters=[strip_spaces])
    description = TextAreaField(_l("What happened"), [DataRequired(), Length(max=4000)])
    urgent = BooleanField(_l("Urgent"))
    anonymous = BooleanField(_l("Anonymous"), description=_l("Nobody handling it will see your name; you still follow it here."))
    attachments = MultipleFileField(_l("Photos or files"), description=_l("Pictures or PDF files."))

    def fill_choices(self, session: Session, *, school_id: int, staff: list[tuple[Any, str]]) -> None:
        self.target_unit_id.choices = [SelectChoice("", _l("— not sure —")),
                                       *(SelectChoice(i, name) for i, name in unit_choices(session, school_id=school_id))]
        self.target_person_id.choices = [SelectChoice("", _l("— nobody in particular —")),
                                         *(SelectChoice(int(i), name) for i, name in staff)]


class HotlineForm(ComplaintForm):
    """The intake form plus who called, when they want to be known (a clerk enters a phoned-in complaint)."""

    caller = StringField(_l("Caller: username or phone number (optional)"), [Optional(), Length(max=80)], filters=[strip_spaces])
    contact_name = StringField(_l("Contact name"), [Optional(), Length(max=120)], filters=[strip_spaces])
    contact_phone = StringField(_l("Contact phone"), [Optional(), Length(max=40), Regexp(
        PHONE_PATTERN, message=_l("Enter a phone number: digits, with +, -, spaces or brackets if needed."))],
        filters=[strip_spaces])

