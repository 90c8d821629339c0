"""The duty pages' forms (CSRF on each): the phone's issue report and handover, a roster change, a decision."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workflows.duty.enums import ChangeKind


class ActForm(FlaskForm):
    """A button that proves presence (check in, patrol, answer): the code comes from the scanned link."""

    code = HiddenField()


class IssueForm(FlaskForm):
    description = TextAreaField(_l("What did you find?"), validators=[DataRequired(), Length(max=2000)],
                                description=_l("A leak, an equipment fault, a safety hazard …"))
    photos = MultipleFileField(_l("Photos"))


class HandoverForm(FlaskForm):
    items = TextAreaField(_l("Handed over (keys, radios, logbook …)"), validators=[Optional(), Length(max=2000)])
    open_issues = TextAreaField(_l("Open issues"), validators=[Optional(), Length(max=2000)])


class ChangeForm(FlaskForm):
    kind = SelectField(_l("Change"), choices=[(ChangeKind.swap, _l("Swap")), (ChangeKind.substitute, _l("Substitute")),
                                              (ChangeKind.leave, _l("Leave"))])
    shift_id = IntegerField(_l("My shift"), validators=[DataRequired()])
    other_shift_id = IntegerField(_l("Shift to swap with"), validators=[Optional()])
    substitute_id = IntegerField(_l("Substitute"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])


class DecideForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])
