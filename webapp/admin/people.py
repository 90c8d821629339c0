"""Admin pages for people: the searchable list, creating and editing a person, roles per unit (dated and
acting ones too), API tokens (shown once), password resets (shown once), and deactivation, which first asks
for a new holder of every open task the person still has. People are never deleted."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import Field

from webapp import db
from webapp.admin.forms import (
    ADMIN,
    CLASH_FIELDS,
    KIND_LABELS,
    PROBLEMS,
    SCOPE_LABELS,
    VALUE_FIELDS,
    ActionForm,
    NewPersonForm,
    PersonForm,
    RoleForm,
    TokenForm,
    choices,
    role_choices,
)
from webapp.auth import current_actor, roles_required
from webapp.shared import ROLE_LABELS, school_id
from workflows.catalogue.service import campuses
from workflows.people import accounts
from workflows.people.models import User
from workflows.people.orgchart import LEADER_ROLES, tree
from workflows.people.service import users_with_role
from workflows.people.timezone import school_zone

bp = Blueprint("admin_people", __name__, url_prefix="/admin/people")
STATUSES = ("active", "inactive", "all")
NO_CAMPUS = "none"  # the list filter's choice of the people without a campus


def person_or_404(user_id: int) -> User:
    user = accounts.person(db.session(), school_id=school_id(), user_id=user_id)
    if user is None:
        abort(404)
    return user


def unit_choices(blank: str) -> list[tuple[str, str]]:
    """The school's active units, indented by depth, for pickers."""
    rows = tree(db.session(), school_id=school_id(), include_inactive=False)
    return [("", blank)] + [(str(r.unit.id), "\u3000" * r.depth + r.unit.name) for r in rows]


def unit_names() -> dict[int, str]:
    """Every unit of the school by id, deactivated ones too (for showing existing assignments)."""
    return {r.unit.id: r.unit.name for r in tree(db.session(), school_id=school_id())}


def campus_names() -> dict[int, str]:
    """Every campus of the school by id, deactivated ones too (people may still belong to one)."""
    return {c.id: c.name for c in campuses(db.session(), school_id=school_id(), include_inactive=True)}


def _with_campuses(form: PersonForm, user: User | None = None) -> PersonForm:
    """The form offering the school's active campuses ("—": none), and the person's own one if it has been
    deactivated since, so saving the profile keeps it."""
    current = user.campus_id if user is not None else None
    offered = [c for c in campuses(db.session(), school_id=school_id(), include_inactive=True) if c.active or c.id == current]
    form.campus_id.choices = choices([("", "—"), *((c.id, c.name) for c in offered)])
    return form


def _role_form(user: User) -> RoleForm:
    form = RoleForm()
    form.role.choices = role_choices()
    form.org_unit_id.choices = choices(unit_choices(_("Whole school")))
    leaders = {u.id: u for role in LEADER_ROLES
               for u in users_with_role(db.session(), role=role, school_id=school_id())}
    form.covers_user_id.choices = choices([("", _("Nobody (a regular appointment)"))] + [
        (u.id, u.display_name) for u in sorted(leaders.values(), key=lambda u: u.display_name) if u.id != user.id])
    return form


def _problem(err: accounts.AccountError) -> str:
    return str(PROBLEMS.get(err.code, err.code))


def _field_of(form: PersonForm, err: accounts.AccountError) -> Field:
    """The field a refused profile change is shown beside."""
    return form._fields.get({**VALUE_FIELDS, **CLASH_FIELDS}.get(err.code, "number")) or form.number


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    status = request.args.get("status", "active") if request.args.get("status") in STATUSES else "active"
    role = request.args.get("role") if request.args.get("role") in ROLE_LABELS else None
    unit = request.args.get("unit", type=int)
    names = campus_names()
    campus = request.args.get("campus", type=int)
    campus = campus if campus in names else None
    without_campus = request.args.get("campus") == NO_CAMPUS
    words = (request.args.get("q") or "").strip()[:80]
    flt = accounts.PeopleFilter(words=words, role=role, unit_id=unit, active={"active": True, "inactive": False}.get(status),
                                campus_id=campus, without_campus=without_campus)
    result = accounts.people_page(db.session(), school_id=school_id(), flt=flt, page=request.args.get("page", 1, type=int))
    args = {"q": words or None, "role": role, "unit": unit, "campus": NO_CAMPUS if without_campus else campus,
            "status": status}
    return render_template("admin/people.html", result=result, args=args, units=unit_choices(_("All units")),
                           campus_names=names, NO_CAMPUS=NO_CAMPUS, ROLE_LABELS=ROLE_LABELS, KIND_LABELS=KIND_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new() -> ResponseReturnValue:
    form = _with_campuses(NewPersonForm())
    if form.validate_on_submit():
        session = db.session()
        try:
            user = accounts.create_person(session, actor=current_user.username, school_id=school_id(),
                                          username=(form.username.data or "").strip(), password=form.password.data or "",
                                          **_profile(form))
        except accounts.AccountError as err:
            field = _field_of(form, err)
            field.errors = [*field.errors, _problem(err)]
        else:
            session.commit()
            flash(_("%(name)s was added.", name=user.display_name), "success")
            return redirect(url_for("admin_people.edit", user_id=user.id))
    return render_template("admin/person_new.html", form=form)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    form = _with_campuses(PersonForm(obj=user if request.method == "GET" else None), user)
    if form.validate_on_submit():
        session = db.session()
        try:
            accounts.update_person(session, actor=current_user.username, user=user, **_profile(form))
        except accounts.AccountError as err:
            field = _field_of(form, err)
            field.errors = [*field.errors, _problem(err)]
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin_people.edit", user_id=user.id))
    return _person_page(user, form=form)


def _person_page(user: User, *, form: PersonForm | None = None, role_form: RoleForm | None = None,
                 token_form: TokenForm | None = None, secret: str | None = None, secret_kind: str | None = None) -> str:
    session = db.session()
    covered = {a.covers_user_id for a in user.roles if a.covers_user_id}
    cover_names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(covered)))}
    return render_template("admin/person.html", user=user, form=form or _with_campuses(PersonForm(obj=user), user),
                           role_form=role_form or _role_form(user), token_form=token_form or TokenForm(),
                           action=ActionForm(), tokens=accounts.tokens_of(session, user), unit_names=unit_names(),
                           cover_names=cover_names, open_tasks=accounts.open_tasks_of(session, user), secret=secret,
                           secret_kind=secret_kind, ROLE_LABELS=ROLE_LABELS, SCOPE_LABELS=SCOPE_LABELS)


