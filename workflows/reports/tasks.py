"""The Celery task that generates one report (on-demand requests from the reports page)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from celery import shared_task

from engine.celery_app import host_of
from workflows.reports import service
from workflows.reports.making import ReportMaking

if TYPE_CHECKING:
    from celery import Task


class _ReportsApp(Protocol):
    """The Celery app with what the bootstrap gives it for reports (Celery itself declares no such thing)."""

    houqin_report_making: ReportMaking


@shared_task(bind=True, name="houqin.generate_report", acks_late=True, soft_time_limit=600, time_limit=660)
def generate_report(self: Task[Any, Any], report_id: int) -> str:
    host = host_of(self.app)
    return service.generate(host.session_factory, host.dispatcher, report_id, cast(_ReportsApp, self.app).houqin_report_making)
