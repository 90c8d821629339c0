"""The Celery task that generates one report (on-demand requests from the reports page)."""
from __future__ import annotations

from celery import shared_task

from workflows.reports import service


@shared_task(bind=True, name="houqin.generate_report", acks_late=True, soft_time_limit=600, time_limit=660)
def generate_report(self, report_id: int) -> str:
    host = self.app.houqin_host
    return service.generate(host.session_factory, host.dispatcher, report_id, self.app.houqin_reports_dir)
