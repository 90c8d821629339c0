"""What the rules admin pages show and read: labels, value formatting, the rules and calendar forms.

Kept apart from the views in :mod:`webapp.rules_admin` so that module holds only the request flow.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from itsdangerous import URLSafeTimedSerializer
from wtforms import BooleanField, Field, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from engine.clock import now
from rules.book import RuleBook, is_duration_key, item_code, parent_category, scope_of_code
from rules.store import RuleStore, diff
from rules.validation import RuleProblem
from webapp import db
from webapp.i18n import locale_code
from webapp.shared import ROLE_LABELS, format_when, school_id
from workflows.catalogue.service import categories as catalogue_categories
from workflows.catalogue.service import items as catalogue_items
from workflows.colours import Colour
from workflows.people.enums import Role

ADMIN = Role.admin
CONFIRM_SALT = "houqin.rules_admin.confirm"
CONFIRM_MAX_AGE = 2 * 3600  # seconds a preview may be confirmed after it was shown

GROUPS = [
    ("repair.review", _l("Review")),
    ("repair.work", _l("Repair work")),
    ("repair.escalation", _l("Three-colour escalation")),
    ("repair.rating", _l("Rating")),
    ("repair.rectification", _l("Rectification")),
    ("plans", _l("Work plans")),
    ("delegation", _l("Delegated tasks")),
]
KEY_LABELS = {
    "repair.review.reminder_after": _l("Remind the auditors when an order is not reviewed within"),
    "repair.review.repeat_every": _l("Then remind them again every"),
    "repair.work.overdue_after": _l("Overdue reminder when a job is not completed within"),
    "repair.work.repeat_every": _l("Then remind the worker again every"),
    "repair.escalation.green.after": _l("Green after"),
    "repair.escalation.green.role": _l("Green: who chases"),
    "repair.escalation.yellow.after": _l("Yellow after"),
    "repair.escalation.yellow.role": _l("Yellow: who chases"),
    "repair.escalation.red.after": _l("Red after"),
    "repair.escalation.red.role": _l("Red: who chases"),
    "repair.rating.bad_below": _l("A rating is bad when the overall stars are below"),
    "repair.rating.default_good_after": _l("Unrated orders count as good after"),
    "repair.rating.link_valid_for": _l("Rating links are valid for"),
    "repair.rectification.max_rounds": _l("Rectification rounds before the deputy leader decides"),
    "plans.generate.ahead_for": _l("Create each occurrence of a plan this long before it starts"),
    "plans.remind.before": _l("Remind the responsible person this long before an occurrence starts"),
    "plans.escalation.green.after": _l("Overdue plan: green after the due time by"),
    "plans.escalation.green.role": _l("Overdue plan, green: who is told"),
    "plans.escalation.yellow.after": _l("Overdue plan: yellow after the due time by"),
    "plans.escalation.yellow.role": _l("Overdue plan, yellow: who is told"),
    "plans.escalation.red.after": _l("Overdue plan: red after the due time by"),
    "plans.escalation.red.role": _l("Overdue plan, red: who is told"),
    "plans.rectification.max_rounds": _l("Failed evaluations before the occurrence closes as failed"),
    "delegation.report.every": _l("Ask for a progress report when none came for"),
    "delegation.unit.role": _l("Who takes a task assigned to a unit"),
    "delegation.slip.green.before": _l("Green slip this long before the deadline"),
    "delegation.slip.green.to": _l("Green slip goes to (assignee, assigner or a role)"),
    "delegation.slip.yellow.after": _l("Yellow slip this long after the deadline"),
    "delegation.slip.yellow.to": _l("Yellow slip goes to (assignee, assigner or a role)"),
    "delegation.slip.red.after": _l("Red slip this long after the deadline"),
    "delegation.slip.red.to": _l("Red slip goes to (assignee, assigner or a role)"),
}
UNITS = [("m", _l("minutes")), ("h", _l("hours")), ("d", _l("days"))]
COLOURS = [(Colour.green, _l("Green")), (Colour.yellow, _l("Yellow")), (Colour.red, _l("Red"))]
COLOUR_WORDS = {Colour.green: _l("green"), Colour.yellow: _l("yellow"), Colour.red: _l("red")}  # inside a sentence
CALENDAR_LABELS = {"timezone": _l("Time zone"), "opens": _l("Office opens"), "closes": _l("Office closes"),
                   "holidays": _l("Holidays"), "makeup_days": _l("Make-up working days")}
# the ranges rules.validation enforces for thresholds, for the message beside the field
RANGES = {"bad_below": (1, 5), "max_rounds": (1, 10)}
_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")


# --- helpers -----------------------------------------------------------------------------------

def problem_message(code: str, key: str = "", detail: str = "") -> str:
    """The translated message for a :class:`rules.validation.RuleProblem` code."""
    if code == "not_a_duration":
        return _("Enter a duration such as 15 minutes, 12 hours or 3 days.")
    if code == "not_positive":
        return _("The duration must be greater than zero.")
    if code == "repeat_too_short":
        return _("Reminders cannot repeat more often than every 5 minutes.")
    if code == "colour_order":
        return _("The colours must come in order: green before yellow, yellow before red.")
    if code == "unknown_role":
        return _("Choose one of the listed roles.")
    if code == "out_of_range":
        for suffix, (low, high) in RANGES.items():
            if key.endswith(suffix):
                return _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
        return _("This value is out of range.")
    if code == "unknown_key":
        return _("Unknown rule: %(key)s", key=key)
    return f"{code}: {detail}"


def key_kind(key: str, default: Any) -> str:
    if is_duration_key(key):
        return "duration"
    if key.endswith(".role"):
        return "role"
    if isinstance(default, int) and not isinstance(default, bool):
        return "int"
    return "text"


def ordered_keys(book: RuleBook) -> list[str]:
    """Rule keys in the order of ``defaults.yaml`` (green, yellow, red), not alphabetical."""
    return list(book.defaults)


def key_label(key: str) -> str:
    label = KEY_LABELS.get(key)
    return str(label) if label is not None else key


def group_of(key: str) -> str:
    return next((prefix for prefix, _label in GROUPS if key.startswith(prefix + ".")), "")


def split_duration(value: Any) -> tuple[int | None, str]:
    match = _DURATION.match(str(value)) if value is not None else None
    return (int(match.group(1)), match.group(2)) if match else (None, "h")


def human_duration(value: Any) -> str:
    amount, unit = split_duration(value)
    if amount is None:
        return str(value)
    if unit == "m":
        return ngettext("%(num)d minute", "%(num)d minutes", amount)
    if unit == "h":
        return ngettext("%(num)d hour", "%(num)d hours", amount)
    return ngettext("%(num)d day", "%(num)d days", amount)


def show_value(key: str, value: Any) -> str:
    """A rule value as an admin reads it: '3 days', 'Deputy leader', '3'."""
    if value is None:
        return "—"
    if is_duration_key(key):
        return human_duration(value)
    if key.endswith(".role"):
        return str(ROLE_LABELS.get(str(value), value))
    return str(value)


def show_source(source: str, category_names: dict[str, str]) -> str:
    if source.startswith("category:"):
        code = source.removeprefix("category:")
        if parent_category(code):
            return _("Service item override (%(item)s)", item=category_names.get(code, code))
        return _("Category override (%(category)s)", category=category_names.get(code, code))
    if source == "school":
        return _("School setting")
    return _("Default")


def role_choices(blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice(str(role), ROLE_LABELS.get(str(role), str(role))) for role in Role]
    return ([SelectChoice("", blank)] if blank is not None else []) + choices


def store() -> RuleStore:
    return db.runtime().rules


def current_book() -> RuleBook:
    return store().book(db.session(), school_id())


def category_map() -> dict[str, str]:
    """Override code -> what the admin reads, for the admin's school: each category ('W' -> 'W 水电') followed by
    its service items ('W/W03' -> 'W03 爆管 · W 水电')."""
    locale, session = locale_code(), db.session()
    items: dict[int | None, list] = {}
    for item in catalogue_items(session, school_id=school_id()):
        items.setdefault(item.parent_id, []).append(item)
    names: dict[str, str] = {}
    for category in catalogue_categories(session, school_id=school_id()):
        names[category.code] = f"{category.code} {category.name(locale)}"
        for item in items.get(category.id, []):
            names[item_code(category.code, item.code)] = f"{item.code} {item.name(locale)} · {names[category.code]}"
    return names


def _show_listed(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(value) if value else _("none")
    return str(value)


def describe_change(what: str, before: Any, after: Any, category_names: dict[str, str]) -> dict[str, str]:
    """One :func:`rules.store.diff` row ("school <key>", "category <code> <key>", "working days <key>",
    "calendar <field>") as the admin reads it."""
    defaults = store().defaults
    scope, _sep, rest = what.partition(" ")
    if scope == "school":
        def show(value: Any) -> str:
            if value is None:
                return _("default (%(value)s)", value=show_value(rest, defaults.get(rest)))
            return show_value(rest, value)
        label = key_label(rest)
    elif scope == "category":
        code, _sep, key = rest.partition(" ")
        label = f"{category_names.get(code, code)} · {key_label(key)}"

        def show(value: Any) -> str:
            return _("not set") if value is None else show_value(key, value)
    elif what.startswith("working days "):
        label = _("%(rule)s: count in working days", rule=key_label(what.removeprefix("working days ")))

        def show(value: Any) -> str:
            return _("yes") if value else _("no")
    elif scope == "calendar":
        label = _("Working calendar: %(what)s", what=CALENDAR_LABELS.get(rest, rest))
        show = _show_listed
    else:
        label, show = what, _show_listed
    return {"what": label, "before": show(before), "after": show(after), "raw": what}


def describe_changes(changes: list[dict], category_names: dict[str, str]) -> list[dict[str, str]]:
    return [describe_change(c["what"], c["before"], c["after"], category_names) for c in changes]


def normalised(content: dict[str, Any]) -> dict[str, Any]:
    """``content`` as a book stores it (a missing calendar is the default one), so diffs show real changes only."""
    return RuleBook.from_content(store().defaults, content, version=0).content()


def readable_diff(before: dict[str, Any], after: dict[str, Any], category_names: dict[str, str]) -> list[dict]:
    return describe_changes(diff(normalised(before), normalised(after)), category_names)


def confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


# --- the rules form ----------------------------------------------------------------------------

def field_name(key: str) -> str:
    return key.replace(".", "__")


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
    open_orders = RadioField(_l("Open orders"), default="keep", validators=[InputRequired()], choices=[
        SelectChoice("keep", _l("Keep their current deadlines (only new waits use the new rules)")),
        SelectChoice("rearm", _l("Re-arm them: deadline = when the wait began + the new duration")),
    ])


class RestoreForm(FlaskForm):
    """Only the CSRF token: the version is in the URL."""


def rules_form_class(defaults: dict[str, Any], category_codes: list[str]) -> type[FlaskForm]:
    """A form with, for every rule key, the school's value and an optional override for one category."""

    class RulesForm(FlaskForm):
        category = HiddenField()
        comment = TextAreaField(_l("Why are you changing the rules?"), validators=[InputRequired(), Length(max=500)])

        def validate_category(self, field: Field) -> None:
            if field.data and field.data not in category_codes:
                raise ValidationError(_("Choose a category or a service item of the catalogue."))

    units = [SelectChoice(value, label) for value, label in UNITS]
    for key in defaults:
        name, label, kind = field_name(key), KEY_LABELS.get(key, key), key_kind(key, defaults[key])
        if kind == "duration":
            setattr(RulesForm, f"s_{name}_amount", IntegerField(label, validators=[InputRequired()]))
            setattr(RulesForm, f"s_{name}_unit", SelectField(_l("Unit"), choices=units, default="h"))
            setattr(RulesForm, f"s_{name}_wd", BooleanField(_l("Count in working days")))
            setattr(RulesForm, f"c_{name}_amount", IntegerField(label, validators=[Optional()]))
            setattr(RulesForm, f"c_{name}_unit", SelectField(_l("Unit"), choices=units, default="h"))
        elif kind == "role":
            # no choice check here: a role that is not offered is refused by the rule check (unknown_role)
            setattr(RulesForm, f"s_{name}", SelectField(label, choices=role_choices(), validate_choice=False,
                                                        validators=[InputRequired()]))
            setattr(RulesForm, f"c_{name}", SelectField(label, choices=role_choices(blank=_l("(as for the school)")),
                                                        validate_choice=False, validators=[Optional()]))
        elif kind == "int":
            setattr(RulesForm, f"s_{name}", IntegerField(label, validators=[InputRequired()]))
            setattr(RulesForm, f"c_{name}", IntegerField(label, validators=[Optional()]))
        else:
            setattr(RulesForm, f"s_{name}", StringField(label, validators=[InputRequired(), Length(max=100)]))
            setattr(RulesForm, f"c_{name}", StringField(label, validators=[Optional(), Length(max=100)]))
    return RulesForm