@bp.post("/<int:user_id>/roles")
@roles_required(ADMIN)
def grant(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    form = _role_form(user)
    if form.validate_on_submit():
        session = db.session()
        try:
            accounts.grant_role(session, actor=current_user.username, user=user, role=form.role.data,
                                org_unit_id=int(form.org_unit_id.data) if form.org_unit_id.data else None,
                                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                covers_user_id=int(form.covers_user_id.data) if form.covers_user_id.data else None)
        except accounts.AccountError as err:
            form.role.errors = [*form.role.errors, _problem(err)]
        else:
            session.commit()
            flash(_("Role granted."), "success")
            return redirect(url_for("admin_people.edit", user_id=user.id))
    return _person_page(user, role_form=form), 400


@bp.post("/<int:user_id>/roles/<int:assignment_id>/revoke")
@roles_required(ADMIN)
def revoke(user_id: int, assignment_id: int) -> ResponseReturnValue:
    return _withdraw(user_id, lambda session, user: accounts.revoke_role(
        session, actor=current_user.username, user=user, assignment_id=assignment_id), _("Role removed."))


@bp.post("/<int:user_id>/tokens")
@roles_required(ADMIN)
def create_token(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    form = TokenForm()
    if form.validate_on_submit():
        session = db.session()
        expires = (datetime.combine(form.expires_on.data, time.max, tzinfo=school_zone(session, user.school_id))
                   if form.expires_on.data else None)
        try:
            token = accounts.create_token(session, actor=current_user.username, user=user, name=(form.name.data or "").strip(),
                                          scope=form.scope.data, expires_at=expires)
        except accounts.AccountError as err:
            form.expires_on.errors = [*form.expires_on.errors, _problem(err)]
        else:
            session.commit()
            return _person_page(user, secret=token, secret_kind="token")
    return _person_page(user, token_form=form), 400


@bp.post("/<int:user_id>/tokens/<int:token_id>/revoke")
@roles_required(ADMIN)
def revoke_token(user_id: int, token_id: int) -> ResponseReturnValue:
    return _withdraw(user_id, lambda session, user: accounts.revoke_token(
        session, actor=current_user.username, user=user, token_id=token_id), _("Token revoked."))


def _withdraw(user_id: int, withdraw: Callable[[Session, User], object], done: str) -> ResponseReturnValue:
    """Revoke one of a person's grants (a role, a token); an id that is not theirs is a 404."""
    user = person_or_404(user_id)
    if ActionForm().validate_on_submit():
        session = db.session()
        try:
            withdraw(session, user)
        except accounts.AccountError:
            abort(404)
        session.commit()
        flash(done, "success")
    return redirect(url_for("admin_people.edit", user_id=user.id))


@bp.post("/<int:user_id>/password")
@roles_required(ADMIN)
def reset_password(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = db.session()
    password = accounts.reset_password(session, actor=current_user.username, user=user)
    session.commit()
    return _person_page(user, secret=password, secret_kind="password")


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles_required(ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    """Lists the person's open tasks, each with a picker of who takes it over; deactivates once all are handed over."""
    user = person_or_404(user_id)
    session = db.session()
    tasks = accounts.open_tasks_of(session, user)
    candidates = {t.id: [u for u in users_with_role(session, role=t.role, school_id=user.school_id, org_unit_id=t.org_unit_id)
                         if u.id != user.id] if t.role else [] for t in tasks}
    form = ActionForm()
    if form.validate_on_submit():
        hand_to = {t.id: holder for t in tasks if (holder := request.form.get(f"hand_to-{t.id}", type=int)) is not None}
        try:
            accounts.deactivate_person(session, actor=current_actor(), user=user, hand_to=hand_to)
        except accounts.OpenTasksFirst as err:
            flash(_problem(err), "error")
        else:
            session.commit()
            flash(_("%(name)s was deactivated.", name=user.display_name), "success")
            return redirect(url_for("admin_people.edit", user_id=user.id))
    return render_template("admin/deactivate.html", user=user, tasks=tasks, candidates=candidates, form=form)


@bp.post("/<int:user_id>/reactivate")
@roles_required(ADMIN)
def reactivate(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    if ActionForm().validate_on_submit():
        session = db.session()
        accounts.reactivate_person(session, actor=current_user.username, user=user)
        session.commit()
        flash(_("%(name)s is active again.", name=user.display_name), "success")
    return redirect(url_for("admin_people.edit", user_id=user.id))


def _profile(form: PersonForm) -> dict[str, Any]:
    return {"display_name": (form.display_name.data or "").strip(), "number": (form.number.data or "").strip() or None,
            "kind": form.kind.data, "campus_id": form.campus_id.data, "phone": (form.phone.data or "").strip() or None,
            "email": (form.email.data or "").strip() or None, "locale": form.locale.data or None}
