"""The table of named data sources a form field may take its choices from (``choices_from``).

A source is a callable the domain registers (e.g. workers of the task's unit). One marked
``takes_argument = True`` may be named with an argument after a colon: ``users_of_role:auditor``
looks up ``users_of_role`` and calls it with ``argument="auditor"``. One marked ``takes_task = True`` also
hears which business object the task's form is about (``business_key``): the dispatch form's workers are checked
against the certificates the order's service item requires.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any


def takes_argument(source: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a source as one named ``name:argument``."""
    source.takes_argument = True  # type: ignore[attr-defined]  # a marker attribute on the function
    return source


def takes_task(source: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a source as one told the task's business key."""
    source.takes_task = True  # type: ignore[attr-defined]  # a marker attribute on the function
    return source


class SourceTable(dict[str, Callable[..., Any]]):
    """``name -> source``; ``table["name:argument"]`` is the source with its argument bound."""

    def __missing__(self, key: str) -> Callable[..., Any]:
        base, sep, argument = str(key).partition(":")
        source = self.get(base) if sep else None
        if source is None or not getattr(source, "takes_argument", False) or not argument:
            raise KeyError(key)
        return partial(source, argument=argument)

    def for_task(self, name: str, business_key: str | None) -> Callable[..., Any]:
        """Source ``name`` for a task's form: told the task's business key when it asks for it."""
        source = self[name]
        return partial(source, business_key=business_key) if getattr(source, "takes_task", False) else source