def initial_data(book: RuleBook, category: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"category": category or ""}
    layer = book.categories.get(category, {}) if category else {}
    for key in book.keys:
        name, kind = field_name(key), key_kind(key, book.defaults[key])
        value = book.value(key)
        if kind == "duration":
            data[f"s_{name}_amount"], data[f"s_{name}_unit"] = split_duration(value)
            data[f"s_{name}_wd"] = key in book.working_days
            if key in layer:
                data[f"c_{name}_amount"], data[f"c_{name}_unit"] = split_duration(layer[key])
            else:
                data[f"c_{name}_unit"] = data[f"s_{name}_unit"]
        else:
            data[f"s_{name}"] = value
            if key in layer:
                data[f"c_{name}"] = layer[key]
    return data


def submitted_value(form: FlaskForm, prefix: str, key: str, kind: str) -> Any:
    """The value entered for ``key`` in the school (``s``) or category (``c``) column; None when left blank."""
    name = field_name(key)
    if kind == "duration":
        amount = form[f"{prefix}_{name}_amount"].data
        return None if amount is None else f"{amount}{form[f'{prefix}_{name}_unit'].data}"
    value = form[f"{prefix}_{name}"].data
    return None if value in (None, "") else value


def content_from(form: FlaskForm, book: RuleBook) -> dict[str, Any]:
    """The rule-set content the form describes, keeping the other categories' overrides and the calendar."""
    school, layer, working_days = {}, {}, []
    for key in book.keys:
        kind = key_kind(key, book.defaults[key])
        value = submitted_value(form, "s", key, kind)
        if value is not None and value != book.defaults[key]:
            school[key] = value
        override = submitted_value(form, "c", key, kind)
        if override is not None:
            layer[key] = override
        if kind == "duration" and form[f"s_{field_name(key)}_wd"].data:
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
            prefix = "s"
        elif category and problem.scope == f"category:{category}":
            prefix = "c"
        else:
            prefix = None
        field = None
        if prefix and problem.key in defaults:
            name = field_name(problem.key)
            suffix = "_amount" if key_kind(problem.key, defaults[problem.key]) == "duration" else ""
            field = form._fields.get(f"{prefix}_{name}{suffix}")
        if field is not None:
            if message not in field.errors:
                field.errors.append(message)
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
        name, kind = field_name(key), key_kind(key, book.defaults[key])
        row: dict[str, Any] = {"key": key, "label": key_label(key), "kind": kind, "default": show_value(key, book.defaults[key])}
        if kind == "duration":
            row.update(school=[form[f"s_{name}_amount"], form[f"s_{name}_unit"]], wd=form[f"s_{name}_wd"],
                       override=[form[f"c_{name}_amount"], form[f"c_{name}_unit"]])
        else:
            row.update(school=[form[f"s_{name}"]], wd=None, override=[form[f"c_{name}"]])
        groups.get(group_of(key), other)["rows"].append(row)
    return [g for g in [*groups.values(), other] if g["rows"]]


