"""Register the delegated-task diagram's helper with the engine."""
from __future__ import annotations

from typing import Any

from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.delegation.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("task_step", "Record a step of a delegated task", key_kind="task_step")
    def task_step(name: str, task_id: int, *args: Any) -> dict:
        book, _category = scoped_book(store)
        return apply_step(book, name, task_id, *args)

    registry.keys("task_step", lambda name: name in STEPS, lambda: sorted(STEPS))
