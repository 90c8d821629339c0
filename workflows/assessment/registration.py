"""Register the assessment diagram's helper (with the installed indicators) and the periodic job that opens the
scheduled campaigns. Called from :func:`workflows.bootstrap.build_registry` with the indicators of every module."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.helpers import scoped_book
from rules.store import RuleStore
from workflows.assessment.indicators import IndicatorTable
from workflows.assessment.service import open_scheduled
from workflows.assessment.steps import STEPS, Reckoning, apply_step


def register(registry: Registry, store: RuleStore, indicators: IndicatorTable) -> None:
    @registry.helper("assessment_step", "Record a step of an assessment campaign", key_kind="assessment_step")
    def assessment_step(name: str, campaign_id: int, *args: Any) -> dict:
        book, _scope = scoped_book(store)
        return apply_step(Reckoning(book, indicators), name, campaign_id, *args)

    registry.keys("assessment_step", lambda name: name in STEPS, lambda: sorted(STEPS))

    @registry.periodic("assessment_campaigns", "Open the monthly and quarterly assessment campaigns whose period ended")
    def assessment_campaigns(host: Host, session: Session, at: datetime) -> int:
        return open_scheduled(session, host, at)
