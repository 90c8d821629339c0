"""Celery tasks of the reports: generate one report, and the scheduled pass that queues the reports of the last
complete month and quarter. Both wrap plain functions of :mod:`workflows.reports.service`."""
from __future__ import annotations

from celery import shared_task

from engine.clock import now
from engine.db import unit_of_work
from workflows.dashboard import LOCAL_TZ
from workflows.reports import service

SCHEDULE_SECONDS = 3600.0  # the pass is idempotent; hourly means a new period's reports come early on its first day


@shared_task(bind=True, name="houqin.generate_report", acks_late=True, soft_time_limit=600, time_limit=660)
def generate_report(self, report_id: int) -> str:
    host = self.app.houqin_host
    return service.generate(host.session_factory, host.dispatcher, report_id, self.app.houqin_reports_dir)


@shared_task(bind=True, name="houqin.schedule_reports")
def schedule_reports(self) -> int:
    with unit_of_work(self.app.houqin_host.session_factory) as session:
        ids = service.schedule_due(session, today=now().astimezone(LOCAL_TZ).date())
    for report_id in ids:
        generate_report.delay(report_id)
    return len(ids)
