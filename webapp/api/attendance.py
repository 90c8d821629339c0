"""``POST /api/v1/attendance/checkins``: a check-in from a kiosk tablet or a vendor's face terminal, authenticated by
the check-in point's own token (``Authorization: Bearer``), never a person's. The body carries a photo (the server
matches the face) or, from a terminal that matched the face itself, a staff number. The kiosk page posts its
frames here too; the answer's ``message`` is in the caller's language (``?lang=``, else Accept-Language, else
zh_CN)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, cast

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.api.base64_photos import BadPhoto, decode_photo, encoded_size, photo_problem
from webapp.api.views import ApiError, invalid, json_object, locale, reject_unknown, use_json_errors
from workflows.attendance import checkins
from workflows.attendance.enums import PointKind
from workflows.attendance.models import CheckinPoint
from workflows.attendance.points import point_by_token
from workflows.faces.images import MAX_BYTES
from workflows.faces.refusals import PROBLEM_WORDS, FaceProblem, FaceRefused
from workflows.i18n import translate

bp = Blueprint("api_attendance", __name__, url_prefix="/api/v1")
use_json_errors(bp)
FIELDS = {"photo", "staff_number", "at"}
BODY_LIMIT = encoded_size(MAX_BYTES) + 4096

View = Callable[..., ResponseReturnValue]


def point_required(view: View) -> View:
    """Only a kiosk or terminal holding a valid, active point token gets in (401 otherwise)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        point = point_by_token(db.session(), token)
        if point is None:
            raise ApiError("unauthorized", _("a valid check-in point token is required"), 401)
        g.checkin_point = point
        return view(*args, **kwargs)

    wrapped.token_required = True  # type: ignore[attr-defined]  # the bearer token is the point's
    return cast(View, wrapped)


def _message(problem: FaceProblem) -> str:
    return translate(PROBLEM_WORDS[problem], locale())


def _photo(value: Any) -> bytes:
    try:
        return decode_photo(value, max_bytes=MAX_BYTES)
    except BadPhoto as err:
        raise invalid({"photo": [photo_problem(err.problem, max_bytes=MAX_BYTES)]}) from None


def _at(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise invalid({"at": [_("an ISO 8601 time with its offset")]})
    return moment


@bp.post("/attendance/checkins")
@point_required
def check_in() -> ResponseReturnValue:
    if (request.content_length or 0) > BODY_LIMIT:
        raise ApiError("too_large", _("the body is larger than a photo of %(mb)d MB", mb=MAX_BYTES // (1024 * 1024)), 413)
    body = json_object()
    reject_unknown(body, FIELDS)
    point: CheckinPoint = g.checkin_point
    has_photo, has_number = "photo" in body, "staff_number" in body
    if has_photo == has_number:
        raise invalid({"photo": [_("send a photo or a staff number, one of them")]})
    if has_number and (point.kind != PointKind.terminal or not isinstance(body["staff_number"], str)
                       or not 0 < len(body["staff_number"]) <= 40):
        raise invalid({"staff_number": [_("a staff number, from a vendor terminal only")]})
    session, rules = db.session(), db.runtime().rules
    try:
        if has_photo:
            outcome = checkins.by_face(session, rules, point=point, frame=_photo(body["photo"]))
        else:
            outcome = checkins.by_number(session, rules, point=point, number=body["staff_number"], at=_at(body.get("at")))
    except FaceRefused as refused:
        session.rollback()
        raise ApiError("face_refused", _message(refused.problem), 422, fields={"problem": [refused.problem.value]}) from None
    session.commit()
    if outcome.problem is not None:  # an unknown face: the attempt is kept for review
        raise ApiError("unknown_face", _message(outcome.problem), 422, fields={"problem": [outcome.problem.value]})
    assert outcome.checkin is not None and outcome.staff is not None
    return jsonify({"checkin": {"id": outcome.checkin.id, "at": outcome.checkin.at.isoformat(), "post_id": outcome.checkin.post_id,
                                "point_id": outcome.checkin.point_id, "channel": outcome.checkin.channel,
                                "distance": outcome.checkin.distance},
                    "staff": {"number": outcome.staff.number, "name": outcome.staff.name},
                    "repeated": outcome.repeated}), 200 if outcome.repeated else 201
