"""Register the complaint diagram's helper with the engine."""
from __future__ import annotations

from typing import Any

from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.complaints.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("complaint_step", "Record a step of a complaint", key_kind="complaint_step")
    def complaint_step(name: str, complaint_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(book, name, complaint_id, *args)

    registry.keys("complaint_step", lambda name: name in STEPS, lambda: sorted(STEPS))
