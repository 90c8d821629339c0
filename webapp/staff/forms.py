"""The staff pages' forms: a person, leaving, a certificate (with its scan), a staffing plan, posts and types."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, MultipleFileField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from forms.builder import strip_spaces
from webapp.orders.portal import PHONE_PATTERN
from webapp.shared import optional_int
from workflows.staff.enums import EmploymentKind
from workflows.staff.labels import KIND_WORDS

ERRORS = {  # the pages' words for a field whose service refusal (StaffError, CertificateError, SetupError) is one;
    # a field that can be refused for more than one reason (number, start date, account, leaving day, certificate
    # type, validity) shows the service's own refusal, which says which reason it was
    "name": _l("Required."), "unit_id": _l("Choose a unit of this school."), "post_id": _l("Choose a post of this school."),
    "kind": _l("Choose own staff or outsourced."), "contractor": _l("Name the contractor company of an outsourced person."),
    "headcount": _l("Plan at least one person."), "effective_until": _l("The plan ends before it starts."),
    "code": _l("Code and both names are required."), "type_ids": _l("Choose certificate types of this school."),
    "item_id": _l("Choose a service item of this school."),
}


class PersonForm(FlaskForm):
    number = StringField(_l("Staff number"), [DataRequired(), Length(max=40)], filters=[strip_spaces])
    name = StringField(_l("Name"), [DataRequired(), Length(max=120)], filters=[strip_spaces])
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[InputRequired()])
    post_id = SelectField(_l("Post"), coerce=optional_int, validators=[Optional()])
    kind = RadioField(_l("Employment"), [InputRequired()], default=EmploymentKind.own.value,
                      choices=[SelectChoice(k.value, _l(KIND_WORDS[k])) for k in EmploymentKind])
    contractor = StringField(_l("Contractor company (outsourced)"), [Optional(), Length(max=200)], filters=[strip_spaces])
    phone = StringField(_l("Phone"), [Optional(), Length(max=40), Regexp(
        PHONE_PATTERN, message=_l("Enter a phone number: digits, with +, -, spaces or brackets if needed."))],
        filters=[strip_spaces])
    started_on = DateField(_l("Started on"), [InputRequired()])
    user_id = SelectField(_l("Login account (optional)"), coerce=optional_int, validators=[Optional()])


class LeaveForm(FlaskForm):
    left_on = DateField(_l("First day no longer in service"), [InputRequired()])
    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=1000)])


class CertificateForm(FlaskForm):
    type_id = SelectField(_l("Certificate type"), coerce=int, validators=[InputRequired()])
    number = StringField(_l("Certificate number"), [DataRequired(), Length(max=80)], filters=[strip_spaces])
    issuer = StringField(_l("Issued by"), [Optional(), Length(max=200)], filters=[strip_spaces])
    valid_from = DateField(_l("Valid from"), [InputRequired()])
    valid_until = DateField(_l("Valid until (last valid day)"), [InputRequired()])
    scan = MultipleFileField(_l("Scan"), description=_l("A picture or PDF file of the certificate."))


class PlanForm(FlaskForm):
    unit_id = SelectField(_l("Unit"), coerce=int, validators=[InputRequired()])
    post_id = SelectField(_l("Post"), coerce=int, validators=[InputRequired()])
    shift = StringField(_l("Shift"), [Optional(), Length(max=60)], filters=[strip_spaces],
                        description=_l("白班, 夜班 …; empty for the whole day"))
    headcount = IntegerField(_l("Planned headcount"), [InputRequired(), NumberRange(min=1, max=10000)])
    effective_from = DateField(_l("From"), [InputRequired()])
    effective_until = DateField(_l("Until (optional)"), [Optional()])


class EndPlanForm(FlaskForm):
    last_day = DateField(_l("Last day"), [InputRequired()])


class NamedForm(FlaskForm):
    """A post or a certificate type: its code and its names in both languages."""

    code = StringField(_l("Code"), [DataRequired(), Length(max=40)], filters=[strip_spaces])
    name_zh = StringField(_l("Name in Chinese"), [DataRequired(), Length(max=120)], filters=[strip_spaces])
    name_en = StringField(_l("Name in English"), [DataRequired(), Length(max=120)], filters=[strip_spaces])


class RequirementForm(FlaskForm):
    target = SelectField(_l("Post or service item"), validators=[InputRequired()])
    type_ids = SelectMultipleField(_l("Certificate types required"), coerce=int, validators=[Optional()])
