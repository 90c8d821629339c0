"""Setting up duty (managers only; everyone of the school's staff reads): the equipment register with its
maintenance dates and own limits, posts with their patrol points and shift templates, making the roster of the
coming weeks, and importing a patrol device's export."""
from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.duty.forms import ActForm, EquipmentForm, PatrolImportForm, PointForm, PostForm, TemplateForm
from webapp.i18n import locale_code, school_tz
from workflows.catalogue.models import Building
from workflows.duty import presence, roster, setup
from workflows.duty.access import STAFF_ROLES, may_manage
from workflows.duty.enums import Metric
from workflows.duty.labels import EQUIPMENT_WORDS, METRIC_WORDS, POST_WORDS
from workflows.duty.models import Equipment, Route, ShiftTemplate
from workflows.i18n import translate
from workflows.people.models import OrgUnit, User
from workflows.sheets import SheetError, read_rows

bp = Blueprint("duty_setup", __name__)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
IMPORT_COLUMNS = {"point": "point", "巡查点": "point", "person": "person", "工号": "person", "time": "time", "时间": "time"}


def _reader() -> bool:
    """Whether the reader (staff: the route's roles) may also change."""
    return may_manage(db.runtime().rules.book(db.session(), current_user.school_id), current_user)


def _manager() -> None:
    if not _reader():
        abort(403)


def _choices(words: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, translate(word, locale_code())) for key, word in words.items()]


def _places() -> dict[str, list[tuple[Any, str]]]:
    session, school = db.session(), current_user.school_id
    none: list[tuple[Any, str]] = [("", "—")]
    return {
        "building": none + [(b.id, b.name) for b in session.scalars(select(Building).where(Building.school_id == school)
                                                                     .order_by(Building.id))],
        "unit": none + [(u.id, u.name) for u in session.scalars(select(OrgUnit).where(OrgUnit.school_id == school)
                                                                 .order_by(OrgUnit.id))],
        "post": none + [(p.id, p.name) for p in roster.posts(session, school)],
    }


@bp.route("/duty/equipment", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def equipment() -> ResponseReturnValue:
    """The register; ``?edit=<id>`` fills the form with one device to change it."""
    manager, session = _reader(), db.session()
    school = current_user.school_id
    editing = session.get(Equipment, request.args.get("edit", type=int)) if request.args.get("edit") else None
    if editing is not None and editing.school_id != school:
        abort(404)
    form = EquipmentForm(obj=editing)
    places = _places()
    form.kind.choices = _choices(EQUIPMENT_WORDS)
    form.building_id.choices, form.unit_id.choices, form.post_id.choices = places["building"], places["unit"], places["post"]
    form.metric.choices = [("", "—"), *_choices({m: METRIC_WORDS[m] for m in Metric})]
    if request.method == "POST":
        _manager()
        if form.validate_on_submit():
            limits = dict(editing.limits) if editing else {}
            if form.metric.data and (form.low.data is not None or form.high.data is not None):
                limits[form.metric.data] = {k: v for k, v in (("min", form.low.data), ("max", form.high.data))
                                            if v is not None}
            try:
                setup.save_equipment(session, school_id=school, actor=current_user.username,
                                     equipment_id=editing.id if editing else None, entry=setup.EquipmentEntry(
                                         code=form.code.data or "", name=form.name.data or "", kind=form.kind.data or "",
                                         place=form.place.data or "", building_id=form.building_id.data,
                                         unit_id=form.unit_id.data, post_id=form.post_id.data,
                                         maintenance_due=form.maintenance_due.data, limits=limits))
            except setup.SetupError as err:
                session.rollback()
                getattr(form, err.field, form.code).errors = [err.said(locale_code())]
            else:
                session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for(".equipment"))
    rows = list(session.scalars(select(Equipment).where(Equipment.school_id == school).order_by(Equipment.code)))
    return render_template("duty/equipment.html", form=form, rows=rows, manager=manager, editing=editing,
                           kinds=dict(_choices(EQUIPMENT_WORDS)), metrics=dict(_choices(METRIC_WORDS)),
                           today=now().astimezone(school_tz()).date(), soon=timedelta(days=30))


