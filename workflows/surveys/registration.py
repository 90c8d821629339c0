"""Register the survey diagram's helper with the engine."""
from __future__ import annotations

from typing import Any

from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.surveys.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("survey_step", "Record a step of a satisfaction survey", key_kind="survey_step")
    def survey_step(name: str, survey_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(book, name, survey_id, *args)

    registry.keys("survey_step", lambda name: name in STEPS, lambda: sorted(STEPS))
