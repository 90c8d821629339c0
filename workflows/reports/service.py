"""Request, generate, list and subscribe to service-analysis reports.

Generation runs in a background job (Celery ``houqin.generate_report``, or a thread in the embedded mode) and
commits its progress after each step, so the progress page can follow it. A report that is done is never
generated again; a failed one records its error and can be requested anew.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine import outbox
from engine.audit import record
from engine.clock import now
from engine.db import unit_of_work
from engine.host import Dispatcher
from engine.statuses import JobStatus
from workflows.i18n import normalise
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, School
from workflows.people.timezone import local_date, local_today, school_zone
from workflows.reports import periods
from workflows.reports.content import gather
from workflows.reports.enums import ReportAction
from workflows.reports.excel import write_excel
from workflows.reports.making import ReportMaking
from workflows.reports.models import ReportSubscription, ServiceReport
from workflows.reports.pdf import write_pdf

FILE_KINDS = {"pdf": "application/pdf",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


STALE_AFTER = timedelta(hours=1)


class ReportError(ValueError):
    """A request that cannot be honoured (unknown period, a unit of another school, a period not yet begun)."""


def _audit(session: Session, report: ServiceReport, action: ReportAction, actor: str | None, **details: Any) -> None:
    record(session, action=action, actor=actor, school_id=report.school_id,
           details={"report_id": report.id, "period": report.period, "start": report.period_start.isoformat(),
                    "unit_id": report.unit_id, **details})


def service_units(session: Session, school_id: int) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id,
                                                      OrgUnit.kind == UnitKind.service_unit).order_by(OrgUnit.id)))


def request(session: Session, *, school_id: int, unit_id: int | None, period: str, day: date, locale: str,
            requested_by_id: int | None, actor: str | None) -> ServiceReport:
    """Queue a report of the ``period`` containing ``day`` (raises :class:`ReportError` on bad input)."""
    if period not in periods.PERIODS:
        raise ReportError("unknown period")
    if unit_id is not None and unit_id not in {u.id for u in service_units(session, school_id)}:
        raise ReportError("unknown service unit")
    first, last = periods.bounds(period, day)
    if first > local_today(session, school_id):
        raise ReportError("the period has not begun")
    report = ServiceReport(school_id=school_id, unit_id=unit_id, period=period, period_start=first, period_end=last,
                           locale=normalise(locale), requested_by_id=requested_by_id, created_at=now())
    session.add(report)
    session.flush()
    _audit(session, report, ReportAction.requested, actor)
    return report


def schedule_due(session: Session, *, today: date | None = None, at: datetime | None = None) -> list[int]:
    """Queue the reports of the last complete month and quarter for every school and service unit that has none
    yet (the scheduled job; running it twice queues nothing more), as of ``today`` or else of each school's own day
    at ``at`` (default now). Reports left queued or running for over :data:`STALE_AFTER` (a lost task, a worker
    that died) are returned too, to be made again."""
    queued = list(session.scalars(select(ServiceReport.id).where(ServiceReport.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
                                                                 ServiceReport.created_at < now() - STALE_AFTER)))
    for school_id in session.scalars(select(School.id).order_by(School.id)):
        scopes = [None, *(u.id for u in service_units(session, school_id))]
        day = today or local_date(at or now(), school_zone(session, school_id))
        for period in periods.PERIODS:
            first, _ = periods.previous(period, day)
            have = set(session.scalars(select(ServiceReport.unit_id).where(
                ServiceReport.school_id == school_id, ServiceReport.period == period,
                ServiceReport.period_start == first, ServiceReport.status != JobStatus.FAILED)))
            for unit_id in scopes:
                if unit_id not in have:
                    queued.append(request(session, school_id=school_id, unit_id=unit_id, period=period, day=first,
                                          locale="zh_CN", requested_by_id=None, actor="schedule").id)
    return queued


def _step(factory: sessionmaker[Session], report_id: int, **values: Any) -> None:
    with unit_of_work(factory) as session:
        report = session.get_one(ServiceReport, report_id)
        for key, value in values.items():
            setattr(report, key, value)


def generate(factory: sessionmaker[Session], dispatcher: Dispatcher, report_id: int, making: ReportMaking) -> str:
    """Build the Excel and PDF files of a queued report and notify its subscribers: 'done', 'skipped' (already
    done or unknown) or raises after marking the report failed (the caller's task fails visibly)."""
    with unit_of_work(factory) as session:
        report = session.get(ServiceReport, report_id)
        if report is None or report.status == JobStatus.DONE:
            return "skipped"
        report.status, report.progress, report.step, report.error = JobStatus.RUNNING, 10, "figures", None
        _audit(session, report, ReportAction.started, "system")
    try:
        with unit_of_work(factory) as session:
            report = session.get_one(ServiceReport, report_id)
            data = gather(session, making, school_id=report.school_id, unit_id=report.unit_id, period=report.period,
                          first=report.period_start, last=report.period_end, locale=report.locale)
            folder = making.folder / str(report.school_id)
            stem = f"{report_id}-{report.period}-{report.period_start.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        _step(factory, report_id, progress=40, step="excel")
        write_excel(data, folder / f"{stem}.xlsx")
        _step(factory, report_id, progress=70, step="pdf")
        generated = now().astimezone(data.zone).strftime("%Y-%m-%d %H:%M")
        write_pdf(data, folder / f"{stem}.pdf", generated=generated)
    except Exception as err:
        with unit_of_work(factory) as session:
            report = session.get_one(ServiceReport, report_id)
            report.status, report.error, report.finished_at = JobStatus.FAILED, f"{type(err).__name__}: {err}"[:2000], now()
            _audit(session, report, ReportAction.failed, "system", error=report.error)
        raise
    with unit_of_work(factory) as session:
        report = session.get_one(ServiceReport, report_id)
        report.status, report.progress, report.step, report.finished_at = JobStatus.DONE, 100, "done", now()
        report.pdf_name, report.xlsx_name = f"{stem}.pdf", f"{stem}.xlsx"
        _audit(session, report, ReportAction.generated, "system")
        outbox.post(session, dispatcher, kind="report.ready", school_id=report.school_id,
                    users=subscribers(session, report), dedup_key=f"report:{report.id}:ready",
                    payload={"title": " ".join(filter(None, (data.school, data.unit, data.title))),
                             "report_id": report.id, "attachments": [str(folder / report.pdf_name)]})
    return "done"


def file_path(reports_dir: Path, report: ServiceReport, kind: str) -> Path | None:
    """Where a done report's ``pdf`` or ``xlsx`` file is, if it exists."""
    name = {"pdf": report.pdf_name, "xlsx": report.xlsx_name}.get(kind)
    if report.status != JobStatus.DONE or not name:
        return None
    path = Path(reports_dir) / str(report.school_id) / name
    return path if path.is_file() else None


def listed(session: Session, *, school_id: int, limit: int = 100) -> list[ServiceReport]:
    return list(session.scalars(select(ServiceReport).where(ServiceReport.school_id == school_id)
                                .order_by(ServiceReport.period_start.desc(), ServiceReport.id.desc()).limit(limit)))


def progress(report: ServiceReport) -> dict:
    return {"id": report.id, "status": report.status, "progress": report.progress, "step": report.step,
            "error": report.error}


# --- subscriptions ------------------------------------------------------------------------------------------

def subscribers(session: Session, report: ServiceReport) -> list[int]:
    return list(session.scalars(select(ReportSubscription.user_id).where(
        ReportSubscription.school_id == report.school_id, ReportSubscription.unit_key == (report.unit_id or 0))))


def subscriptions(session: Session, *, user_id: int) -> set[int]:
    """The scopes a user subscribed to: ``0`` for the school's own reports, else unit ids."""
    return set(session.scalars(select(ReportSubscription.unit_key).where(ReportSubscription.user_id == user_id)))


def set_subscription(session: Session, *, user_id: int, school_id: int, unit_id: int | None, on: bool,
                     actor: str) -> None:
    if unit_id is not None and unit_id not in {u.id for u in service_units(session, school_id)}:
        raise ReportError("unknown service unit")
    row = session.scalar(select(ReportSubscription).where(ReportSubscription.user_id == user_id,
                                                          ReportSubscription.school_id == school_id,
                                                          ReportSubscription.unit_key == (unit_id or 0)))
    if on and row is None:
        session.add(ReportSubscription(user_id=user_id, school_id=school_id, unit_id=unit_id, unit_key=unit_id or 0,
                                       created_at=now()))
    elif not on and row is not None:
        session.delete(row)
    else:
        return
    record(session, action=ReportAction.subscribed if on else ReportAction.unsubscribed, actor=actor,
           school_id=school_id, details={"user_id": user_id, "unit_id": unit_id})
