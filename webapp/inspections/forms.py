"""The inspection forms: a checklist with its item rows, a schedule, a spot check, and the round sheet built for
one checklist (a result, note, severity and photos per item, and rows for problems beside the checklist) — all
with CSRF like every form."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from forms.builder import strip_spaces
from webapp.i18n import locale_code
from webapp.shared import optional_int
from workflows.inspections.enums import Scoring, ServiceType, Severity
from workflows.inspections.labels import SCORING_WORDS, SERVICE_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionItem
from workflows.inspections.rounds import MAX_DESCRIPTION, MAX_EXTRA, MAX_SPOT
from workflows.plans.enums import Recurrence
from workflows.plans.wording import WEEKDAYS
from workflows.standards.links import LinkError, StandardRef

BLANK_ROWS = 3
ERRORS = {"name": _l("Name the checklist."), "service_type": _l("Choose a service type."),
          "items": _l("A checklist needs at least one item."), "scoring": _l("Choose how the item is scored."),
          "points": _l("Points are a whole number from 1 to 100."), "template_id": _l("Choose a checklist of this school."),
          "building_id": _l("Choose a place of this school."), "unit_id": _l("Choose a unit of this school."),
          "inspector_id": _l("Choose an inspector of this school."), "recurrence": _l("Choose how often."),
          "interval": _l("Every 1 to 52."), "until": _l("The end comes before the start."),
          "photos": _l("A failed result of this item needs a photo."), "deduction": _l("Deduct at most the item's points."),
          "note": _l("Say what is wrong."), "severity": _l("Choose how serious it is."),
          "passed": _l("Give every item a result."), "confirmed_by": _l("Name who confirms on site."),
          "round": _l("This round is already recorded or is not yours to record.")}
PROBLEM_ERRORS = {"description": ERRORS["note"], "severity": ERRORS["severity"]}  # a problem row's, by field
RECURRENCES = (Recurrence.once, Recurrence.weekly, Recurrence.monthly, Recurrence.monthly_weekday, Recurrence.yearly)
RECURRENCE_WORDS = {Recurrence.once: _l("Once"), Recurrence.weekly: _l("Every N weeks"), Recurrence.monthly: _l("Every N months"),
                    Recurrence.monthly_weekday: _l("Every N months on the same weekday"), Recurrence.yearly: _l("Every N years")}


class ItemRow(Form):
    item_id = HiddenField(filters=[optional_int])
    text = StringField(_l("Item"), [Optional(), Length(max=300)], filters=[strip_spaces])
    standard_ref = SelectField(_l("Standard item it checks"), choices=[], validate_choice=False)
    standard = TextAreaField(_l("Service standard it checks (text, for a school without the library)"),
                             [Optional(), Length(max=2000)])
    scoring = SelectField(_l("Scoring"), choices=[SelectChoice(s.value, _l(SCORING_WORDS[s])) for s in Scoring])
    points = IntegerField(_l("Points"), [Optional(), NumberRange(1, 100)], default=10)
    photo_required = BooleanField(_l("Photo required when it fails"))

    def validate_standard_ref(self, field: SelectField) -> None:
        """A value no picker makes is refused on its row, in the page's language; the save then checks the item
        is one of this school's library and says so on the same field."""
        try:
            StandardRef.parse(field.data)
        except LinkError as err:
            raise ValidationError(err.said(locale_code())) from None


class ChecklistForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(), Length(max=200)], filters=[strip_spaces])
    service_type = SelectField(_l("Service type"), [InputRequired()],
                               choices=[SelectChoice(t.value, _l(SERVICE_WORDS[t])) for t in ServiceType])
    active = BooleanField(_l("In use"), default=True)
    items = FieldList(FormField(ItemRow), min_entries=BLANK_ROWS)


class ScheduleForm(FlaskForm):
    template_id = SelectField(_l("Inspection checklist"), coerce=int)
    building_id = SelectField(_l("Place"), coerce=int)
    unit_id = SelectField(_l("Responsible unit"), coerce=int)
    inspector_id = SelectField(_l("Inspector"), coerce=int)
    recurrence = SelectField(_l("How often"), choices=[SelectChoice(r.value, RECURRENCE_WORDS[r]) for r in RECURRENCES])
    interval = IntegerField(_l("Every"), [InputRequired(), NumberRange(1, 52)], default=1)
    weekdays = SelectMultipleField(_l("On these weekdays"), coerce=int,
                                   choices=[SelectChoice(i, _l(day)) for i, day in enumerate(WEEKDAYS)])
    starts_on = DateField(_l("From"), [InputRequired()])
    until = DateField(_l("Until (optional)"), [Optional()])


class SpotCheckForm(FlaskForm):
    template_id = SelectField(_l("Inspection checklist"), coerce=int)
    building_id = SelectField(_l("Place"), coerce=int)
    unit_id = SelectField(_l("Responsible unit"), coerce=int)
    spot = StringField(_l("Where exactly (optional)"), [Optional(), Length(max=200)], filters=[strip_spaces])


SEVERITIES = [SelectChoice(s.value, _l(SEVERITY_WORDS[s])) for s in Severity]


class ProblemRow(Form):
    """A problem seen beside the checklist, in the words and photos an item's result has; a row left empty is none."""

    description = TextAreaField(_l("What is wrong"), [Optional(), Length(max=MAX_DESCRIPTION)], filters=[strip_spaces])
    severity = SelectField(_l("Severity"), choices=SEVERITIES, default=Severity.minor.value)
    spot = StringField(_l("Where exactly (optional)"), [Optional(), Length(max=MAX_SPOT)], filters=[strip_spaces])
    photos = MultipleFileField(_l("Photos"))


class RoundSheet(FlaskForm):
    """The round's own fields and its problems beside the checklist (``extra-<n>-description`` …, at most
    ``MAX_EXTRA`` rows); :func:`round_sheet` adds each item's."""

    extra = FieldList(FormField(ProblemRow), max_entries=MAX_EXTRA)
    note = TextAreaField(_l("Overall note (optional)"), [Optional(), Length(max=2000)])
    confirmed = BooleanField(_l("The unit's representative confirms the results on site"))
    confirmed_by = StringField(_l("Representative's name"), [Optional(), Length(max=120)], filters=[strip_spaces])


def round_sheet(items: list[InspectionItem]) -> type[RoundSheet]:
    """The sheet for these items: ``items-<n>-passed`` (or ``-deduction``), ``-note``, ``-severity``, ``-photos``."""
    fields: dict[str, Any] = {}
    for index, item in enumerate(items):
        prefix = f"items-{index}-"
        if item.scoring == Scoring.points:
            fields[prefix + "deduction"] = IntegerField(_l("Points deducted"), [Optional(), NumberRange(0, item.points)],
                                                        default=0)
        else:
            fields[prefix + "passed"] = RadioField(_l("Result"), [InputRequired(message=_l("Give every item a result."))],
                                                   choices=[SelectChoice("yes", _l("Passed")),
                                                            SelectChoice("no", _l("Not up to standard"))])
        fields[prefix + "note"] = TextAreaField(_l("What is wrong"), [Optional(), Length(max=2000)])
        fields[prefix + "severity"] = SelectField(_l("Severity"), choices=SEVERITIES, default=Severity.minor.value)
        fields[prefix + "photos"] = MultipleFileField(_l("Photos"))
    return type("ItemsSheet", (RoundSheet,), fields)
