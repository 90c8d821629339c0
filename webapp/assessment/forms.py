"""The assessment pages' forms: a scheme with its indicator rows and grade bands, a finding, an appeal, a campaign
started by hand."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, FloatField, Form, FormField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workflows.assessment.enums import CampaignKind, Grade, ItemKind, Schedule
from workflows.assessment.labels import ITEM_KIND_WORDS, KIND_WORDS, SCHEDULE_WORDS

ITEM_ROWS = 10


class ItemRow(Form):
    """One indicator of a scheme; an empty name leaves the row out."""

    key = StringField(validators=[Optional(), Length(max=40)])
    name = StringField(_l("Indicator"), [Optional(), Length(max=200)])
    weight = FloatField(_l("Weight"), [Optional()])
    kind = SelectField(_l("How it is scored"), validate_choice=False,
                       choices=[SelectChoice(k.value, _l(ITEM_KIND_WORDS[k])) for k in ItemKind])
    indicator = SelectField(_l("Computed from"), choices=[], validate_choice=False)
    zero_at = FloatField(_l("No points at"), [Optional()])
    full_at = FloatField(_l("Full points at"), [Optional()])
    rules = TextAreaField(_l("Detailed rules"), [Optional(), Length(max=4000)],
                          description=_l("One rule a line: what is checked | points off per finding | cap (optional)"))
    cap = FloatField(_l("Most points off"), [Optional()])


class BandRow(Form):
    grade = StringField()
    min = FloatField(_l("Lowest total"), [InputRequired()])
    deduction = FloatField(_l("Payment deduction (%)"), [InputRequired()])


class SchemeForm(FlaskForm):
    name = StringField(_l("Scheme"), [DataRequired(), Length(max=200)])
    unit_id = SelectField(_l("Unit assessed"), coerce=int, validate_choice=False)
    contract = StringField(_l("Service contract"), [Optional(), Length(max=200)])
    schedule = SelectField(_l("Campaigns opened"), choices=[SelectChoice(s.value, _l(SCHEDULE_WORDS[s])) for s in Schedule])
    items = FieldList(FormField(ItemRow), min_entries=ITEM_ROWS, max_entries=ITEM_ROWS)
    bands = FieldList(FormField(BandRow), min_entries=len(Grade), max_entries=len(Grade))

    def item_dicts(self) -> list[dict[str, Any]]:
        rows = []
        for row in self.items:
            data = row.data
            if not (data.get("name") or "").strip():
                continue
            rules = []
            for n, line in enumerate((data.get("rules") or "").splitlines(), start=1):
                parts = [p.strip() for p in line.split("|")]
                if parts[0]:
                    rules.append({"code": f"R{n}", "text": parts[0], "deduct": parts[1] if len(parts) > 1 else None,
                                  "cap": parts[2] if len(parts) > 2 and parts[2] else None})
            rows.append({**data, "rules": rules})
        return rows

    def band_dicts(self) -> list[dict[str, Any]]:
        return [row.data for row in self.bands]


def fill(form: SchemeForm, items: list[dict[str, Any]], bands: list[dict[str, Any]]) -> None:
    """Put a stored version into the form's rows (on a GET)."""
    for row, item in zip(form.items, items, strict=False):
        rules = "\n".join(f"{r['text']} | {r['deduct']:g}" + (f" | {r['cap']:g}" if r.get("cap") is not None else "")
                          for r in item.get("rules", []))
        row.form.process(data={**item, "rules": rules})
    for band_row, band in zip(form.bands, bands, strict=False):
        band_row.form.process(data=band)


class FindingsForm(FlaskForm):
    """An assessor's findings on one scored item: a count per rule (``count-R1`` …), a note and evidence."""

    item = StringField(validators=[DataRequired()])
    note = TextAreaField(_l("Comment"), [Optional(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence (photos or PDF)"))


class AppealForm(FlaskForm):
    item = SelectField(_l("Item appealed"), validate_choice=False)
    reason = TextAreaField(_l("Why the points are wrong"), [DataRequired(), Length(max=2000)])
    evidence = MultipleFileField(_l("Evidence (photos or PDF)"))


class AcceptForm(FlaskForm):
    note = TextAreaField(_l("Comment"), [Optional(), Length(max=2000)])


class StartForm(FlaskForm):
    scheme = SelectField(_l("Scheme"), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, _l(KIND_WORDS[k])) for k in CampaignKind])
    first = DateField(_l("From"), [InputRequired()])
    last = DateField(_l("To"), [InputRequired()])
    title = StringField(_l("Title"), [Optional(), Length(max=200)])
