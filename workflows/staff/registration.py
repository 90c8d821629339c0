"""Register the certificate diagram's helper and the hourly staffing check with the engine
(plans and leavers change by the day; an hour keeps a change from waiting long)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.staff import staffing
from workflows.staff.steps import STEPS, apply_step

CHECK_EVERY = 3600.0  # seconds between staffing checks: plans and leavers change by the day


def register(registry: Registry, store: RuleStore) -> None:
    @registry.helper("certificate_step", "Record a step of a certificate", key_kind="certificate_step")
    def certificate_step(name: str, certificate_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(book, name, certificate_id, *args)

    registry.keys("certificate_step", lambda name: name in STEPS, lambda: sorted(STEPS))

    @registry.periodic("staff.staffing_check", "Tell unit leaders of posts staffed below the rule", every=CHECK_EVERY)
    def staffing_check(host: Host, session: Session, at: datetime) -> int:
        return staffing.check_all(session, host, store, at=at)
