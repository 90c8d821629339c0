"""The form that changes the rules: one row per rule key with the school's value and an optional override for
one category or service item, each field shaped by the key's kind (a duration with its unit, a role to pick, the
recipients to tick, a whole number).

Every mistake is shown at once: the form's own checks (a missing reason, a number that is not one) and the rule
checks of :meth:`rules.store.RuleStore.check` are collected together, each beside its field and all of them in a
summary at the top of the page that links to the fields.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from rules.book import RuleBook
from rules.keys import RuleKind, kind_of, recipients
from rules.validation import RuleProblem
from webapp.admin.rules_forms import GROUPS, UNITS, group_of, ordered_keys, problem_message, show_value, split_duration
from webapp.rule_labels import KEY_LABELS, key_label, recipient_choices
from webapp.shared import ROLE_LABELS
from workflows.people.enums import Role

SCHOOL, CATEGORY = "s", "c"  # the two columns: the school's value, the chosen category's override
YES, NO = "yes", "no"  # a yes-or-no rule as the form sends it


def field_name(key: str) -> str:
    return key.replace(".", "__")


def role_choices(blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(str(role), ROLE_LABELS.get(str(role), str(role))) for role in Role]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


class RecipientsField(SelectMultipleField):
    """Tick boxes of everyone a message may go to (the task's assignee and assigner, every role), by name.

    No choice check here: a recipient that is not offered is refused by the rule check (``unknown_recipient``),
    and ticking none is refused there too for the school (``no_recipient``); an override left empty means "as
    for the school"."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label, choices=recipient_choices, validate_choice=False, **kwargs)


class RulesFormBase(FlaskForm):
    category = HiddenField()
    comment = TextAreaField(_l("Why are you changing the rules?"),
                            validators=[InputRequired(message=_l("Say why you are changing the rules.")),
                                        Length(max=500)])
    category_codes: list[str] = []

    def validate_category(self, field: Field) -> None:
        if field.data and field.data not in self.category_codes:
            raise ValidationError(_("Choose a category or a service item of the catalogue."))


def rules_form_class(defaults: dict[str, Any], category_codes: list[str]) -> type[RulesFormBase]:
    """A form with, for every rule key, the school's value and an optional override for one category."""

    class RulesForm(RulesFormBase):
        pass

    RulesForm.category_codes = category_codes
    units = [SelectChoice(value, label) for value, label in UNITS]
    for key in defaults:
        name, label, kind = field_name(key), KEY_LABELS.get(key, key), kind_of(key, defaults[key])
        if kind is RuleKind.duration:
            setattr(RulesForm, f"s_{name}_amount", IntegerField(label, validators=[InputRequired()]))
            setattr(RulesForm, f"s_{name}_unit", SelectField(_l("Unit"), choices=units, default="h"))
            setattr(RulesForm, f"s_{name}_wd", BooleanField(_l("Count in working days")))
            setattr(RulesForm, f"c_{name}_amount", IntegerField(label, validators=[Optional()]))
            setattr(RulesForm, f"c_{name}_unit", SelectField(_l("Unit"), choices=units, default="h"))
        elif kind is RuleKind.role:
            # no choice check here: a role that is not offered is refused by the rule check (unknown_role)
            setattr(RulesForm, f"s_{name}", SelectField(label, choices=role_choices(), validate_choice=False,
                                                        validators=[InputRequired()]))
            setattr(RulesForm, f"c_{name}", SelectField(label, choices=role_choices(blank=_l("(as for the school)")),
                                                        validate_choice=False, validators=[Optional()]))
        elif kind is RuleKind.recipients:
            setattr(RulesForm, f"s_{name}", RecipientsField(label))
            setattr(RulesForm, f"c_{name}", RecipientsField(label))
        elif kind is RuleKind.switch:
            yes_no = [SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))]
            setattr(RulesForm, f"s_{name}", SelectField(label, choices=yes_no, validators=[InputRequired()]))
            setattr(RulesForm, f"c_{name}", SelectField(label, choices=[SelectChoice("", _l("(as for the school)")), *yes_no],
                                                        validators=[Optional()]))
        else:
            setattr(RulesForm, f"s_{name}", IntegerField(label, validators=[InputRequired()]))
            setattr(RulesForm, f"c_{name}", IntegerField(label, validators=[Optional()]))
    return RulesForm


def initial_data(book: RuleBook, category: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"category": category or ""}
    layer = book.categories.get(category, {}) if category else {}
    for key in book.keys:
        name, kind = field_name(key), kind_of(key, book.defaults[key])
        value = book.value(key)
        if kind is RuleKind.duration:
            data[f"s_{name}_amount"], data[f"s_{name}_unit"] = split_duration(value)
            data[f"s_{name}_wd"] = key in book.working_days
            if key in layer:
                data[f"c_{name}_amount"], data[f"c_{name}_unit"] = split_duration(layer[key])
            else:
                data[f"c_{name}_unit"] = data[f"s_{name}_unit"]
        elif kind is RuleKind.recipients:
            data[f"s_{name}"] = recipients(value)
            if key in layer:
                data[f"c_{name}"] = recipients(layer[key])
        elif kind is RuleKind.switch:
            data[f"s_{name}"] = YES if value is True else NO
            if key in layer:
                data[f"c_{name}"] = YES if layer[key] is True else NO
        else:
            data[f"s_{name}"] = value
            if key in layer:
                data[f"c_{name}"] = layer[key]
    return data


