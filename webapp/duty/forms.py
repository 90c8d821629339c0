"""The duty pages' forms (CSRF on each): the phone's issue report and handover, a roster change, a decision."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional

from webapp.shared import optional_int


class ActForm(FlaskForm):
    """A button that proves presence (check in, patrol, answer): the code comes from the scanned link."""

    code = HiddenField()


class ScanForm(FlaskForm):
    """The patrol button, with a reading taken at the point if the post's equipment has one to read."""

    reading = SelectField(_l("Reading taken here"), validators=[Optional()])  # "<device code>|<metric>"
    value = FloatField(_l("Value"), validators=[Optional()])


class IssueForm(FlaskForm):
    description = TextAreaField(_l("What did you find?"), validators=[DataRequired(), Length(max=2000)],
                                description=_l("A leak, an equipment fault, a safety hazard …"))
    photos = MultipleFileField(_l("Photos"))


class HandoverForm(FlaskForm):
    items = TextAreaField(_l("Handed over (keys, radios, logbook …)"), validators=[Optional(), Length(max=2000)])
    open_issues = TextAreaField(_l("Open issues"), validators=[Optional(), Length(max=2000)])


class ChangeForm(FlaskForm):
    kind = SelectField(_l("Change"))  # choices: the change words, set by the page
    shift_id = IntegerField(_l("My shift"), validators=[DataRequired()])
    other_shift_id = IntegerField(_l("Shift to swap with"), validators=[Optional()])
    substitute_id = IntegerField(_l("Substitute"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class DecideForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])


class EquipmentForm(FlaskForm):
    code = StringField(_l("Device code"), validators=[DataRequired(), Length(max=40)],
                       description=_l("What the device sends as its name"))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Type"))
    building_id = SelectField(_l("Building"), coerce=optional_int)
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("Responsible unit"), coerce=optional_int)
    post_id = SelectField(_l("Duty post"), coerce=optional_int)
    maintenance_due = DateField(_l("Maintenance due"), validators=[Optional()])
    metric = SelectField(_l("Own limits for"), validators=[Optional()])
    low = FloatField(_l("Lowest"), validators=[Optional()])
    high = FloatField(_l("Highest"), validators=[Optional()])


class PostForm(FlaskForm):
    code = StringField(_l("Post code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Type"))
    building_id = SelectField(_l("Building"), coerce=optional_int)
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    unit_id = SelectField(_l("Responsible unit"), coerce=optional_int)
    night = BooleanField(_l("Night presence checks"), default=True)


class PointForm(FlaskForm):
    post_id = SelectField(_l("Duty post"), coerce=int)
    name = StringField(_l("Patrol point"), validators=[DataRequired(), Length(max=120)])


class TemplateForm(FlaskForm):
    post_id = SelectField(_l("Duty post"), coerce=int)
    name = StringField(_l("Shift"), validators=[DataRequired(), Length(max=120)])
    starts = TimeField(_l("Starts"), validators=[DataRequired()])
    ends = TimeField(_l("Ends"), validators=[DataRequired()])
    weekdays = SelectMultipleField(_l("Days of the week"), coerce=int)
    rotation = SelectMultipleField(_l("People, one week each in turn"), coerce=int)
    valid_from = DateField(_l("From"), validators=[DataRequired()])


class PatrolImportForm(FlaskForm):
    sheet = FileField(_l("Patrol device export (CSV or Excel: point, person, time)"), validators=[DataRequired()])
