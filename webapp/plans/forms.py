"""The forms of the plan pages: one plan by hand (new or edited), deactivating a plan, or a sheet of plans."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.shared import optional_int
from workflows.plans.enums import Evidence, Recurrence
from workflows.plans.wording import WEEKDAYS

RECURRENCE_LABELS = {Recurrence.once: _l("Once"), Recurrence.weekly: _l("By week"), Recurrence.monthly: _l("By month"),
                     Recurrence.monthly_weekday: _l("By month, on a weekday (such as the first Monday)"),
                     Recurrence.yearly: _l("By year"), Recurrence.seasonal: _l("By week, within a season")}

EVIDENCE_LABELS = {Evidence.photos: _l("Photos"), Evidence.signed_sheet: _l("Signed sheet"),
                   Evidence.meter_readings: _l("Meter readings")}
MONTHS = [SelectChoice(m, str(m)) for m in range(1, 13)]


class PlanForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("Service unit"), coerce=int)
    responsible_id = SelectField(_l("Responsible person"), coerce=int)
    places = TextAreaField(_l("Places"), [Optional(), Length(max=2000)], description=_l("One place per line."))
    recurrence = SelectField(_l("Recurrence"), choices=[SelectChoice(r.value, label) for r, label in RECURRENCE_LABELS.items()],
                             description=_l("The first date sets the day: the same weekday every week, the same day of "
                                            "the month (or, by weekday, the first Monday when it is a first Monday), "
                                            "the same day of the year."))
    interval = IntegerField(_l("Interval (weeks, months or years)"), [InputRequired(), NumberRange(min=1, max=52)], default=1,
                            description=_l("1 for every week, month or year; 2 for every other one."))
    starts_on = DateField(_l("First date"), [InputRequired()])
    until = DateField(_l("Last date"), [Optional()])
    duration_days = IntegerField(_l("Days to carry it out"), [InputRequired(), NumberRange(min=1, max=366)], default=1)
    weekdays = SelectMultipleField(_l("On these weekdays"), choices=[SelectChoice(day, _l(name)) for day, name in enumerate(WEEKDAYS)],
                                   coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   description=_l("A weekly plan on several days (Monday, Wednesday and Friday); none: the "
                                                  "first date's weekday."))
    season_from = SelectField(_l("Season from month"), choices=[SelectChoice("", "—"), *MONTHS], coerce=optional_int,
                              validate_choice=False)
    season_to = SelectField(_l("Season to month"), choices=[SelectChoice("", "—"), *MONTHS], coerce=optional_int, validate_choice=False)
    checklist = TextAreaField(_l("Checklist"), [Optional(), Length(max=4000)],
                              description=_l("One item per line. End a line with the standard item it checks, as "
                                             "[code number] (e.g. [BJ-01 1.2]), to show that item to the worker."))
    evidence = SelectMultipleField(_l("Required evidence"), choices=[SelectChoice(e.value, label) for e, label in EVIDENCE_LABELS.items()],
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class DeactivateForm(FlaskForm):
    cancel_open = BooleanField(_l("Also cancel the occurrences still open"))
    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=500)],
                           description=_l("Required when the open occurrences are cancelled; kept in the audit log."))


class SheetForm(FlaskForm):
    sheet = FileField(_l("Excel sheet (.xlsx)"), [FileRequired()])
    skip_bad_rows = BooleanField(_l("Import the good rows and skip the rows with problems"))
