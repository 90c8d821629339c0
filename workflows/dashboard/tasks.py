"""Celery task: refresh the pre-aggregated daily figures of every school (beat runs it every few minutes)."""
from __future__ import annotations

from celery import shared_task

from engine.db import unit_of_work
from workflows.dashboard.daily import refresh_all

REFRESH_SECONDS = 600.0


@shared_task(bind=True, name="houqin.refresh_daily_figures", soft_time_limit=600, time_limit=660)
def refresh_daily_figures(self) -> dict[int, int]:
    with unit_of_work(self.app.houqin_host.session_factory) as session:
        return refresh_all(session)
