"""Reading and correcting attendance: a person's enrolment and month (calendar, check-ins, corrections), who is on
post now by building, on-post rates per unit, post and day with their shifts, the monthly sheet, unknown faces to
review, and bulk enrolment with its progress. Always within the reader's school."""
from __future__ import annotations

import calendar
import io
import re
import secrets
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from webapp import db
from webapp.attendance.forms import MANAGERS, READERS, BulkEnrolForm, CorrectionForm, EnrolForm, ReasonForm, file_bytes, photos_of
from webapp.attendance.support import building_names, post_names, staff_in_service, staff_of_school
from webapp.auth import current_actor, roles_required
from webapp.i18n import locale_code, school_tz
from webapp.shared import query_recent_period, school_id
from workflows.attendance import checkins, enrolment
from workflows.attendance.enums import EnrolmentStatus, Mark
from workflows.attendance.figures import period_rows
from workflows.attendance.models import Checkin, CheckinPoint, Enrolment, UnknownAttempt
from workflows.attendance.readmodel import on_post_now, rates, shift_rows
from workflows.attendance.settings import AttendanceRules, attendance_rules
from workflows.attendance.sheet import MARK_WORDS, cell, month_rows, workbook
from workflows.attendance.upkeep import LEFT_REASON
from workflows.errors import FieldError
from workflows.faces.refusals import PROBLEM_WORDS
from workflows.i18n import N_
from workflows.plans.readmodel import unit_names
from workflows.staff.models import StaffMember

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
_BULK_NAME = re.compile(r"^([A-Za-z0-9-]{1,40}?)(?:_[1-5])?\.(?:jpe?g|png|webp)$", re.IGNORECASE)
MAX_BULK_FILES = 500
RATES_DAYS = 7  # the rates page without a period shows the last week


def _rules() -> AttendanceRules:
    return attendance_rules(db.runtime().rules, db.session(), school_id())


def _month() -> date:
    try:
        return datetime.strptime(request.args.get("month", ""), "%Y-%m").date()
    except ValueError:
        return now().astimezone(school_tz()).date().replace(day=1)


ENROLMENT_WORDS = {EnrolmentStatus.waiting: N_("Being enrolled"), EnrolmentStatus.ready: N_("Enrolled"),
                   EnrolmentStatus.failed: N_("No usable face"), EnrolmentStatus.withdrawn: N_("Face data deleted")}


@bp.get("/staff")
@roles_required(*MANAGERS)
def staff_list() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    staff = staff_in_service(session, school)
    statuses = {staff_id: ENROLMENT_WORDS[EnrolmentStatus(status)] for staff_id, status in session.execute(
        select(Enrolment.staff_id, Enrolment.status).where(Enrolment.school_id == school))}
    return render_template("attendance/staff.html", staff=staff, statuses=statuses, posts=post_names(session, school))


@bp.route("/staff/<int:staff_id>", methods=["GET"])
@roles_required(*MANAGERS)
def person(staff_id: int) -> ResponseReturnValue:
    staff = staff_of_school(staff_id)
    return _person_page(staff, EnrolForm(prefix="enrol"), ReasonForm(prefix="withdraw"), CorrectionForm(prefix="fix"))


def _person_page(staff: StaffMember, enrol_form: EnrolForm, withdraw_form: ReasonForm, fix_form: CorrectionForm,
                 status: int = 200) -> ResponseReturnValue:
    session, month = db.session(), _month()
    rows = shift_rows(session, staff.school_id, _rules().grace, first=month,
                      last=month.replace(day=calendar.monthrange(month.year, month.month)[1]), at=now(), staff_ids=[staff.id])
    zone = school_tz()
    start = datetime.combine(month, datetime.min.time(), zone).astimezone(UTC)
    end = datetime.combine(month.replace(day=calendar.monthrange(month.year, month.month)[1]) + timedelta(days=1),
                           datetime.min.time(), zone).astimezone(UTC)
    month_checkins = list(session.scalars(select(Checkin).where(Checkin.staff_id == staff.id, Checkin.at >= start,
                                                                Checkin.at < end).order_by(Checkin.at)))
    days: dict[int, list] = defaultdict(list)
    for row in rows:
        days[row.entry.day.day].append(row)
    weeks = calendar.Calendar().monthdayscalendar(month.year, month.month)
    record = enrolment.enrolment_of(session, staff.id)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return render_template("attendance/person.html", staff=staff, enrolment=record, held=enrolment.encodings_held(session, staff.id),
                           problems=PROBLEM_WORDS, enrol_form=enrol_form, withdraw_form=withdraw_form, fix_form=fix_form,
                           month=month, weeks=weeks, days=days, checkins=month_checkins, cell=cell, locale=locale_code(),
                           previous=previous, following=following, words=MARK_WORDS, Mark=Mark,
                           posts=post_names(session, staff.school_id), units=unit_names(session, school_id=staff.school_id),
                           reason_form=ReasonForm(prefix="strike"), left_reason=LEFT_REASON), status


