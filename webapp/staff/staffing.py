"""Staffing (编制) pages: the staffing rate per unit and post, rolled up per unit, post and campus, on any day
(``?on=2026-10-01`` reads the past), the plans behind it with adding and ending one, and the list behind each staff
figure on the dashboard (满编率, 持证率, certificates expiring within 30 days)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db import get_locked
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, refusal_text
from webapp.shared import school_id
from webapp.staff import support
from webapp.staff.forms import ERRORS, EndPlanForm, PlanForm
from workflows.people.models import Campus
from workflows.staff import access, figures, setup, staffing
from workflows.staff.certificates import EXPIRING_WITHIN
from workflows.staff.models import StaffingPlan
from workflows.staff.readmodel import names

bp = Blueprint("staffing", __name__)


def _day() -> date:
    try:
        return date.fromisoformat(request.args.get("on", ""))
    except ValueError:
        return support.today()


def _readable(unit_id: int, readable: set[int] | None) -> bool:
    return readable is None or unit_id in readable


@bp.route("/staff/staffing", methods=["GET", "POST"])
@roles_required(*access.STAFF_ROLES)
def index() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    on = _day()
    form = PlanForm()
    form.unit_id.choices, form.post_id.choices = support.unit_choices(managed=True), support.post_choices()
    if request.method == "POST":
        if form.validate_on_submit():
            if not support.reach().may_manage(school_id=school, unit_id=form.unit_id.data):
                abort(403)
            assert form.effective_from.data is not None
            try:
                setup.add_plan(session, actor=current_user.username, school_id=school, data=setup.PlanInput(
                    unit_id=form.unit_id.data, post_id=form.post_id.data, shift=form.shift.data or "",
                    headcount=form.headcount.data or 0, effective_from=form.effective_from.data,
                    effective_until=form.effective_until.data))
                session.commit()
            except setup.SetupError as err:
                session.rollback()
                form[err.field].errors = [refusal_text(ERRORS, err.field, err)]
            else:
                flash(_("The staffing plan was saved."), "success")
                return redirect(url_for("staffing.index"))
    elif not form.effective_from.data:
        form.effective_from.data = on
    readable = support.reach().readable
    rows = {key: value for key, value in staffing.by_unit_and_post(session, school_id=school, on=on).items()
            if _readable(key[0], readable)}
    plans = [p for p in session.scalars(select(StaffingPlan).where(StaffingPlan.school_id == school)
                                        .order_by(StaffingPlan.unit_id, StaffingPlan.post_id, StaffingPlan.id))
             if _readable(p.unit_id, readable)]
    campuses = {campus_id: name for campus_id, name in session.execute(select(Campus.id, Campus.name)
                                                                         .where(Campus.school_id == school))}
    threshold = int(db.runtime().rules.book(session, school).value("staff.staffing.min_percent"))
    return render_template("staff/staffing.html", on=on, rows=sorted(rows.items()), per_unit=staffing.by_unit(rows),
                           per_post=staffing.by_post(rows), per_campus=staffing.by_campus(session, rows),
                           total=staffing.total(rows), named=names(session, school_id=school, locale=locale_code()),
                           campuses=campuses, plans=plans, form=form, threshold=threshold,
                           end_form=EndPlanForm(formdata=None, last_day=on),
                           may_plan=support.reach().managed != set())


@bp.post("/staff/staffing/plans/<int:plan_id>/end")
@roles_required(*access.STAFF_ROLES)
def end(plan_id: int) -> ResponseReturnValue:
    session = db.session()
    plan = get_locked(session, StaffingPlan, plan_id)
    if plan is None or plan.school_id != school_id():
        abort(404)
    if not support.reach().may_manage(school_id=plan.school_id, unit_id=plan.unit_id):
        abort(403)
    form = EndPlanForm()
    if form.validate_on_submit() and form.last_day.data is not None:
        try:
            setup.end_plan(session, actor=current_user.username, plan=plan, last_day=form.last_day.data)
            session.commit()
            flash(_("The staffing plan ends on %(day)s.", day=form.last_day.data.isoformat()), "success")
        except setup.SetupError:
            session.rollback()
            flash(str(ERRORS["effective_until"]), "error")
    return redirect(url_for("staffing.index"))


def _staffing_rows(session: Session, school: int, on: date, readable: set[int] | None) -> tuple[int, list]:
    """The school's staffing rate and the reader's units' posts behind it."""
    found = staffing.by_unit_and_post(session, school_id=school, on=on)
    return figures.staffing_rate(found), [(k, v) for k, v in sorted(found.items()) if _readable(k[0], readable)]


def _uncertified_rows(session: Session, school: int, on: date, readable: set[int] | None) -> tuple[int, list]:
    """The school's certified rate and the reader's units' people missing a certificate."""
    concerned, missing = figures.certification(session, school_id=school, on=on)
    return figures.certified_rate(concerned, missing), [u for u in missing if _readable(u.person.unit_id, readable)]


def _expiring_rows(session: Session, school: int, on: date, readable: set[int] | None) -> tuple[int, list]:
    """The school's certificates expiring soon, and those of the reader's units' people with the person."""
    found = figures.expiring(session, school_id=school, on=on, within=EXPIRING_WITHIN)
    return len(found), [(c, p) for c, p in found if _readable(p.unit_id, readable)]


BEHIND = {figures.STAFFING_RATE: _staffing_rows, figures.CERTIFIED_RATE: _uncertified_rows,
          figures.EXPIRING: _expiring_rows}  # each figure's value and the rows behind it, worked out once


@bp.get("/staff/figures/<key>")
@roles_required(*access.STAFF_ROLES)
def figure(key: str) -> ResponseReturnValue:
    """What a dashboard figure counts, on the day it was read."""
    if key not in BEHIND:
        abort(404)
    session, school, on = db.session(), school_id(), _day()
    value, rows = BEHIND[key](session, school, on, support.reach().readable)
    return render_template("staff/figure.html", key=key, label=_(figures.LABELS[key]), value=value, rows=rows, on=on,
                           named=names(session, school_id=school, locale=locale_code()), figures=figures)
