"""The two check-in pages. ``/kiosk``: a tablet at a post shows the camera (getUserMedia) and posts a frame when the
person taps "Check in", authenticated by the kiosk's own token (kept in the tablet's storage, never a person's
login). ``/m/checkin/<code>``: the page a post's QR code opens on the person's own phone; they are logged in, take a
photo of their face, and the match must be their own enrolment."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp import db
from webapp.attendance.forms import PhoneCheckinForm, photos_of
from webapp.attendance.support import post_names
from webapp.i18n import locale_code
from workflows.attendance import checkins
from workflows.attendance.points import point_by_code
from workflows.faces.refusals import PROBLEM_WORDS, FaceProblem, FaceRefused
from workflows.people.timezone import local_today
from workflows.staff.models import StaffMember

bp = Blueprint("checkin", __name__)


@bp.get("/kiosk")
def kiosk() -> ResponseReturnValue:
    return render_template("attendance/kiosk.html", endpoint=url_for("api_attendance.check_in"), lang=locale_code())


@bp.route("/m/checkin/<code>", methods=["GET", "POST"])
@login_required
def phone(code: str) -> ResponseReturnValue:
    session = db.session()
    point = point_by_code(session, code)
    if point is None or point.school_id != current_user.school_id:
        abort(404)
    own = session.scalar(select(StaffMember).where(StaffMember.school_id == point.school_id,
                                                   StaffMember.user_id == current_user.id)
                         .order_by(StaffMember.left_on.is_not(None), StaffMember.id.desc()).limit(1))  # in service first
    form, result, problem, status = PhoneCheckinForm(), None, None, 200
    if own is None:
        problem, status = FaceProblem.not_staff, 403
    elif not own.is_active(local_today(session, own.school_id)):
        problem, status = FaceProblem.left, 403
    elif form.validate_on_submit():
        frames = photos_of(form.photo)
        try:
            result = checkins.by_face(session, db.runtime().rules, point=point, frame=frames[0] if frames else b"",
                                      user_id=current_user.id, own_staff=own)
        except FaceRefused as refused:
            session.rollback()
            problem, status = refused.problem, 422
        else:
            session.commit()
            problem, status = result.problem, 422 if result.problem else 200
    post = post_names(session, point.school_id).get(point.post_id, "")
    words = _(PROBLEM_WORDS[problem]) if problem else None
    return render_template("attendance/phone.html", form=form, point=point, post=post, result=result, problem=words,
                           own=own), status
