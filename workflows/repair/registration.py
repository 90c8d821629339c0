"""Register the repair domain's diagram helpers with the engine."""
from __future__ import annotations

from typing import Callable

from engine.registry import Registry
from rules.book import RuleBook
from workflows.repair.steps import STEPS, apply_step


def register(registry: Registry, current_rules: Callable[[], RuleBook]) -> None:
    @registry.helper("order_step", "Record a step of the repair process on the work order", key_kind="order_step")
    def order_step(name: str, order_id: int, *args) -> dict:
        return apply_step(current_rules(), name, order_id, *args)

    registry.keys("order_step", lambda name: name in STEPS, lambda: sorted(STEPS))