# --- working calendar --------------------------------------------------------------------------

def coming_friday_evening(zone: str) -> datetime:
    """The next Friday 18:00 (local) from now: today if it is Friday before 18:00."""
    local = now().astimezone(ZoneInfo(zone))
    friday = local.date() + timedelta(days=(4 - local.weekday()) % 7)
    start = datetime.combine(friday, time(18, 0), ZoneInfo(zone))
    return start if start > local else start + timedelta(days=7)


def parse_dates(text: str | None) -> tuple[list[date], list[str]]:
    """One ISO date per line (blank lines ignored): (dates, error messages)."""
    days, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            days.append(date.fromisoformat(line))
        except ValueError:
            errors.append(_("Line %(line)d is not a date like 2026-10-01: %(text)s", line=number, text=line[:40]))
    return sorted(set(days)), errors


class CalendarForm(FlaskForm):
    opens = StringField(_l("Office opens"), validators=[InputRequired(), Length(max=5)])
    closes = StringField(_l("Office closes"), validators=[InputRequired(), Length(max=5)])
    holidays = TextAreaField(_l("Holidays (one date per line, e.g. 2026-10-01)"), validators=[Length(max=20000)])
    makeup_days = TextAreaField(_l("Make-up working days (one date per line)"), validators=[Length(max=20000)])
    start = StringField(validators=[Optional(), Length(max=16)])  # hidden: the preview's start, kept across a POST
    comment = TextAreaField(_l("Why are you changing the calendar?"), validators=[Length(max=500)])

    def parsed_time(self, field: Field) -> time | None:
        try:
            return datetime.strptime((field.data or "").strip(), "%H:%M").time()
        except ValueError:
            return None