@bp.route("/duty/posts", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def posts() -> ResponseReturnValue:
    """Posts, their patrol points and shift templates; making the roster of the coming two weeks."""
    manager, session = _reader(), db.session()
    school = current_user.school_id
    places = _places()
    post_form, point_form, template_form = PostForm(prefix="post"), PointForm(prefix="point"), TemplateForm(prefix="tpl")
    post_form.kind.choices = _choices(POST_WORDS)
    post_form.building_id.choices, post_form.unit_id.choices = places["building"], places["unit"]
    point_form.post_id.choices = template_form.post_id.choices = places["post"][1:]
    template_form.weekdays.choices = [(n, _(day)) for n, day in enumerate(WEEKDAYS)]
    template_form.rotation.choices = [(u.id, u.display_name) for u in session.scalars(
        select(User).where(User.school_id == school, User.active.is_(True)).order_by(User.display_name))]
    if request.method == "POST":
        _manager()
        try:
            if request.form.get("what") == "post" and post_form.validate_on_submit():
                setup.add_post(session, school_id=school, code=post_form.code.data or "", name=post_form.name.data or "",
                               kind=post_form.kind.data or "", place=post_form.place.data or "",
                               building_id=post_form.building_id.data, unit_id=post_form.unit_id.data,
                               night=bool(post_form.night.data), actor=current_user.username)
            elif request.form.get("what") == "point" and point_form.validate_on_submit():
                setup.add_point(session, school_id=school, post_id=point_form.post_id.data, name=point_form.name.data or "",
                                actor=current_user.username)
            elif request.form.get("what") == "template" and template_form.validate_on_submit():
                setup.add_template(session, school_id=school, post_id=template_form.post_id.data,
                                   name=template_form.name.data or "", starts=template_form.starts.data or time(0),
                                   ends=template_form.ends.data or time(0), weekdays=template_form.weekdays.data or [],
                                   rotation=template_form.rotation.data or [],
                                   valid_from=template_form.valid_from.data or now().date(),
                                   actor=current_user.username)
            elif request.form.get("what") == "roster" and ActForm(prefix="roster").validate_on_submit():
                made = roster.generate(session, school_id=school, start=now().astimezone(school_tz()).date(),
                                       days=roster.AHEAD_DAYS, actor=current_user.username)
                flash(_("%(n)d shifts made.", n=made), "success")
            else:
                raise setup.SetupError("form", "")
        except setup.SetupError as err:
            session.rollback()
            if err.message:
                flash(err.said(locale_code()), "error")
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".posts"))
    routes = {r.post_id: r for r in session.scalars(select(Route).where(Route.school_id == school))}
    templates = list(session.scalars(select(ShiftTemplate).where(ShiftTemplate.school_id == school)))
    people = {value: label for value, label, *_rest in template_form.rotation.choices}
    return render_template("duty/posts.html", rows=roster.posts(session, school), routes=routes, templates=templates,
                           people=people, kinds=dict(_choices(POST_WORDS)), manager=manager, post_form=post_form,
                           point_form=point_form, template_form=template_form, weekdays=WEEKDAYS)


@bp.route("/duty/patrols/import", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def patrol_import() -> ResponseReturnValue:
    """A patrol device's export: every problem named by row and nothing stored, or the scans stored once."""
    _manager()
    form, problems = PatrolImportForm(), []
    if form.validate_on_submit():
        upload = form.sheet.data
        try:
            rows = read_rows(upload.filename or "", upload.read(), aliases=IMPORT_COLUMNS, required={"point", "person", "time"})
        except SheetError as err:
            problems = [(1, _("The file could not be read (%(code)s %(detail)s).", code=err.code, detail=err.detail))]
        else:
            session = db.session()
            result = presence.import_patrols(session, school_id=current_user.school_id, actor=current_user.username,
                                             rows=[(r.number, r.values) for r in rows])
            if result.problems:
                session.rollback()
                problems = [(n, f"{_(what)} {detail}".strip()) for n, what, detail in result.problems]
            else:
                session.commit()
                flash(_("%(stored)d patrols imported, %(dup)d already there.", stored=result.stored, dup=result.duplicates),
                      "success")
                return redirect(url_for("duty.patrols"))
    return render_template("duty/patrol_import.html", form=form, problems=problems)

