"""Setting attendance up: check-in points (a kiosk's or terminal's token shown once, a post's QR code to print) and
shift templates with rosters. Admins and supervisors of the school only; every change is audited by the services."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from webapp import db
from webapp.attendance.forms import MANAGERS, POINT_WORDS, PointForm, RosterForm, ShiftForm
from webapp.attendance.support import building_names, post_names, staff_names, staff_of_school
from webapp.auth import current_actor, roles_required
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.attendance import points, rosters
from workflows.attendance.enums import PointKind
from workflows.attendance.models import CheckinPoint, Shift
from workflows.errors import FieldError
from workflows.qr import qr_svg

bp = Blueprint("attendance_admin", __name__, url_prefix="/attendance")


def _point_form(session: Session, school: int) -> PointForm:
    form = PointForm()
    form.post_id.choices = list(post_names(session, school).items())
    form.building_id.choices = [("", "—"), *building_names(session, school).items()]
    return form


def _qr_codes(items: list[CheckinPoint]) -> dict[int, Markup]:
    return {p.id: Markup(qr_svg(url_for("checkin.phone", code=p.code, _external=True)).decode("utf-8"))  # noqa: S704  # our own SVG
            for p in items if p.kind == PointKind.post_qr and p.code and p.active}


@bp.route("/points", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def points_page() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    form, token, added = _point_form(session, school), None, None
    if form.validate_on_submit():
        try:
            added, token = points.add_point(session, school_id=school, kind=PointKind(form.kind.data), name=form.name.data or "",
                                            post_id=form.post_id.data, building_id=form.building_id.data,
                                            actor=current_actor().label, user_id=current_actor().id)
        except FieldError as err:
            getattr(form, err.field).errors = [err.said(locale_code())]
        else:
            session.commit()
            if token is None:
                flash(_("Check-in point %(name)s added.", name=added.name), "success")
                return redirect(url_for(".points_page"))
            form = _point_form(session, school)
    items = points.points_of(session, school)
    return render_template("attendance/points.html", form=form, points=items, token=token, added=added, words=POINT_WORDS,
                           posts=post_names(session, school), buildings=building_names(session, school), qr=_qr_codes(items))


@bp.post("/points/<int:point_id>/revoke")
@roles_required(*MANAGERS)
def revoke(point_id: int) -> ResponseReturnValue:
    session = db.session()
    point = session.get(CheckinPoint, point_id)
    if point is None or point.school_id != school_id():
        abort(404)
    points.revoke_point(session, point, actor=current_actor().label)
    session.commit()
    flash(_("Check-in point %(name)s revoked: it can no longer check anyone in.", name=point.name), "success")
    return redirect(url_for(".points_page"))


def _shift_forms(session: Session, school: int) -> tuple[ShiftForm, RosterForm]:
    shift_form, roster_form = ShiftForm(prefix="shift"), RosterForm(prefix="roster")
    posts = post_names(session, school)
    shift_form.post_id.choices = list(posts.items())
    roster_form.staff_id.choices = list(staff_names(session, school).items())
    roster_form.shift_id.choices = [(s.id, f"{posts.get(s.post_id, '')} · {s.name} {s.starts:%H:%M}–{s.ends:%H:%M}")
                                    for s in rosters.shifts_of(session, school)]
    return shift_form, roster_form


@bp.route("/shifts", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def shifts() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    shift_form, roster_form = _shift_forms(session, school)
    actor = current_actor().label
    try:
        if request.method == "POST" and "shift-name" in request.form and shift_form.validate_on_submit() \
                and shift_form.starts.data is not None and shift_form.ends.data is not None:
            saved = rosters.add_shift(session, school_id=school, post_id=shift_form.post_id.data, name=shift_form.name.data or "",
                                      starts=shift_form.starts.data, ends=shift_form.ends.data, actor=actor)
            session.commit()
            flash(_("Shift %(name)s saved.", name=saved.name), "success")
            return redirect(url_for(".shifts"))
        if request.method == "POST" and "roster-staff_id" in request.form and roster_form.validate_on_submit() \
                and roster_form.first.data is not None and roster_form.last.data is not None:
            staff = staff_of_school(roster_form.staff_id.data)
            shift = session.get(Shift, roster_form.shift_id.data)
            if shift is None or shift.school_id != school:
                abort(404)
            entries = rosters.roster(session, staff=staff, shift=shift, first=roster_form.first.data,
                                     last=roster_form.last.data, actor=actor)
            session.commit()
            flash(_("%(n)d days put on the roster for %(name)s.", n=len(entries), name=staff.name), "success")
            return redirect(url_for(".shifts"))
    except FieldError as err:
        session.rollback()
        form = shift_form if hasattr(shift_form, err.field) and "shift-name" in request.form else roster_form
        getattr(form, err.field).errors = [err.said(locale_code())]
    return render_template("attendance/shifts.html", shift_form=shift_form, roster_form=roster_form,
                           shifts=rosters.shifts_of(session, school), posts=post_names(session, school))
