"""Register the work-plan diagram's helper and the occurrence generator with the engine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.plans.service import generate_occurrences
from workflows.plans.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("plan_step", "Record a step of a work-plan occurrence", key_kind="plan_step")
    def plan_step(name: str, occurrence_id: int, *args: Any) -> dict:
        book, _category = scoped_book(store)
        return apply_step(book, name, occurrence_id, *args)

    registry.keys("plan_step", lambda name: name in STEPS, lambda: sorted(STEPS))

    @registry.periodic("plan_occurrences", "Start the work-plan occurrences that come within the look-ahead")
    def plan_occurrences(host: Host, session: Session, at: datetime) -> int:
        return generate_occurrences(session, host, store, at)
