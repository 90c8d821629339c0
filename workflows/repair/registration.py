"""Register the repair domain's diagram helpers with the engine."""
from __future__ import annotations

from typing import Any

from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.repair.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("order_step", "Record a step of the repair process on the work order", key_kind="order_step")
    def order_step(name: str, order_id: int, *args: Any) -> dict:
        book, scope = scoped_book(store)
        return apply_step(book, scope, name, order_id, *args)

    registry.keys("order_step", lambda name: name in STEPS, lambda: sorted(STEPS))
