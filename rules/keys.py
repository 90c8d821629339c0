"""What each rule key is: its kind (a duration, one role, recipients, yes or no, a whole number) and the process it belongs to.

Keys are what diagrams name (``delegation.slip.red.to``). Their first part is the process module whose diagrams
read them (``repair``, ``plans``, ``delegation``: a module's name), so "which rule applies" lists a delegated task
only the delegation rules, and their last part says what kind of value they hold, so the diagram editor offers a
timer only duration keys and the admin pages offer a list to pick recipients from instead of a text box.
"""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from rules.book import is_duration_key


class RuleKind(StrEnum):
    duration = "duration"  # "15m", "12h", "3d"
    role = "role"  # one role: who chases, who takes a unit's task
    recipients = "recipients"  # who a message goes to: people of the task (:class:`TaskParty`) and roles
    number = "number"  # a whole number: a threshold, a number of rounds
    switch = "switch"  # yes or no: whether something is allowed


class TaskParty(StrEnum):
    """The people of a delegated task a supervision slip may go to, besides everyone holding a role."""

    assignee = "assignee"  # who carries the task out (the unit's role when nobody took it yet)
    assigner = "assigner"  # who handed it out


def kind_of(key: str, default: Any) -> RuleKind:
    """The kind of rule ``key`` (whose shipped value is ``default``); ValueError for a key of no known kind."""
    if is_duration_key(key):
        return RuleKind.duration
    if key.endswith(".role"):
        return RuleKind.role
    if key.endswith(".to"):
        return RuleKind.recipients
    if isinstance(default, bool):
        return RuleKind.switch
    if isinstance(default, int):
        return RuleKind.number
    raise ValueError(f"rule {key!r} is of no known kind (a duration, .role, .to, yes or no, or a whole number)")


def section_of(key: str) -> str:
    """The process module a key belongs to: its first part (``plans.remind.before`` → ``plans``)."""
    return key.split(".", 1)[0]


def keys_of(keys: Iterable[str], section: str) -> list[str]:
    """The keys of one process module, in the order given."""
    return [key for key in keys if section_of(key) == section]


def duration_keys(keys: Iterable[str]) -> list[str]:
    """The keys a timer may count (``rule_duration``, ``rule_cycle``, ``rule_after``, ``rule_before``)."""
    return [key for key in keys if is_duration_key(key)]


def recipients(value: Any) -> list[str]:
    """A recipients rule's value as a list: rule sets saved before recipients became a list hold one word."""
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
