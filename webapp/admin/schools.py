"""The platform's schools: one deployment serves many schools, and only an account above every school (no school of
its own, holding the admin role) adds one, with its first campus and first administrator."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import db
from webapp.admin.forms import ADMIN, PROBLEMS, NewSchoolForm
from webapp.auth import roles_required
from workflows.people import accounts, orgchart
from workflows.people.models import Campus, School

bp = Blueprint("admin_schools", __name__, url_prefix="/admin/schools")


def platform_only(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Administrators above every school only; a school's own administrator gets 403."""

    @roles_required(ADMIN)
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if current_user.school_id is not None:
            abort(403)
        return view(*args, **kwargs)

    return checked


@bp.get("/")
@platform_only
def index() -> ResponseReturnValue:
    return _page(NewSchoolForm(formdata=None))


def _page(new_school: NewSchoolForm) -> str:
    session = db.session()
    schools = list(session.scalars(select(School).order_by(School.id)))
    campuses = {s.id: [c.name for c in session.scalars(select(Campus).where(Campus.school_id == s.id).order_by(Campus.id))]
                for s in schools}
    return render_template("admin/schools.html", schools=schools, campuses=campuses,
                           new_school=new_school)


@bp.post("/new")
@platform_only
def new_school() -> ResponseReturnValue:
    """Add another school with its first campus and administrator, all or nothing; problems come back next to
    the fields."""
    form = NewSchoolForm()
    if form.validate_on_submit():
        session = db.session()
        try:
            # every field is InputRequired: validated, none is None
            school = orgchart.create_school(session, actor=current_user.username, code=form.code.data or "",
                                            name=form.name.data or "", campus=form.campus.data or "")
            first_admin = accounts.create_person(session, actor=current_user.username, school_id=school.id,
                                                 username=(form.admin_username.data or "").strip(),
                                                 password=form.admin_password.data or "",
                                                 display_name=(form.admin_name.data or "").strip())
            accounts.grant_role(session, actor=current_user.username, user=first_admin, role=ADMIN, org_unit_id=None)
        except orgchart.OrgError as err:
            session.rollback()
            field = form.code if err.code == "code_taken" else form.name
            field.errors = [*field.errors, str(PROBLEMS[err.code])]
        except accounts.AccountError as err:
            session.rollback()
            form.admin_username.errors = [*form.admin_username.errors, str(PROBLEMS[err.code])]
        else:
            session.commit()
            flash(_("%(name)s was added.", name=school.name), "success")
            return redirect(url_for("admin_schools.index"))
    return _page(form), 400