@bp.post("/staff/<int:staff_id>/enrol")
@roles_required(*MANAGERS)
def enrol(staff_id: int) -> ResponseReturnValue:
    staff = staff_of_school(staff_id)
    form = EnrolForm(prefix="enrol")
    if form.validate_on_submit():
        try:
            enrolment.enrol(db.session(), staff=staff, photos=photos_of(form.photos), consent=bool(form.consent.data),
                            note=form.note.data or "", actor=current_actor().label, user_id=current_user.id)
        except FieldError as err:
            db.session().rollback()
            getattr(form, err.field).errors = [err.said(locale_code())]
        else:
            db.session().commit()
            _kick()
            flash(_("Photos received: the face is being enrolled, this page shows when it is ready."), "success")
            return redirect(url_for(".person", staff_id=staff.id))
    return _person_page(staff, form, ReasonForm(prefix="withdraw"), CorrectionForm(prefix="fix"), 422)


@bp.post("/staff/<int:staff_id>/withdraw")
@roles_required(*MANAGERS)
def withdraw(staff_id: int) -> ResponseReturnValue:
    staff = staff_of_school(staff_id)
    form = ReasonForm(prefix="withdraw")
    if not form.validate_on_submit():
        return _person_page(staff, EnrolForm(prefix="enrol"), form, CorrectionForm(prefix="fix"), 422)
    enrolment.withdraw(db.session(), staff=staff, reason=form.reason.data or "", actor=current_actor().label)
    db.session().commit()
    flash(_("The face data of %(name)s is deleted.", name=staff.name), "success")
    return redirect(url_for(".person", staff_id=staff.id))


@bp.post("/staff/<int:staff_id>/correct")
@roles_required(*MANAGERS)
def correct(staff_id: int) -> ResponseReturnValue:
    staff = staff_of_school(staff_id)
    form = CorrectionForm(prefix="fix")
    if form.validate_on_submit() and form.at.data is not None:
        try:
            checkins.correct(db.session(), db.runtime().rules, staff=staff, at=form.at.data.replace(tzinfo=school_tz()),
                             post_id=None, reason=form.reason.data or "", actor=current_actor().label, user_id=current_user.id)
        except FieldError as err:
            db.session().rollback()
            getattr(form, err.field).errors = [err.said(locale_code())]
        else:
            db.session().commit()
            flash(_("Attendance corrected."), "success")
            return redirect(url_for(".person", staff_id=staff.id, month=request.args.get("month", "")))
    return _person_page(staff, EnrolForm(prefix="enrol"), ReasonForm(prefix="withdraw"), form, 422)


@bp.post("/checkins/<int:checkin_id>/strike")
@roles_required(*MANAGERS)
def strike(checkin_id: int) -> ResponseReturnValue:
    checkin = db.session().get(Checkin, checkin_id)
    if checkin is None or checkin.school_id != school_id():
        abort(404)
    form = ReasonForm(prefix="strike")
    if not form.validate_on_submit():
        flash(_("Say why the attendance is corrected."), "error")
    else:
        checkins.strike(db.session(), checkin, reason=form.reason.data or "", actor=current_actor().label)
        db.session().commit()
        flash(_("Attendance corrected."), "success")
    return redirect(url_for(".person", staff_id=checkin.staff_id))


@bp.get("/now")
@roles_required(*READERS)
def now_on_post() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    buildings = building_names(session, school)
    sections = sorted(on_post_now(session, school, _rules().grace, now()).items(),  # by building, "no building" last
                      key=lambda section: (section[0] is None, buildings.get(section[0], "") if section[0] else ""))
    return render_template("attendance/now.html", sections=sections, buildings=buildings,
                           posts=post_names(session, school), at=now())


@bp.get("/rates")
@roles_required(*READERS)
def rates_page() -> ResponseReturnValue:
    """The on-post rate per unit, post and day of a period (the dashboard card's drill-down), and the shifts behind
    it narrowed by ``unit_id``, ``post_id``, ``day`` or ``mark``."""
    session, school = db.session(), school_id()
    start, end = query_recent_period(RATES_DAYS)
    rows = [r for r in period_rows(session, school_id=school, start=start, end=end, at=now(),
                                  grace=_rules().grace) if r.outcome.started]
    narrowed = rows
    for name, pick in (("unit_id", lambda r: r.staff.unit_id), ("post_id", lambda r: r.shift.post_id)):
        if request.args.get(name, "").isdigit():
            narrowed = [r for r in narrowed if pick(r) == int(request.args[name])]
    if request.args.get("day"):
        narrowed = [r for r in narrowed if r.entry.day.isoformat() == request.args["day"]]
    if request.args.get("mark") in set(Mark):
        narrowed = [r for r in narrowed if Mark(request.args["mark"]) in r.outcome.marks]
    return render_template("attendance/rates.html", start=start, end=end, per_unit=rates(rows, "unit"),
                           per_post=rates(rows, "post"), per_day=sorted(rates(rows, "day"), key=lambda r: str(r.key)),
                           rows=narrowed, units=unit_names(session, school_id=school), posts=post_names(session, school),
                           words=MARK_WORDS, cell=cell, locale=locale_code(), filtered=narrowed is not rows)


