"""Checks a rule set must pass before it is saved; each problem names the key and a message code.

Codes are translated by the page that shows them (``rules`` does not depend on the web layer).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from rules import durations
from rules.book import RuleBook, Scope, is_duration_key, scope_of_code
from rules.keys import RuleKind, TaskParty, kind_of, recipients

MIN_REPEAT = timedelta(minutes=5)
COLOURS = ("green", "yellow", "red")
COLOUR_LADDERS = ("repair.escalation", "plans.escalation", "duty.escalation")  # each colour must come after the one before


@dataclass(frozen=True)
class RuleProblem:
    key: str
    code: str  # not_a_duration | not_positive | repeat_too_short | colour_order | unknown_role | out_of_range |
    #            unknown_recipient | no_recipient | unknown_key | bad_calendar
    scope: str = "school"  # school | category:<code>
    detail: str = ""


def _layer_problems(book: RuleBook, layer: dict[str, Any], scope: str, roles: set[str]) -> Iterable[RuleProblem]:
    category = scope_of_code(scope.removeprefix("category:")) if scope.startswith("category:") else None
    for key, value in layer.items():
        if key not in book.defaults:
            yield RuleProblem(key, "unknown_key", scope)
        else:
            yield from _value_problems(key, kind_of(key, book.defaults[key]), value, scope, roles)
    for ladder in COLOUR_LADDERS:
        yield from _colour_order(book, ladder, scope, category)
    try:
        ahead, before = book.duration("plans.generate.ahead_for", category), book.duration("plans.remind.before", category)
    except ValueError:
        return
    if ahead <= before:
        yield RuleProblem("plans.generate.ahead_for", "out_of_range", scope, "ahead_for > remind.before")


def _value_problems(key: str, kind: RuleKind, value: Any, scope: str, roles: set[str]) -> Iterable[RuleProblem]:
    if kind is RuleKind.duration:
        try:
            delta = durations.parse(value)
        except ValueError:
            yield RuleProblem(key, "not_positive" if str(value).strip().startswith(("0", "-")) else "not_a_duration", scope, str(value))
            return
        if key.endswith("every") and delta < MIN_REPEAT:
            yield RuleProblem(key, "repeat_too_short", scope, str(value))
    elif kind is RuleKind.role and value not in roles:
        yield RuleProblem(key, "unknown_role", scope, str(value))
    elif kind is RuleKind.recipients:
        chosen = recipients(value)
        unknown = [r for r in chosen if r not in roles and r not in set(TaskParty)]
        if unknown:
            yield RuleProblem(key, "unknown_recipient", scope, ", ".join(unknown))
        elif not chosen:
            yield RuleProblem(key, "no_recipient", scope)
    elif kind is RuleKind.switch and not isinstance(value, bool):
        yield RuleProblem(key, "not_yes_or_no", scope, str(value))
    elif key.endswith("bad_below") and not (isinstance(value, int) and 1 <= value <= 5):
        yield RuleProblem(key, "out_of_range", scope, str(value))
    elif key.endswith("max_rounds") and not (isinstance(value, int) and 1 <= value <= 10):
        yield RuleProblem(key, "out_of_range", scope, str(value))


def _colour_order(book: RuleBook, ladder: str, scope: str, category: Scope) -> Iterable[RuleProblem]:
    try:
        after = [book.duration(f"{ladder}.{c}.after", category) for c in COLOURS]
    except ValueError:
        return
    for (c1, d1), (c2, d2) in zip(zip(COLOURS, after, strict=True), list(zip(COLOURS, after, strict=True))[1:], strict=False):
        if d1 >= d2:
            yield RuleProblem(f"{ladder}.{c2}.after", "colour_order", scope, f"{c1} < {c2}")


def _calendar_problems(book: RuleBook) -> Iterable[RuleProblem]:
    if book.calendar.closes <= book.calendar.opens:
        yield RuleProblem("calendar.closes", "bad_calendar", "calendar", "closes before it opens")
    overlap = book.calendar.holidays & book.calendar.makeup_days
    if overlap:
        yield RuleProblem("calendar.holidays", "bad_calendar", "calendar", ", ".join(sorted(d.isoformat() for d in overlap)))
    for key in sorted(book.working_days):
        if key not in book.defaults:
            yield RuleProblem(key, "unknown_key", "working_days")
        elif not is_duration_key(key):
            yield RuleProblem(key, "not_a_duration", "working_days")


def validate(book: RuleBook, *, roles: set[str]) -> list[RuleProblem]:
    """Every problem in the school layer, each category override and the calendar (empty list: valid)."""
    problems = list(_layer_problems(book, book.school, "school", roles))
    problems.extend(_calendar_problems(book))
    for code, layer in book.categories.items():
        problems.extend(_layer_problems(book, layer, f"category:{code}", roles))
    return problems
