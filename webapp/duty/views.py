"""The duty office's pages: who is on duty now per building, the roster calendar and its changes, patrol records,
the anomaly list (also each dashboard card's drill-down) with PDCA stage and colour, an anomaly's page, a person's
and a post's duty history, readings, and the QR codes of a post and its patrol points as a PDF. Every query is
confined to the reader's school; only staff read them, only managers decide roster changes."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.clock import now
from engine.models import HumanTask
from engine.paging import paged
from webapp import db
from webapp.auth import roles_required
from webapp.duty.forms import DecideForm
from webapp.i18n import locale_code, school_tz
from webapp.shared import figure_scope, query_recent_period
from workflows.catalogue.models import Building
from workflows.catalogue.room_codes import Label, room_codes_pdf
from workflows.dashboard import local_day_bounds
from workflows.duty import roster
from workflows.duty.access import STAFF_ROLES, may_manage, may_view
from workflows.duty.anomalies import by_number
from workflows.duty.enums import ChangeStatus, ScanKind
from workflows.duty.figures import CONDITIONS, READINGS_OUT, readings_in, readings_where, where
from workflows.duty.labels import CHANGE_STATUS_WORDS, CHANGE_WORDS, KIND_WORDS, METRIC_WORDS, STAGE_WORDS
from workflows.duty.models import Anomaly, Equipment, Point, Post, Reading, RosterChange, Route, Scan, Shift
from workflows.duty.module import facts
from workflows.duty.readmodel import listing, what_found
from workflows.i18n import N_, translate
from workflows.people.models import User

bp = Blueprint("duty", __name__)
SCAN_POINT = N_("Scan on patrol")


def _words() -> dict[str, dict[str, str]]:
    locale = locale_code()
    return {name: {k: translate(v, locale) for k, v in words.items()} for name, words in (
        ("kind", KIND_WORDS), ("stage", STAGE_WORDS), ("metric", METRIC_WORDS), ("change", CHANGE_WORDS),
        ("change_status", CHANGE_STATUS_WORDS))}


def _people(ids: set[int | None]) -> dict[int, str]:
    found = {i for i in ids if i}
    return {u.id: u.display_name for u in db.session().scalars(select(User).where(User.id.in_(found)))} if found else {}


def _posts() -> dict[int, Post]:
    return {p.id: p for p in roster.posts(db.session(), current_user.school_id)}


@bp.get("/duty")
@roles_required(*STAFF_ROLES)
def board() -> ResponseReturnValue:
    """On duty now, per building, with each person's last proof of presence."""
    session, at = db.session(), now()
    shifts = session.scalars(select(Shift).where(Shift.school_id == current_user.school_id, Shift.starts_at <= at,
                                                 Shift.ends_at > at).order_by(Shift.post_id))
    posts = _posts()
    buildings = {b.id: b.name for b in session.scalars(select(Building).where(Building.school_id == current_user.school_id))}
    rows: dict[str, list] = {}
    listed = list(shifts)
    for shift in listed:
        post = posts.get(shift.post_id)
        if post is not None:
            rows.setdefault(buildings.get(post.building_id or 0, _("Other places")), []).append((post, shift))
    return render_template("duty/board.html", rows=rows, people=_people({s.user_id for s in listed}), at=at)