def calendar_content(form: CalendarForm, book: RuleBook) -> dict[str, Any] | None:
    """The calendar the form describes (None, with field errors, when it has mistakes)."""
    ok = True
    opens, closes = form.parsed_time(form.opens), form.parsed_time(form.closes)
    for field, value in ((form.opens, opens), (form.closes, closes)):
        if value is None:
            field.errors = [*field.errors, _("Enter a time like 08:30.")]
            ok = False
    if opens and closes and opens >= closes:
        form.closes.errors = [*form.closes.errors, _("The office must close after it opens.")]
        ok = False
    holidays, errors = parse_dates(form.holidays.data)
    form.holidays.errors = [*form.holidays.errors, *errors]
    makeup, errors = parse_dates(form.makeup_days.data)
    form.makeup_days.errors = [*form.makeup_days.errors, *errors]
    both = sorted(set(holidays) & set(makeup))
    if both:
        form.makeup_days.errors = [*form.makeup_days.errors, _("A day cannot be both a holiday and a make-up working day: %(days)s",
                                                               days=", ".join(d.isoformat() for d in both))]
    if form.holidays.errors or form.makeup_days.errors or not ok:
        return None
    assert opens is not None and closes is not None  # ok: both were read
    return {"timezone": book.calendar.timezone, "opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M"),
            "holidays": [d.isoformat() for d in holidays], "makeup_days": [d.isoformat() for d in makeup]}


def preview_start(form: CalendarForm, zone: str) -> datetime:
    raw = (form.start.data or request.args.get("start") or "").strip()
    if raw:
        try:
            return datetime.strptime(raw, "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo(zone))
        except ValueError:
            form.start.errors = [*form.start.errors, _("Enter a date and time like 2026-11-20T18:00.")]
    return coming_friday_evening(zone)


def escalation_preview(book: RuleBook, proposed: RuleBook | None, start: datetime, code: str | None) -> list[dict[str, Any]]:
    category = scope_of_code(code) if code else None
    rows = []
    for colour, label in COLOURS:
        key = f"repair.escalation.{colour}.after"
        if key not in book:
            continue
        zone = book.calendar.timezone
        rows.append({"colour": colour, "label": label, "word": COLOUR_WORDS[colour],
                     "after": show_value(key, book.value(key, category)),
                     "working_days": key in book.working_days,
                     "current": format_when(book.deadline(key, start, category), zone),
                     "proposed": format_when(proposed.deadline(key, start, category), zone) if proposed else None})
    return rows
