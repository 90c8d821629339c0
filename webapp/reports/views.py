"""Service-analysis reports: request one (with a progress page), list and download them, subscribe to them.

Generation runs on a Celery worker (``houqin.generate_report``) when there is one, else on a daemon thread
(embedded mode); the scheduled job queues the last month's and quarter's reports by itself.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, school_tz
from webapp.reports.dashboard import DASHBOARD_ROLES
from workflows.reports import periods, service
from workflows.reports.making import ReportMaking
from workflows.reports.models import ServiceReport

if TYPE_CHECKING:
    from engine.host import Host

bp = Blueprint("reports", __name__, url_prefix="/reports")
log = logging.getLogger(__name__)
PERIOD_LABELS = {"month": _l("Monthly"), "quarter": _l("Quarterly")}
STEP_LABELS = {"": _l("Waiting for a worker"), "figures": _l("Counting the figures"),
               "excel": _l("Writing the Excel tables"), "pdf": _l("Drawing the PDF with charts"), "done": _l("Done")}
STATUS_LABELS = {"queued": _l("Queued"), "running": _l("Generating"), "done": _l("Ready"), "failed": _l("Failed")}


class RequestForm(FlaskForm):
    period = SelectField(_l("Period"), choices=[SelectChoice(k, v) for k, v in PERIOD_LABELS.items()],
                         validators=[InputRequired()])
    day = DateField(_l("Any day of the period"), validators=[InputRequired()])
    unit = SelectField(_l("Scope"), coerce=int, validators=[InputRequired()])


class SubscribeForm(FlaskForm):
    unit = HiddenField()
    on = HiddenField()


def _units() -> list[tuple[int, str]]:
    units = service.service_units(db.session(), current_user.school_id)
    return [(0, str(_("Whole school")))] + [(u.id, u.name) for u in units]


def _report(report_id: int) -> ServiceReport:
    report = db.session().get(ServiceReport, report_id)
    if report is None or report.school_id != current_user.school_id:
        abort(404)
    return report


def start_background(report_id: int) -> None:
    """Generate a report on a Celery worker when there is one, else on a daemon thread (embedded mode)."""
    runtime = db.runtime()
    if runtime.celery is not None:
        runtime.celery.send_task("houqin.generate_report", args=[report_id])
        return
    threading.Thread(target=_generate_quietly, args=(runtime.host, runtime.report_making, report_id), daemon=True,
                     name=f"houqin-report-{report_id}").start()


def _generate_quietly(host: Host, making: ReportMaking, report_id: int) -> None:
    try:
        service.generate(host.session_factory, host.dispatcher, report_id, making)
    except Exception:  # the report is marked failed with its error, shown on the page
        log.exception("generating report %s failed", report_id)


@bp.get("/")
@roles_required(*DASHBOARD_ROLES)
def index() -> ResponseReturnValue:
    session = db.session()
    form = RequestForm()
    units = dict(_units())
    form.unit.choices = [SelectChoice(k, v) for k, v in units.items()]
    if form.day.data is None:
        form.day.data = periods.previous("month", now().astimezone(school_tz()).date())[0]
    return render_template("reports/index.html", form=form, reports=service.listed(session, school_id=current_user.school_id),
                           units=units, subscribed=service.subscriptions(session, user_id=current_user.id),
                           periods=PERIOD_LABELS, statuses=STATUS_LABELS, label=periods.label, locale=locale_code(),
                           subscribe_form=SubscribeForm())


@bp.post("/")
@roles_required(*DASHBOARD_ROLES)
def create() -> ResponseReturnValue:
    session = db.session()
    form = RequestForm()
    form.unit.choices = [SelectChoice(k, v) for k, v in _units()]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("reports.index"))
    assert form.day.data is not None  # validated: InputRequired
    try:
        report = service.request(session, school_id=current_user.school_id, unit_id=form.unit.data or None,
                                 period=form.period.data, day=form.day.data, locale=locale_code(),
                                 requested_by_id=current_user.id, actor=current_user.username)
    except service.ReportError:
        flash(_("That period has not begun yet; pick a day in the past."), "error")
        return redirect(url_for("reports.index"))
    session.commit()
    start_background(report.id)
    return redirect(url_for("reports.detail", report_id=report.id))


@bp.get("/<int:report_id>")
@roles_required(*DASHBOARD_ROLES)
def detail(report_id: int) -> ResponseReturnValue:
    report = _report(report_id)
    return render_template("reports/detail.html", report=report, steps=STEP_LABELS, statuses=STATUS_LABELS,
                           periods=PERIOD_LABELS, label=periods.label(report.period, report.period_start, locale_code()),
                           unit=dict(_units()).get(report.unit_id or 0, ""))


@bp.get("/<int:report_id>/progress")
@roles_required(*DASHBOARD_ROLES)
def progress(report_id: int) -> ResponseReturnValue:
    report = _report(report_id)
    return jsonify({**service.progress(report), "step_label": str(STEP_LABELS.get(report.step, report.step)),
                    "status_label": str(STATUS_LABELS.get(report.status, report.status))})


@bp.get("/<int:report_id>/<any(pdf, xlsx):kind>")
@roles_required(*DASHBOARD_ROLES)
def download(report_id: int, kind: str) -> ResponseReturnValue:
    report = _report(report_id)
    path = service.file_path(db.runtime().reports_dir, report, kind)
    if path is None:
        abort(404)
    name = f"report-{report.period}-{report.period_start.isoformat()}-{report.unit_id or 'school'}.{kind}"
    return send_file(path, mimetype=service.FILE_KINDS[kind], as_attachment=True, download_name=name)


@bp.post("/subscriptions")
@roles_required(*DASHBOARD_ROLES)
def subscribe() -> ResponseReturnValue:
    form = SubscribeForm()
    if not form.validate_on_submit() or not (form.unit.data or "").isdigit():
        abort(400)
    unit_id = int(form.unit.data or 0) or None  # digits, checked above
    try:
        service.set_subscription(db.session(), user_id=current_user.id, school_id=current_user.school_id,
                                 unit_id=unit_id, on=form.on.data == "1", actor=current_user.username)
    except service.ReportError:
        abort(400)
    db.session().commit()
    flash(_("You will get these reports when they are ready.") if form.on.data == "1"
          else _("You will no longer get these reports."), "success")
    return redirect(url_for("reports.index"))
