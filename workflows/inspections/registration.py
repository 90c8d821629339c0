"""Register the finding diagram's helper and the planner of scheduled rounds with the engine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.inspections.schedules import plan_rounds
from workflows.inspections.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("inspection_step", "Record a step of an inspection finding", key_kind="inspection_step")
    def inspection_step(name: str, finding_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(book, name, finding_id, *args)

    registry.keys("inspection_step", lambda name: name in STEPS, lambda: sorted(STEPS))

    @registry.periodic("inspection_rounds", "Plan the scheduled inspection rounds that come within the look-ahead")
    def inspection_rounds(host: Host, session: Session, at: datetime) -> int:
        return plan_rounds(session, store, at)
