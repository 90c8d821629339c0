"""The attendance pages' forms (WTForms with CSRF) and the roles that may use them."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FileField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forms.uploads import read_limited
from webapp.shared import optional_int
from workflows.attendance.enums import PointKind
from workflows.faces.images import MAX_BYTES
from workflows.people.enums import Role

MANAGERS = (Role.admin, Role.supervisor)  # set up points, shifts, rosters, enrol faces, correct attendance
READERS = (*MANAGERS, Role.deputy_leader, Role.main_leader, Role.school_leader)  # read who is on post and the rates
POINT_WORDS = {PointKind.kiosk: _l("Kiosk tablet"), PointKind.terminal: _l("Vendor face terminal"),
               PointKind.post_qr: _l("QR code at the post (own phone)")}


def file_bytes(upload: Any) -> bytes:
    """An uploaded file's bytes, at most one more than a photo may have (so a too-large one is refused)."""
    return read_limited(upload, MAX_BYTES)


def photos_of(field: Any) -> list[bytes]:
    """The bytes of each file chosen in a file field."""
    values = field.data if isinstance(field.data, list) else [field.data]
    return [file_bytes(value) for value in values if value is not None and getattr(value, "filename", None)]


class PointForm(FlaskForm):
    kind = SelectField(_l("Kind"), [InputRequired()], choices=[SelectChoice(k.value, POINT_WORDS[k]) for k in PointKind])
    name = StringField(_l("Name"), [DataRequired(), Length(max=120)])
    post_id = SelectField(_l("Post"), coerce=optional_int, validators=[InputRequired()])
    building_id = SelectField(_l("Building"), coerce=optional_int, validators=[Optional()])


class ShiftForm(FlaskForm):
    post_id = SelectField(_l("Post"), coerce=optional_int, validators=[InputRequired()])
    name = StringField(_l("Shift name"), [DataRequired(), Length(max=60)])
    starts = TimeField(_l("Starts"), [InputRequired()])
    ends = TimeField(_l("Ends"), [InputRequired()], description=_l("An end at or before the start is on the next day."))


class RosterForm(FlaskForm):
    staff_id = SelectField(_l("Person"), coerce=optional_int, validators=[InputRequired()])
    shift_id = SelectField(_l("Shift"), coerce=optional_int, validators=[InputRequired()])
    first = DateField(_l("First day"), [InputRequired()])
    last = DateField(_l("Last day"), [InputRequired()])


class EnrolForm(FlaskForm):
    photos = MultipleFileField(_l("Photos of the face (1 to 5)"),
                               description=_l("One person per photo, looking at the camera, close up."))
    consent = BooleanField(_l("The person agreed to face-recognition attendance"))
    note = StringField(_l("How consent was given"), [Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(), Length(max=500)])


class CorrectionForm(FlaskForm):
    at = DateTimeLocalField(_l("Check-in time"), [InputRequired()], format="%Y-%m-%dT%H:%M")
    reason = TextAreaField(_l("Reason"), [DataRequired(), Length(max=500)])


class BulkEnrolForm(FlaskForm):
    photos = MultipleFileField(_l("Photos named by staff number"),
                               description=_l("D001.jpg, or D001_2.jpg for a second photo of the same person."))
    consent = BooleanField(_l("Every person in these photos agreed to face-recognition attendance"))
    note = StringField(_l("How consent was given"), [Optional(), Length(max=500)])


class PhoneCheckinForm(FlaskForm):
    photo = FileField(_l("Your face"))
