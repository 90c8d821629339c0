"""Register the refresh of the pre-aggregated daily figures as a periodic job: Celery beat runs it on a worker,
the embedded scheduler in-process, ``houqin tick`` once per call."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from workflows.dashboard.daily import refresh_all

REFRESH_SECONDS = 600.0


def register(registry: Registry) -> None:
    @registry.periodic("daily_figures", "Refresh the pre-aggregated daily figures of every school",
                       every=REFRESH_SECONDS)
    def daily_figures(host: Host, session: Session, at: datetime) -> int:
        return sum(refresh_all(session, at=at).values())
