"""Admin JSON API ``/api/v1/admin``: people, org units and permissions for other platforms and scripts.

Bearer tokens as in ``/api/v1`` (a ``read`` token may only GET); the token's user must hold the admin role
(403 otherwise). Errors have the ``/api/v1`` shape.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, cast

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.admin.forms import ADMIN, PROBLEMS, VALUE_FIELDS
from webapp.api import views as api
from webapp.auth import View
from workflows.people import accounts, orgchart
from workflows.people.enums import PersonKind
from workflows.people.models import User
from workflows.people.permissions import grants_of
from workflows.people.service import actor_for, role_names

bp = Blueprint("admin_api", __name__, url_prefix="/api/v1/admin")
api.use_json_errors(bp)

_TEXT = {"username": 80, "password": 200, "display_name": 120, "number": 40, "kind": 20, "phone": 40, "email": 200}


def admin_token_required(view: View) -> View:
    @wraps(view)
    @api.token_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if ADMIN not in role_names(g.api_user):
            raise api.ApiError("forbidden", _("the admin role is required"), 403)
        return view(*args, **kwargs)

    return cast(View, wrapped)  # called as the view was (wraps kept its name and docstring)


def person_json(user: User) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "display_name": user.display_name, "number": user.number,
            "kind": user.kind, "campus_id": user.campus_id, "phone": user.phone, "email": user.email, "active": user.active,
            "roles": [{"id": a.id, "role": a.role, "org_unit_id": a.org_unit_id,
                       "starts_on": a.starts_on.isoformat() if a.starts_on else None,
                       "ends_on": a.ends_on.isoformat() if a.ends_on else None,
                       "covers_user_id": a.covers_user_id} for a in user.roles]}


def _person(user_id: int) -> User:
    user = accounts.person(db.session(), school_id=api.school_id(), user_id=user_id)
    if user is None:
        raise api.ApiError("not_found", _("no such person"), 404)
    return user


@bp.get("/people")
@admin_token_required
def people() -> ResponseReturnValue:
    """``?campus=<id>`` the people of a campus, ``?campus=none`` those of none."""
    status, campus = request.args.get("status", "active"), request.args.get("campus", "")
    flt = accounts.PeopleFilter(words=(request.args.get("q") or "")[:80], role=request.args.get("role") or None,
                                unit_id=request.args.get("unit", type=int),
                                active={"active": True, "inactive": False}.get(status),
                                campus_id=int(campus) if campus.isdigit() else None, without_campus=campus == "none")
    page = accounts.people_page(db.session(), school_id=api.school_id(), flt=flt,
                                page=request.args.get("page", 1, type=int))
    return jsonify({"people": [person_json(u) for u in page.rows], "total": page.total, "page": page.page,
                    "pages": page.pages})


@bp.get("/people/<int:user_id>")
@admin_token_required
def person(user_id: int) -> ResponseReturnValue:
    return jsonify(person_json(_person(user_id)))


@bp.post("/people")
@admin_token_required
def create_person() -> ResponseReturnValue:
    payload = api.json_object()
    api.reject_unknown(payload, {*_TEXT, "campus_id"})
    errors = {k: [_("this field is required")] for k in ("username", "password", "display_name") if not payload.get(k)}
    errors.update({k: [_("must be a string of at most %(n)d characters", n=n)] for k, n in _TEXT.items()
                   if k in payload and payload[k] is not None and (not isinstance(payload[k], str) or len(payload[k]) > n)})
    if payload.get("kind") not in (None, *PersonKind):
        errors["kind"] = [_("must be one of %(values)s", values=", ".join(PersonKind))]
    campus_id = payload.get("campus_id")
    if campus_id is not None and (not isinstance(campus_id, int) or isinstance(campus_id, bool)):
        errors["campus_id"] = [_("must be an id (a whole number) or null")]
    if errors:
        raise api.invalid(errors)
    session = db.session()
    try:
        user = accounts.create_person(session, actor=g.api_user.username, school_id=api.school_id(),
                                      username=payload["username"], password=payload["password"],
                                      campus_id=campus_id,
                                      **{k: payload.get(k) for k in ("display_name", "number", "kind", "phone", "email")})
    except accounts.AccountError as err:
        said = str(PROBLEMS.get(err.code, err.code))  # as the people pages say it
        if err.code in VALUE_FIELDS:  # a refused value; the others are clashes with another person
            raise api.invalid({VALUE_FIELDS[err.code]: [said]}) from err
        raise api.ApiError("conflict", said, 409) from err
    session.commit()
    return jsonify(person_json(user)), 201


@bp.post("/people/<int:user_id>/deactivate")
@admin_token_required
def deactivate(user_id: int) -> ResponseReturnValue:
    """Body ``{"hand_to": {"<task id>": <user id>, …}}``; 409 ``open_tasks`` lists the tasks still to hand over."""
    user = _person(user_id)
    payload = api.json_object() if request.get_data() else {}
    api.reject_unknown(payload, {"hand_to"})
    hand_to = payload.get("hand_to", {})
    if not isinstance(hand_to, dict) or not all(isinstance(v, int) for v in hand_to.values()):
        raise api.invalid({"hand_to": [_("an object of task id → user id")]})
    session = db.session()
    try:
        accounts.deactivate_person(session, actor=actor_for(session, g.api_user), user=user, hand_to=hand_to)
    except accounts.OpenTasksFirst as err:
        session.rollback()
        return jsonify({"error": {"code": "open_tasks", "message": _("hand these tasks over first"),
                                  "tasks": [api.task_json(t) for t in err.tasks]}}), 409
    session.commit()
    return jsonify(person_json(user))


@bp.get("/org-units")
@admin_token_required
def org_units() -> ResponseReturnValue:
    session = db.session()
    return jsonify({"units": [{"id": r.unit.id, "name": r.unit.name, "kind": r.unit.kind, "parent_id": r.unit.parent_id,
                               "active": r.unit.active, "depth": r.depth,
                               "in_charge": [{"user_id": ic.user.id, "role": ic.assignment.role,
                                              "starts_on": ic.assignment.starts_on.isoformat() if ic.assignment.starts_on else None,
                                              "ends_on": ic.assignment.ends_on.isoformat() if ic.assignment.ends_on else None,
                                              "covers_user_id": ic.assignment.covers_user_id}
                                             for ic in orgchart.in_charge(session, r.unit)]}
                              for r in orgchart.tree(session, school_id=api.school_id())]})


@bp.get("/permissions/<int:user_id>")
@admin_token_required
def permissions(user_id: int) -> ResponseReturnValue:
    grants = grants_of(db.session(), _person(user_id))
    return jsonify({"grants": [{"role": gr.assignment.role, "org_unit_id": gr.assignment.org_unit_id,
                                "reaches": gr.reaches, "in_force": gr.in_force,
                                "covers_user_id": gr.assignment.covers_user_id} for gr in grants]})
