"""What the rules admin pages show and read: groups, value formatting, diffs, the confirm and calendar forms.

Kept apart from the views in :mod:`webapp.admin.rules` so that module holds only the request flow; the form that
changes the rules is :mod:`webapp.admin.rules_edit_form`, labels are :mod:`webapp.rule_labels`.
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
from wtforms import Field, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional

from engine.clock import now
from rules.book import RuleBook, item_code, parent_category, scope_of_code
from rules.keys import RuleKind, kind_of
from rules.store import RuleStore, diff
from webapp import db
from webapp.i18n import locale_code
from webapp.rule_labels import key_label, show_recipients
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
    ("repair.visibility", _l("Who sees orders")),
    ("plans", _l("Work plans")),
    ("delegation", _l("Delegated tasks")),
]
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
    if code == "unknown_recipient":
        return _("Choose the recipients from the list.")
    if code == "no_recipient":
        return _("Choose at least one recipient.")
    if code == "out_of_range":
        for suffix, (low, high) in RANGES.items():
            if key.endswith(suffix):
                return _("Enter a whole number from %(low)d to %(high)d.", low=low, high=high)
        return _("This value is out of range.")
    if code == "not_yes_or_no":
        return _("Choose yes or no.")
    if code == "unknown_key":
        return _("This rule is not known to this version of the system.")
    return _("This value cannot be used.")


def ordered_keys(book: RuleBook) -> list[str]:
    """Rule keys in the order of ``defaults.yaml`` (green, yellow, red), not alphabetical."""
    return list(book.defaults)


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
    """A rule value as an admin reads it: '3 days', 'Deputy leader', 'Task assignee and Main leader', '3'."""
    if value is None:
        return "—"
    try:
        kind = kind_of(key, value)
    except ValueError:  # a value of a key this version does not know
        return str(value)
    if kind is RuleKind.duration:
        return human_duration(value)
    if kind is RuleKind.role:
        return str(ROLE_LABELS.get(str(value), value))
    if kind is RuleKind.recipients:
        return show_recipients(value)
    if kind is RuleKind.switch:
        return _("Yes") if value is True else _("No")
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

class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
    open_orders = RadioField(_l("Open orders"), default="keep", validators=[InputRequired()], choices=[
        SelectChoice("keep", _l("Keep their current deadlines (only new waits use the new rules)")),
        SelectChoice("rearm", _l("Re-arm them: deadline = when the wait began + the new duration")),
    ])


class RestoreForm(FlaskForm):
    """Only the CSRF token: the version is in the URL."""


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
