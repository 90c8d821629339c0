"""``POST /api/v1/complaints``: a complaint from another system (a WeChat mini program, a campus app) on behalf of
the token's holder, or, with a clerk's token, of a caller. Reading one goes through the generic
``GET /api/v1/modules/complaints/<number>``, where the complaints module hides the complainant from the unit
complained about."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.api.views import ApiError, invalid, json_object, locale, school_id, token_required, use_json_errors
from workflows.complaints.enums import Channel
from workflows.complaints.readmodel import as_dict
from workflows.complaints.service import ComplaintError, Intake, submit
from workflows.people.enums import Role
from workflows.people.service import role_names

bp = Blueprint("api_complaints", __name__, url_prefix="/api/v1")
use_json_errors(bp)
TEXT_FIELDS = {"kind": 20, "category": 20, "description": 4000, "target_place": 200, "contact_name": 120, "contact_phone": 40}
ID_FIELDS = ("target_unit_id", "target_person_id", "complainant_id")
FLAGS = ("urgent", "anonymous")


def _values(body: dict[str, Any]) -> dict[str, Any]:
    """The body's known fields, typed; 422 naming every field that is wrong."""
    unknown = set(body) - set(TEXT_FIELDS) - set(ID_FIELDS) - set(FLAGS)
    problems: dict[str, list[str]] = {name: [_("unknown field")] for name in sorted(unknown)}
    values: dict[str, Any] = {}
    for name, longest in TEXT_FIELDS.items():
        value = body.get(name, "")
        if not isinstance(value, str) or len(value) > longest:
            problems[name] = [_("a text of at most %(n)d characters", n=longest)]
        else:
            values[name] = value
    for name in ID_FIELDS:
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            problems[name] = [_("an id (a whole number) or null")]
        else:
            values[name] = value
    for name in FLAGS:
        value = body.get(name, False)
        if not isinstance(value, bool):
            problems[name] = [_("true or false")]
        else:
            values[name] = value
    if problems:
        raise invalid(problems)
    return values


@bp.post("/complaints")
@token_required
def create_complaint() -> ResponseReturnValue:
    school, user = school_id(), g.api_user
    values = _values(json_object())
    clerk = Role.clerk in role_names(user)
    asked = values.pop("complainant_id")
    if not clerk and asked not in (None, user.id):
        raise ApiError("forbidden", _("only a clerk may make a complaint for someone else"), 403)
    complainant = asked if clerk else user.id
    session = db.session()
    try:
        complaint = submit(session, db.runtime().host, school_id=school, intake=Intake(
            channel=Channel.hotline if clerk else Channel.api, complainant_id=complainant,
            entered_by_id=user.id if clerk else None, **values))
        session.flush()
    except ComplaintError as err:
        raise invalid({err.field: [err.said(locale())]}) from err
    body = as_dict(session, user, complaint, locale())
    session.commit()
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_subject", module="complaints", key=complaint.number)
    return response
