"""Register the scheduled reports as a periodic job. The pass queues the reports of the last complete month and
quarter that are missing (idempotent) and makes them after its transaction commits, on whichever process runs
the job: a Celery worker under beat, the embedded scheduler thread, or ``houqin tick``."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from engine.aftercommit import defer
from engine.host import Host
from engine.registry import Registry
from workflows.reports import service
from workflows.reports.making import ReportMaking

SCHEDULE_SECONDS = 3600.0  # hourly: a new period's reports come early on its first day

log = logging.getLogger(__name__)


def register(registry: Registry, making: ReportMaking) -> None:
    @registry.periodic("service_reports", "Make the monthly and quarterly service-analysis reports that are due",
                       every=SCHEDULE_SECONDS)
    def service_reports(host: Host, session: Session, at: datetime) -> int:
        ids = service.schedule_due(session, at=at)
        if ids:
            defer(session, lambda: _generate_all(host, ids, making))
        return len(ids)


def _generate_all(host: Host, ids: list[int], making: ReportMaking) -> None:
    for report_id in ids:
        try:
            service.generate(host.session_factory, host.dispatcher, report_id, making)
        except Exception:  # marked failed with its error on the reports page; the others still get made
            log.exception("scheduled report %s failed", report_id)
