"""The phone pages of the person on duty (``/m/duty``): check in and answer a presence check by scanning the post's
code, patrol by scanning a point's code, report an issue with photos, and confirm the handover. A scanned code opens
its page with the code in the link; the button posts it (CSRF), so opening a link never records anything."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.duty.forms import ActForm, ChangeForm, HandoverForm, IssueForm, ScanForm
from webapp.i18n import locale_code
from webapp.kept_files import keep_uploads
from workflows.duty import presence, readings, roster
from workflows.duty.access import STAFF_ROLES
from workflows.duty.enums import METRICS_OF, ReadingSource
from workflows.duty.labels import CHANGE_WORDS, METRIC_WORDS
from workflows.duty.models import Equipment, Handover, Point, Post, Route, Shift
from workflows.i18n import translate
from workflows.people.models import User

bp = Blueprint("duty_phone", __name__)
MAX_PHOTOS, MAX_PHOTO_MB = 6, 8


def _refused(err: presence.PresenceError) -> None:
    flash(err.said(locale_code()), "error")


@bp.get("/m/duty")
@roles_required(*STAFF_ROLES)
def home() -> ResponseReturnValue:
    session, at = db.session(), now()
    shift = presence.current_shift(session, current_user, at)
    post = session.get(Post, shift.post_id) if shift else None
    points = list(session.scalars(select(Point).join(Route).where(Route.post_id == post.id).order_by(Point.position))) \
        if post else []
    waiting = presence.open_check(session, shift, at) if shift else None
    handover = session.scalar(select(Handover).where(Handover.to_shift_id == shift.id)) if shift else None
    return render_template("duty/phone_home.html", shift=shift, post=post, points=points, waiting=waiting,
                           handover=handover, form=ActForm())


@bp.route("/m/duty/post/<token>", methods=["GET", "POST"])
@login_required
def at_post(token: str) -> ResponseReturnValue:
    """The post's code: check in at the shift's start, or answer the presence check waiting."""
    session, form = db.session(), ActForm()
    post = session.scalar(select(Post).where(Post.token == token, Post.school_id == current_user.school_id))
    if post is None:
        abort(404)
    if form.validate_on_submit():
        try:
            if request.form.get("action") == "answer":
                presence.answer_presence(session, user=current_user, token=token)
                message = _("Presence confirmed.")
            else:
                presence.check_in(session, user=current_user, token=token)
                message = _("Checked in.")
        except presence.PresenceError as err:
            session.rollback()
            _refused(err)
            return redirect(url_for(".at_post", token=token))
        session.commit()
        flash(message, "success")
        return redirect(url_for(".home"))
    shift = presence.current_shift(session, current_user, now())
    waiting = presence.open_check(session, shift, now()) if shift else None
    return render_template("duty/phone_post.html", post=post, shift=shift, waiting=waiting, form=form)


@bp.route("/m/duty/scan/<token>", methods=["GET", "POST"])
@login_required
def scan(token: str) -> ResponseReturnValue:
    """A patrol point's code: record the patrol, with the readings of the post's equipment taken there if any."""
    session, form = db.session(), ScanForm()
    point = session.scalar(select(Point).where(Point.token == token, Point.school_id == current_user.school_id))
    if point is None:
        abort(404)
    devices = list(session.scalars(select(Equipment).where(Equipment.post_id == point.route.post_id,
                                                           Equipment.active.is_(True)).order_by(Equipment.code)))
    form.reading.choices = [("", "—"), *((f"{d.code}|{m}", f"{d.name} · {translate(METRIC_WORDS[m], locale_code())}")
                                         for d in devices for m in METRICS_OF.get(d.kind, ()))]
    if form.validate_on_submit():
        try:
            _point, new = presence.patrol_scan(session, user=current_user, token=token)
            if form.reading.data and form.value.data is not None:
                device, metric = form.reading.data.split("|", 1)
                readings.ingest(session, db.runtime().host, db.runtime().rules.book(session, current_user.school_id),
                                school_id=current_user.school_id, source=ReadingSource.patrol, actor=current_user.username,
                                batch=[{"device": device, "metric": metric, "value": form.value.data, "at": now()}])
        except presence.PresenceError as err:
            session.rollback()
            _refused(err)
            return redirect(url_for(".scan", token=token))
        except readings.ReadingsRefused:
            session.rollback()
            flash(_("The reading was refused."), "error")
            return redirect(url_for(".scan", token=token))
        session.commit()
        flash(_("Patrol recorded at %(point)s.", point=point.name) if new else _("Already recorded."), "success")
        return redirect(url_for(".home"))
    return render_template("duty/phone_scan.html", point=point, form=form)


@bp.route("/m/duty/issue", methods=["GET", "POST"])
@login_required
def issue() -> ResponseReturnValue:
    session, form = db.session(), IssueForm()
    if form.validate_on_submit():
        kept = keep_uploads(form.photos, db.runtime().uploads_dir / str(current_user.school_id), max_files=MAX_PHOTOS,
                            max_mb=MAX_PHOTO_MB, pictures_only=True)
        if kept is not None:
            try:
                anomaly = presence.report_issue(session, db.runtime().host,
                                                db.runtime().rules.book(session, current_user.school_id),
                                                user=current_user, description=form.description.data or "", photos=kept)
            except presence.PresenceError as err:
                session.rollback()
                form.description.errors = [err.said(locale_code())]
            else:
                session.commit()
                flash(_("Issue %(number)s reported.", number=anomaly.number), "success")
                return redirect(url_for(".home"))
    return render_template("duty/phone_issue.html", form=form, max_files=MAX_PHOTOS, max_mb=MAX_PHOTO_MB)


@bp.route("/m/duty/handover", methods=["GET", "POST"])
@login_required
def handover() -> ResponseReturnValue:
    session, form, at = db.session(), HandoverForm(), now()
    pair = presence.handover_between(session, current_user, at)
    if form.validate_on_submit():
        try:
            presence.confirm_handover(session, user=current_user, items=form.items.data or "",
                                      open_issues=form.open_issues.data or "")
        except presence.PresenceError as err:
            session.rollback()
            _refused(err)
            return redirect(url_for(".handover"))
        session.commit()
        flash(_("Handover confirmed."), "success")
        return redirect(url_for(".home"))
    record = session.scalar(select(Handover).where(Handover.to_shift_id == pair[1].id)) if pair else None
    outgoing = pair is not None and pair[0].user_id == current_user.id
    return render_template("duty/phone_handover.html", form=form, pair=pair, record=record, outgoing=outgoing)


@bp.route("/m/duty/change", methods=["GET", "POST"])
@login_required
def change() -> ResponseReturnValue:
    """Ask to swap a shift with someone's, to have a substitute take it, or for leave; a supervisor approves."""
    session, form = db.session(), ChangeForm()
    form.kind.choices = [(kind, translate(word, locale_code())) for kind, word in CHANGE_WORDS.items()]
    mine = list(session.scalars(select(Shift).where(Shift.user_id == current_user.id, Shift.starts_at > now())
                                .order_by(Shift.starts_at).limit(30)))
    others = list(session.scalars(select(Shift).where(Shift.school_id == current_user.school_id,
                                                      Shift.user_id.is_not(None), Shift.user_id != current_user.id,
                                                      Shift.starts_at > now()).order_by(Shift.starts_at).limit(60)))
    posts = {p.id: p.name for p in session.scalars(select(Post).where(Post.school_id == current_user.school_id))}
    people = {u.id: u.display_name for u in session.scalars(select(User).where(User.school_id == current_user.school_id,
                                                                               User.active.is_(True)))}
    if form.validate_on_submit():
        try:
            roster.request_change(session, user=current_user, kind=form.kind.data or "", shift_id=form.shift_id.data or 0,
                                  other_shift_id=form.other_shift_id.data, substitute_id=form.substitute_id.data,
                                  reason=form.reason.data or "")
        except roster.RosterError as err:
            session.rollback()
            getattr(form, err.field, form.kind).errors = [err.said(locale_code())]
        else:
            session.commit()
            flash(_("Sent for approval."), "success")
            return redirect(url_for(".home"))
    return render_template("duty/phone_change.html", form=form, mine=mine, others=others, posts=posts, people=people)