@bp.get("/duty/roster")
@roles_required(*STAFF_ROLES)
def calendar() -> ResponseReturnValue:
    """A week of the roster, post by post (``?week=YYYY-MM-DD`` its Monday)."""
    today = now().astimezone(school_tz()).date()
    try:
        monday = date.fromisoformat(request.args.get("week", ""))
    except ValueError:
        monday = today
    monday -= timedelta(days=monday.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    start, end = local_day_bounds(days[0], days[-1], school_tz())
    session = db.session()
    shifts = list(session.scalars(select(Shift).where(Shift.school_id == current_user.school_id, Shift.starts_at >= start,
                                                      Shift.starts_at < end).order_by(Shift.starts_at)))
    grid: dict[int, dict[date, list[Shift]]] = {}
    for shift in shifts:
        grid.setdefault(shift.post_id, {}).setdefault(shift.starts_at.astimezone(school_tz()).date(), []).append(shift)
    changes = list(session.scalars(select(RosterChange).where(RosterChange.school_id == current_user.school_id,
                                                              RosterChange.status == ChangeStatus.pending)))
    return render_template("duty/roster.html", days=days, grid=grid, posts=_posts(), changes=changes,
                           people=_people({s.user_id for s in shifts} | {c.requested_by_id for c in changes}
                                          | {c.substitute_id for c in changes}),
                           prev=days[0] - timedelta(days=7), next=days[0] + timedelta(days=7), words=_words(),
                           form=DecideForm(), manager=may_manage(db.runtime().rules.book(session, current_user.school_id),
                                                                 current_user))


@bp.post("/duty/changes/<int:change_id>")
@roles_required(*STAFF_ROLES)
def decide(change_id: int) -> ResponseReturnValue:
    session, form = db.session(), DecideForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        roster.decide(session, db.runtime().rules.book(session, current_user.school_id), user=current_user,
                      change_id=change_id, approve=form.decision.data == "approve")
    except roster.RosterError as err:
        session.rollback()
        flash(err.said(locale_code()), "error")
    else:
        session.commit()
        flash(_("Decision recorded."), "success")
    return redirect(url_for(".calendar"))


@bp.get("/duty/anomalies")
@roles_required(*STAFF_ROLES)
def anomalies() -> ResponseReturnValue:
    """The anomaly list: filtered by kind, stage, post or person, or a dashboard card's condition and period (the
    last week by default)."""
    session, school = db.session(), current_user.school_id
    show = request.args.get("show")
    if show:
        scope = figure_scope(CONDITIONS, show, recent=7)
        stmt = select(Anomaly).where(*where(scope.show, school_id=school, start=scope.start, end=scope.end)).order_by(
            Anomaly.detected_at.desc())
    else:
        stmt = listing(school_id=school, kind=request.args.get("kind") or None, stage=request.args.get("stage") or None,
                       post_id=request.args.get("post", type=int), user_id=request.args.get("person", type=int))
    page = paged(session, stmt, page=request.args.get("page", 1, type=int))
    found = {a.id: what_found(a, locale_code()) for a in page.rows}
    return render_template("duty/anomalies.html", page=page, words=_words(), posts=_posts(), show=show, found=found,
                           people=_people({a.user_id for a in page.rows}), args=request.args)


@bp.get("/duty/anomalies/<number>")
@roles_required(*STAFF_ROLES)
def anomaly(number: str) -> ResponseReturnValue:
    session = db.session()
    found = by_number(session, school_id=current_user.school_id, number=number)
    if found is None:
        abort(404)
    if not may_view(current_user, found):
        abort(403)
    events = db.runtime().modules.timeline(session, module_name="duty", school_id=found.school_id, key=found.number,
                                           locale=locale_code())
    steps = list(session.scalars(select(HumanTask).where(HumanTask.school_id == found.school_id,
                                                         HumanTask.business_key == found.number)))
    return render_template("duty/anomaly.html", anomaly=found, facts=facts(session, found, locale_code()), events=events,
                           words=_words(), steps=steps)


@bp.get("/duty/patrols")
@roles_required(*STAFF_ROLES)
def patrols() -> ResponseReturnValue:
    """Patrol records per route and point (``?point=``), newest first."""
    session = db.session()
    routes = list(session.scalars(select(Route).where(Route.school_id == current_user.school_id).order_by(Route.id)))
    stmt = select(Scan).where(Scan.school_id == current_user.school_id, Scan.kind == ScanKind.patrol)
    if request.args.get("point", type=int):
        stmt = stmt.where(Scan.point_id == request.args.get("point", type=int))
    page = paged(session, stmt.order_by(Scan.at.desc()), page=request.args.get("page", 1, type=int))
    points = {p.id: p for r in routes for p in r.points}
    return render_template("duty/patrols.html", routes=routes, page=page, points=points, posts=_posts(),
                           people=_people({s.user_id for s in page.rows}))


@bp.get("/duty/history")
@roles_required(*STAFF_ROLES)
def history() -> ResponseReturnValue:
    """A person's (``?person=``) or a post's (``?post=``) shifts and anomalies."""
    session, school = db.session(), current_user.school_id
    person, post = request.args.get("person", type=int), request.args.get("post", type=int)
    shifts = select(Shift).where(Shift.school_id == school)
    if person:
        shifts = shifts.where(Shift.user_id == person)
    elif post:
        shifts = shifts.where(Shift.post_id == post)
    else:
        abort(404)
    rows = list(session.scalars(shifts.order_by(Shift.starts_at.desc()).limit(60)))
    found = list(session.scalars(listing(school_id=school, post_id=post, user_id=person).limit(60)))
    title = _people({person}).get(person or 0) if person else getattr(_posts().get(post or 0), "name", None)
    if title is None:
        abort(404)
    return render_template("duty/history.html", title=title, shifts=rows, anomalies=found, posts=_posts(),
                           people=_people({s.user_id for s in rows}), words=_words())


@bp.get("/duty/readings")
@roles_required(*STAFF_ROLES)
def readings() -> ResponseReturnValue:
    """Readings of a period (``start``/``end``, by default the last week, a year at most), newest first; ``?out=1``
    only those out of range (the dashboard card's drill-down). Devices send readings all day: a list of every
    reading ever taken would grow without end."""
    session, school = db.session(), current_user.school_id
    start, end = query_recent_period(7)
    out = bool(request.args.get("out"))
    taken = (readings_where if out else readings_in)(school_id=school, start=start, end=end)
    page = paged(session, select(Reading).where(*taken).order_by(Reading.taken_at.desc()),
                 page=request.args.get("page", 1, type=int))
    equipment = {e.id: e for e in session.scalars(select(Equipment).where(Equipment.school_id == school))}
    return render_template("duty/readings.html", page=page, equipment=equipment, words=_words(), key=READINGS_OUT,
                           start=start, end=end, out=out)


@bp.get("/duty/posts/<int:post_id>/codes.pdf")
@roles_required(*STAFF_ROLES)
def codes(post_id: int) -> ResponseReturnValue:
    """The post's own code and its patrol points' codes, to print and post on the walls."""
    session = db.session()
    post = session.get(Post, post_id)
    if post is None or post.school_id != current_user.school_id:
        abort(404)
    points = session.scalars(select(Point).join(Route).where(Route.post_id == post.id).order_by(Route.id, Point.position))
    labels = [Label(url_for("duty_phone.at_post", token=post.token, _external=True), f"{post.name} · {_('Sign in for duty')}"),
              *(Label(url_for("duty_phone.scan", token=p.token, _external=True), p.name) for p in points)]
    pdf = room_codes_pdf([(Building(name=post.name), labels)], locale=locale_code(), scan=SCAN_POINT,
                         title=N_("%(building)s · patrol codes"))
    return pdf, 200, {"Content-Type": "application/pdf",
                      "Content-Disposition": f"inline; filename=duty-codes-{post.code}.pdf"}
