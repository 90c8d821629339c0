"""Admin pages for the org chart: the school's name, the unit tree, creating, renaming, moving and (de)activating
units, and who is in charge of each unit — leader, deputies and acting leaders with their dates — appointed
through the same role assignments the people pages edit, so escalations reach whoever is in charge that day."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import db
from webapp.admin.forms import ADMIN, PROBLEMS, UNIT_KIND_LABELS, ActionForm, AppointForm, SchoolForm, UnitForm, choices
from webapp.admin.people import unit_choices
from webapp.auth import roles_required
from webapp.shared import ROLE_LABELS, school_id
from workflows.people import accounts, orgchart
from workflows.people.models import OrgUnit, School, User
from workflows.people.sso import UnknownPeople, set_unknown_people
from workflows.people.timezone import local_today

bp = Blueprint("admin_org", __name__, url_prefix="/admin/org")


def _unit_or_404(unit_id: int) -> OrgUnit:
    unit = orgchart.unit_of(db.session(), school_id=school_id(), unit_id=unit_id)
    if unit is None:
        abort(404)
    return unit


def _form(unit: OrgUnit | None = None) -> UnitForm:
    form = UnitForm(obj=unit if unit is not None and request.method == "GET" else None)
    if unit is not None and request.method == "GET":
        form.parent_id.data = str(unit.parent_id or "")
    form.parent_id.choices = choices(c for c in unit_choices(_("None (top level)")) if unit is None or c[0] != str(unit.id))
    return form


@bp.get("/")
@roles_required(ADMIN)
def index() -> str:
    session = db.session()
    rows = orgchart.tree(session, school_id=school_id())
    leaders = {r.unit.id: orgchart.in_charge(session, r.unit) for r in rows}
    school_form = SchoolForm(obj=session.get(School, school_id()))
    return render_template("admin/org.html", rows=rows, leaders=leaders, today=local_today(session, school_id()),
                           action=ActionForm(), school_form=school_form,
                           UNIT_KIND_LABELS=UNIT_KIND_LABELS, ROLE_LABELS=ROLE_LABELS)


@bp.post("/school")
@roles_required(ADMIN)
def rename_school() -> ResponseReturnValue:
    form = SchoolForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    school = session.get(School, school_id())
    assert school is not None  # the signed-in admin's own school
    orgchart.rename_school(session, actor=current_user.username, school=school, name=form.name.data or "")
    if form.timezone.data:
        try:
            orgchart.set_timezone(session, actor=current_user.username, school=school, timezone=form.timezone.data)
        except orgchart.OrgError:
            abort(400)
    if form.sso_unknown.data:
        if form.sso_unknown.data not in set(UnknownPeople):
            abort(400)
        set_unknown_people(session, actor=current_user.username, school=school, policy=UnknownPeople(form.sso_unknown.data))
    session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin_org.index"))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new() -> ResponseReturnValue:
    form = _form()
    if request.method == "GET" and request.args.get("parent"):
        form.parent_id.data = request.args["parent"]
    if form.validate_on_submit():
        session = db.session()
        try:
            unit = orgchart.create_unit(session, actor=current_user.username, school_id=school_id(),
                                        name=form.name.data or "", kind=form.kind.data, parent_id=_parent(form))
        except orgchart.OrgError as err:
            form.name.errors = [*form.name.errors, str(PROBLEMS[err.code])]
        else:
            session.commit()
            flash(_("%(name)s was added.", name=unit.name), "success")
            return redirect(url_for("admin_org.index"))
    return render_template("admin/unit.html", form=form, unit=None)


@bp.route("/<int:unit_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(unit_id: int) -> ResponseReturnValue:
    unit = _unit_or_404(unit_id)
    form = _form(unit)
    if form.validate_on_submit():
        session = db.session()
        try:
            orgchart.update_unit(session, actor=current_user.username, unit=unit, name=form.name.data or "",
                                 kind=form.kind.data, parent_id=_parent(form))
        except orgchart.OrgError as err:
            field = form.parent_id if err.code in ("cycle", "bad_parent") else form.name
            field.errors = [*field.errors, str(PROBLEMS[err.code])]
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin_org.index"))
    return _unit_page(unit, form=form)


def _unit_page(unit: OrgUnit, *, form: UnitForm | None = None, appoint: AppointForm | None = None) -> str:
    leaders = orgchart.in_charge(db.session(), unit)
    return render_template("admin/unit.html", form=form or _form(unit), unit=unit, leaders=leaders,
                           appoint=appoint or _appoint_form(leaders), action=ActionForm(),
                           today=local_today(db.session(), school_id()), ROLE_LABELS=ROLE_LABELS)


def _appoint_form(leaders: list[orgchart.InCharge]) -> AppointForm:
    form = AppointForm()
    form.role.choices = choices((role, ROLE_LABELS[role]) for role in orgchart.LEADER_ROLES)
    regular = {ic.user.id: ic.user.display_name for ic in leaders if ic.assignment.covers_user_id is None}
    form.covers_user_id.choices = choices([("", _("Nobody (a regular appointment)"))] + list(regular.items()))
    return form


@bp.post("/<int:unit_id>/appoint")
@roles_required(ADMIN)
def appoint(unit_id: int) -> ResponseReturnValue:
    """Appoint a leader or deputy of the unit (an acting one with dates and the holder they cover for)."""
    unit = _unit_or_404(unit_id)
    session = db.session()
    form = _appoint_form(orgchart.in_charge(session, unit))
    if form.validate_on_submit():
        user = session.scalar(select(User).where(User.username == (form.username.data or "").strip(),
                                                 User.school_id == school_id(), User.active.is_(True)))
        if user is None:
            form.username.errors = [*form.username.errors, str(PROBLEMS["no_such_person"])]
        else:
            try:
                accounts.grant_role(session, actor=current_user.username, user=user, role=form.role.data,
                                    org_unit_id=unit.id, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                    covers_user_id=int(form.covers_user_id.data) if form.covers_user_id.data else None)
            except accounts.AccountError as err:
                form.username.errors = [*form.username.errors, str(PROBLEMS[err.code])]
            else:
                session.commit()
                flash(_("%(name)s was appointed.", name=user.display_name), "success")
                return redirect(url_for("admin_org.edit", unit_id=unit.id))
    return _unit_page(unit, appoint=form), 400


@bp.post("/<int:unit_id>/active")
@roles_required(ADMIN)
def set_active(unit_id: int) -> ResponseReturnValue:
    unit = _unit_or_404(unit_id)
    if ActionForm().validate_on_submit():
        session = db.session()
        orgchart.set_active(session, actor=current_user.username, unit=unit, active=request.form.get("active") == "1")
        session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("admin_org.index"))


def _parent(form: UnitForm) -> int | None:
    return int(form.parent_id.data) if form.parent_id.data else None
