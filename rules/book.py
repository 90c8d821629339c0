"""A rule book: defaults, a school's settings and catalogue overrides, resolved most-specific-first.

Keys are what diagrams name (``repair.escalation.yellow.after``). A school's rule set stores only
what differs from the shipped defaults; a catalogue override only what differs for a category (water
leaks: ``W``) or a single service item, named with its category (a burst main: ``W/W03``). An order is
looked up by its scope, the item first and then its category, so an item's own override wins over its
category's. :meth:`RuleBook.resolve` says which layer a value came from, so the admin
page can show which rule applies to an order and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from rules import durations
from rules.calendar import WorkCalendar

DEFAULTS = Path(__file__).with_name("defaults.yaml")
_DURATION_LEAVES = ("after", "before", "every", "_after", "_every", "_for")


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def is_duration_key(key: str) -> bool:
    return key.rsplit(".", 1)[-1].endswith(_DURATION_LEAVES)


def load_defaults(path: Path = DEFAULTS) -> dict[str, Any]:
    return flatten(yaml.safe_load(path.read_text(encoding="utf-8")))


Scope = str | tuple[str | None, ...] | None  # an override's code, or codes most specific first (item, category)


def item_code(category: str, item: str) -> str:
    """The override code of one service item: its category's code and its own (``W/W03``)."""
    return f"{category}/{item}"


def parent_category(code: str) -> str | None:
    """The category of an item's override code (``W/W03`` → ``W``); None for a category's own code."""
    return code.split("/", 1)[0] if "/" in code else None


def scope_of_code(code: str) -> tuple[str, ...]:
    """What an override code is looked up with: an item's code and then its category's; a category alone."""
    parent = parent_category(code)
    return (code, parent) if parent else (code,)


def _codes(scope: Scope) -> tuple[str, ...]:
    if scope is None:
        return ()
    return (scope,) if isinstance(scope, str) else tuple(code for code in scope if code)


@dataclass(frozen=True)
class Resolution:
    key: str
    value: Any
    source: str  # "category:<catalogue code>" | "school" | "default"


@dataclass(frozen=True)
class RuleBook:
    """``defaults`` ⊕ ``school`` ⊕ ``categories[code]``; ``working_days`` lists keys counted on the calendar."""

    defaults: dict[str, Any]
    school: dict[str, Any] = field(default_factory=dict)
    categories: dict[str, dict[str, Any]] = field(default_factory=dict)
    working_days: frozenset[str] = frozenset()
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    version: int = 0

    @classmethod
    def from_yaml(cls, path: Path = DEFAULTS) -> RuleBook:
        return cls(load_defaults(path))

    @classmethod
    def from_content(cls, defaults: dict[str, Any], content: dict[str, Any], *, version: int) -> RuleBook:
        return cls(defaults, dict(content.get("school", {})), {k: dict(v) for k, v in content.get("categories", {}).items()},
                   frozenset(content.get("working_days", [])), WorkCalendar.from_dict(content.get("calendar", {})), version)

    def content(self) -> dict[str, Any]:
        """What a stored rule set holds (everything but the shipped defaults)."""
        return {"school": dict(self.school), "categories": {k: dict(v) for k, v in self.categories.items()},
                "working_days": sorted(self.working_days), "calendar": self.calendar.to_dict()}

    def __contains__(self, key: str) -> bool:
        return key in self.defaults

    @property
    def keys(self) -> list[str]:
        return sorted(self.defaults)

    def resolve(self, key: str, scope: Scope = None) -> Resolution:
        if key not in self.defaults:
            raise KeyError(f"unknown rule {key!r}")
        for code in _codes(scope):
            if key in self.categories.get(code, {}):
                return Resolution(key, self.categories[code][key], f"category:{code}")
        if key in self.school:
            return Resolution(key, self.school[key], "school")
        return Resolution(key, self.defaults[key], "default")

    def value(self, key: str, scope: Scope = None) -> Any:
        return self.resolve(key, scope).value

    def duration(self, key: str, scope: Scope = None) -> timedelta:
        return durations.parse(self.value(key, scope))

    def iso(self, key: str, scope: Scope = None) -> str:
        return durations.to_iso(self.duration(key, scope))

    def deadline(self, key: str, start: datetime, scope: Scope = None) -> datetime:
        """When a wait of rule ``key`` that began at ``start`` ends.

        A rule counted in working time reads "3d" as three working days and "12h" as twelve
        working hours on the school's calendar; other rules count wall-clock time.
        """
        if key not in self.working_days:
            return start + self.duration(key, scope)
        amount, unit = durations.split(self.value(key, scope))
        if unit == "d":
            return self.calendar.add_days(start, amount)
        return self.calendar.add(start, self.duration(key, scope))