def submitted_value(form: FlaskForm, column: str, key: str, kind: RuleKind) -> Any:
    """The value entered for ``key`` in the school or category column; None when left blank (for the school's
    recipients, ticking none is an answer the rule check refuses)."""
    name = field_name(key)
    if kind is RuleKind.duration:
        amount = form[f"{column}_{name}_amount"].data
        return None if amount is None else f"{amount}{form[f'{column}_{name}_unit'].data}"
    value = form[f"{column}_{name}"].data
    if kind is RuleKind.recipients:
        ticked = [v for v, _label in recipient_choices() if v in (value or [])] + \
            [v for v in value or [] if v not in dict(recipient_choices())]  # offered order; a forged one kept
        return ticked if ticked or column == SCHOOL else None
    if kind is RuleKind.switch:
        return {YES: True, NO: False}.get(value)
    return None if value in (None, "") else value


def content_from(form: FlaskForm, book: RuleBook) -> dict[str, Any]:
    """The rule-set content the form describes, keeping the other categories' overrides and the calendar."""
    school, layer, working_days = {}, {}, []
    for key in book.keys:
        kind = kind_of(key, book.defaults[key])
        value = submitted_value(form, SCHOOL, key, kind)
        if value is not None and value != book.defaults[key]:
            school[key] = value
        override = submitted_value(form, CATEGORY, key, kind)
        if override is not None:
            layer[key] = override
        if kind is RuleKind.duration and form[f"s_{field_name(key)}_wd"].data:
            working_days.append(key)
    categories = {code: dict(values) for code, values in book.categories.items()}
    code = form.category.data
    if code:
        if layer:
            categories[code] = layer
        else:
            categories.pop(code, None)
    return {"school": school, "categories": categories, "working_days": sorted(working_days),
            "calendar": book.calendar.to_dict()}


def attach_problems(form: FlaskForm, problems: list[RuleProblem], category: str | None, defaults: dict[str, Any],
                    category_names: dict[str, str]) -> list[str]:
    """Put each problem's message beside its field; return those that have no field on this page."""
    general = []
    school_problems = {(p.key, p.code) for p in problems if p.scope == "school"}
    for problem in problems:
        if problem.scope != "school" and (problem.key, problem.code) in school_problems:
            continue  # a category inherits the school's mistake: shown once, beside the school value
        message = problem_message(problem.code, problem.key, problem.detail)
        if problem.scope == "school":
            column: str | None = SCHOOL
        elif category and problem.scope == f"category:{category}":
            column = CATEGORY
        else:
            column = None
        field = None
        if column and problem.key in defaults:
            suffix = "_amount" if kind_of(problem.key, defaults[problem.key]) is RuleKind.duration else ""
            field = form._fields.get(f"{column}_{field_name(problem.key)}{suffix}")
        if field is not None:
            if message not in field.errors:
                field.errors = [*field.errors, message]
            continue
        where = (category_names.get(problem.scope.removeprefix("category:"), problem.scope.removeprefix("category:"))
                 if problem.scope.startswith("category:") else _("School"))
        general.append(f"{where} · {key_label(problem.key)}: {message}")
    return general


def form_rows(form: FlaskForm, book: RuleBook) -> list[dict[str, Any]]:
    """The edit table: groups of rows, each with the key's fields for the template."""
    groups = {prefix: {"title": title, "rows": []} for prefix, title in GROUPS}
    other = {"title": _l("Other rules"), "rows": []}
    for key in ordered_keys(book):
        name, kind = field_name(key), kind_of(key, book.defaults[key])
        row: dict[str, Any] = {"key": key, "label": key_label(key), "kind": str(kind),
                               "default": show_value(key, book.defaults[key])}
        if kind is RuleKind.duration:
            row.update(school=[form[f"s_{name}_amount"], form[f"s_{name}_unit"]], wd=form[f"s_{name}_wd"],
                       override=[form[f"c_{name}_amount"], form[f"c_{name}_unit"]])
        else:
            row.update(school=[form[f"s_{name}"]], wd=None, override=[form[f"c_{name}"]])
        groups.get(group_of(key), other)["rows"].append(row)
    return [g for g in [*groups.values(), other] if g["rows"]]


@dataclass(frozen=True)
class SummaryLine:
    """One mistake in the summary at the top of the page: what it is about, the message, and where its field is."""

    what: str
    message: str
    field_id: str | None = None


def error_summary(form: FlaskForm, rows: list[dict[str, Any]], general: list[str],
                  category_name: str | None) -> list[SummaryLine]:
    """Every mistake on the page, in the page's order: the rules table row by row, then the reason."""
    lines = [SummaryLine(_("Rules"), message) for message in general]
    lines += [SummaryLine(_("Category or service item"), message) for message in form.category.errors]
    for group in rows:
        for row in group["rows"]:
            columns = [(row["school"], _("your school"))]
            if category_name:
                columns.append((row["override"], _("override for %(category)s", category=category_name)))
            for fields, column in columns:
                for field in fields:
                    what = _("%(rule)s (%(column)s)", rule=row["label"], column=column)
                    lines += [SummaryLine(what, str(message), field.id) for message in field.errors]
    lines += [SummaryLine(str(form.comment.label.text), str(message), form.comment.id) for message in form.comment.errors]
    return lines
