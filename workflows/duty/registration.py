"""Register the PDCA diagram's helper and the watch over duty (a periodic job) with the engine."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.duty import roster, watch
from workflows.duty.steps import STEPS, apply_step


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("duty_step", "Record a step of an anomaly's PDCA", key_kind="duty_step")
    def duty_step(name: str, anomaly_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(book, name, anomaly_id, *args)

    registry.keys("duty_step", lambda name: name in STEPS, lambda: sorted(STEPS))

    @registry.periodic("duty_watch", "Find missed check-ins and patrols, unanswered presence checks and late "
                                     "handovers; ask the night's presence checks")
    def duty_watch(host: Host, session: Session, at: datetime) -> int:
        return watch.run(session, host, store, at)

    @registry.periodic("duty_roster", "Make the shifts of the coming two weeks from the posts' templates", every=3600)
    def duty_roster(host: Host, session: Session, at: datetime) -> int:
        return roster.generate_ahead(session, at)