@bp.get("/sheet.xlsx")
@roles_required(*READERS)
def sheet() -> ResponseReturnValue:
    session, school, month = db.session(), school_id(), _month()
    unit = int(request.args["unit_id"]) if request.args.get("unit_id", "").isdigit() else None
    rows = month_rows(session, school, _rules().grace, month, now(), unit_id=unit)
    data = workbook(rows, month, locale_code(), post_names(session, school))
    return send_file(io.BytesIO(data), as_attachment=True, download_name=_("attendance-%(month)s.xlsx", month=f"{month:%Y-%m}"),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/unknown")
@roles_required(*MANAGERS)
def unknown() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    attempts = list(session.scalars(select(UnknownAttempt).where(UnknownAttempt.school_id == school)
                                    .order_by(UnknownAttempt.at.desc()).limit(200)))
    rows = session.execute(select(CheckinPoint.id, CheckinPoint.name).where(CheckinPoint.school_id == school))
    names = {point_id: name for point_id, name in rows}
    return render_template("attendance/unknown.html", attempts=attempts, points=names, kept_for=_rules().unknown_kept_for.days)


@bp.get("/unknown/<int:attempt_id>.jpg")
@roles_required(*MANAGERS)
def unknown_frame(attempt_id: int) -> ResponseReturnValue:
    attempt = db.session().get(UnknownAttempt, attempt_id)
    if attempt is None or attempt.school_id != school_id():
        abort(404)
    response = send_file(io.BytesIO(attempt.frame), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/enrol", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def bulk() -> ResponseReturnValue:
    """Many people at once: photos named by staff number, one consent statement for all; encoded in the background."""
    session, school = db.session(), school_id()
    form = BulkEnrolForm()
    if form.validate_on_submit():
        problems, batch = _bulk_enrol(session, school, form)
        if problems:
            session.rollback()
            form.photos.errors = problems
        else:
            session.commit()
            _kick()
            return redirect(url_for(".bulk", batch=batch))
    batch = request.args.get("batch", "")
    progress = enrolment.batch_progress(session, school_id=school, batch=batch) if batch else None
    return render_template("attendance/bulk.html", form=form, batch=batch, progress=progress,
                           summary=progress_summary(progress) if progress else "")


def _bulk_enrol(session: Session, school: int, form: BulkEnrolForm) -> tuple[list[str], str]:
    files = [f for f in (form.photos.data or []) if getattr(f, "filename", "")]
    if not form.consent.data:
        return [_("Record the people's consent before enrolling their faces.")], ""
    if not files or len(files) > MAX_BULK_FILES:
        return [_("Choose between 1 and %(n)d photos.", n=MAX_BULK_FILES)], ""
    by_number: dict[str, list[bytes]] = defaultdict(list)
    problems: list[str] = []
    for upload in files:
        match = _BULK_NAME.match(upload.filename.rsplit("/", 1)[-1])
        if match is None:
            problems.append(_("%(file)s: name the photo by the staff number (D001.jpg, D001_2.jpg).", file=upload.filename))
            continue
        by_number[match.group(1)].append(file_bytes(upload))
    staff = {s.number: s for s in session.scalars(select(StaffMember).where(StaffMember.school_id == school,
                                                                           StaffMember.number.in_(list(by_number))))}
    batch = secrets.token_hex(8)
    for number, photos in sorted(by_number.items()):
        person = staff.get(number)
        if person is None:
            problems.append(_("%(number)s: no such staff number in this school.", number=number))
            continue
        try:
            enrolment.enrol(session, staff=person, photos=photos, consent=True, note=form.note.data or "",
                            actor=current_actor().label, user_id=current_user.id, batch=batch)
        except FieldError as err:
            problems.append(f"{number}: {err.said(locale_code())}")
    return problems, batch


@bp.get("/enrol/<batch>.json")
@roles_required(*MANAGERS)
def bulk_progress(batch: str) -> ResponseReturnValue:
    """The batch's progress, read by the bulk enrolment page every few seconds, with its sentence in the reader's
    language."""
    progress = enrolment.batch_progress(db.session(), school_id=school_id(), batch=batch)
    return jsonify(total=progress.total, done=progress.done, ready=progress.ready, failed=progress.failed,
                   finished=progress.finished, summary=progress_summary(progress))


def progress_summary(progress: enrolment.Progress) -> str:
    return _("%(done)d of %(total)d people done: %(ready)d enrolled, %(failed)d without a usable face.",
             done=progress.done, total=progress.total, ready=progress.ready, failed=progress.failed)


def _kick() -> None:
    """Start the encoding job now under Celery (the embedded scheduler takes it within seconds anyway)."""
    try:
        db.runtime().host.dispatcher.kick_job(enrolment.JOB_NAME)
    except Exception:  # the broker is down: the enrolment is saved, the next scheduler pass takes it
        flash(_("The enrolment is saved; it is encoded on the next scheduler pass."), "info")
