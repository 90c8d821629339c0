"""JSON API ``/api/v1``: bearer-token authentication, JSON errors with a code and a message.

Every error is ``{"error": {"code": …, "message": …}}`` (plus ``"fields"`` for invalid input),
including unknown paths and methods under ``/api/v1``. The code is a stable word for programs; the messages are
for people, in the caller's language (:func:`webapp.i18n.api_locale`): the engine's refusals
(:mod:`webapp.engine_messages`, as the pages word them) and the domain's are worded here, since neither knows the
request. The endpoints are described in ``webapp/openapi.yaml``, served at
``GET /api/v1/openapi.json``.
"""
from __future__ import annotations

import functools
import json
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, cast

import yaml
from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from werkzeug.exceptions import HTTPException

from engine import inbox as queries
from engine.advance import complete_task, task_data
from engine.errors import EngineError
from engine.models import HumanTask
from webapp import db, throttle
from webapp.api.base64_photos import BadPhoto, decode_photo, encoded_size, photo_problem
from webapp.api.forms import form_json
from webapp.api.http_errors import http_error
from webapp.auth import View
from webapp.engine_messages import engine_message
from webapp.i18n import locale_code
from workflows.acting import checked, task_choices
from workflows.catalogue import service as catalogue
from workflows.catalogue.models import CatalogueItem
from workflows.people.models import User
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import ScopeTooNarrow, actor_for, role_names, user_for_token
from workflows.repair import photos, rating_links
from workflows.repair.enums import Channel, Urgency
from workflows.repair.readmodel import order_dict
from workflows.repair.service import MAX_PHOTOS, Intake, IntakeError, by_number, check_photos, create_order, may_view

bp = Blueprint("api", __name__, url_prefix="/api/v1")

SPEC_PATH = Path(__file__).with_name("openapi.yaml")
_STATUS = {"task_not_ready": 409, "forbidden": 403, "conflict": 409, "not_found": 404, "locked": 423, "invalid_diagram": 422,
           "state_too_large": 422}
ORDER_BODY_LIMIT = MAX_PHOTOS * encoded_size(photos.MAX_BYTES) + 1024 * 1024  # six full-size photos fit; the app default (16 MB) does not


class ApiError(Exception):
    """Raised by views and helpers; rendered as the JSON error body with ``status``."""

    def __init__(self, code: str, message: str, status: int, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.fields = code, message, status, fields


def error(code: str, message: str, status: int, *, fields: dict[str, list[str]] | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return jsonify({"error": body}), status


def invalid(fields: dict[str, list[str]], message: str | None = None) -> ApiError:
    return ApiError("invalid_data", message if message is not None else _("the submitted data is invalid"), 422,
                    fields=fields)


def _read_only() -> str:
    return _("this token is read-only: it may only read (GET)")


def _signed_in(user: User) -> None:
    """``user`` is the caller from here on, and their own language setting counts: Babel may have chosen the
    request's language before the token was checked (a message said early caches it), so it chooses again."""
    g.api_user = user
    refresh()


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""


def token_required(view: View) -> View:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = _bearer()
        try:
            user = user_for_token(db.session(), token, method=request.method) if token else None
        except ScopeTooNarrow:
            return error("insufficient_scope", _read_only(), 403)
        if user is None:
            return error("unauthorized", _("a valid bearer token is required"), 401)
        _signed_in(user)
        g.api_actor = actor_for(db.session(), user)
        return view(*args, **kwargs)

    wrapped.token_required = True  # type: ignore[attr-defined]  # a marker the spec test reads
    return cast(View, wrapped)  # called as the view was (wraps kept its name and docstring)


# --- errors ---------------------------------------------------------------------------------

@bp.errorhandler(ApiError)
def _api_error(err: ApiError) -> tuple[Response, int]:
    db.session().rollback()
    return error(err.code, err.message, err.status, fields=err.fields)


@bp.errorhandler(EngineError)
def _engine_error(err: EngineError) -> tuple[Response, int]:
    db.session().rollback()
    return error(err.code, engine_message(err), _STATUS.get(err.code, 400))


bp.register_error_handler(HTTPException, http_error)


def use_json_errors(blueprint: Blueprint) -> None:
    """Give another blueprint under ``/api/v1`` the same JSON error bodies."""
    for exc, handler in ((ApiError, _api_error), (EngineError, _engine_error), (HTTPException, http_error)):
        blueprint.register_error_handler(exc, handler)


# --- helpers --------------------------------------------------------------------------------

def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object: 400 ``bad_json`` if it does not parse, 400
    ``invalid_request`` if it is not an object."""
    raw = request.get_data(cache=True)
    try:
        payload = json.loads(raw, parse_constant=_reject_constant) if raw.strip() else None
        holds_nul = _holds_nul(payload)
    except json.JSONDecodeError as err:
        raise ApiError("bad_json", _("the body is not valid JSON (line %(line)d, column %(column)d)", line=err.lineno,
                                     column=err.colno), 400) from err
    except ValueError as err:  # NaN or Infinity, or bytes that are no text
        raise ApiError("bad_json", _("the body is not valid JSON"), 400) from err
    except RecursionError as err:  # nested deeper than any request of ours
        raise ApiError("bad_json", _("the body is nested too deeply"), 400) from err
    if holds_nul:
        raise ApiError("bad_json", _("the body contains a NUL character, which no field may hold"), 400)
    if not isinstance(payload, dict):
        raise ApiError("invalid_request", _("the body must be a JSON object"), 400)
    return payload


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def reject_unknown(payload: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(payload) - allowed)
    if unknown:
        raise invalid({name: [_("unknown field")] for name in unknown})


def school_id() -> int:
    """The caller's school: every school-owned read and write is confined to it."""
    if g.api_user.school_id is None:
        raise ApiError("forbidden", _("this account belongs to no school"), 403)
    return g.api_user.school_id


def locale() -> str:
    """The caller's language (zh_CN or en), for names as for messages: the one Babel chose by the API's rule
    (:func:`webapp.i18n.api_locale`)."""
    return locale_code()


def task_json(row: HumanTask) -> dict[str, Any]:
    module = db.runtime().modules.of_process(row.process_key)
    return {"id": row.id, "name": row.task_name, "title": row.title, "process": row.process_key,
            "module": module.name if module else None,
            "business_key": row.business_key, "role": row.role, "assignee_id": row.assignee_id,
            "form_key": row.form_key, "created_at": row.created_at.isoformat(),
            "due_at": row.due_at.isoformat() if row.due_at else None}


def open_tasks_json(business_key: str | None, school: int | None) -> list[dict[str, Any]]:
    """The open tasks of one business object (an order), each with what a client needs to do it: answered by the
    calls that change it, so a client never lists its tasks to find the next one."""
    if business_key is None or school is None:  # an object of no school: none of a school's callers acts on it
        return []
    actor = g.api_actor
    return [{"id": t.id, "name": t.task_name, "title": t.title, "role": t.role, "form_key": t.form_key,
             "assignee_id": t.assignee_id, "due_at": t.due_at.isoformat() if t.due_at else None,
             "can_complete": TASK_POLICY.may_complete(actor, t)}
            for t in queries.open_of(db.session(), school_id=school, business_key=business_key)]


def _validated(row: HumanTask, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked with the task's form, as the HTML page would (choice lists included)."""
    errors, cleaned = checked(db.runtime(), db.session(), row, data, locale=locale())
    if errors:
        raise invalid(errors)
    return cleaned


def _data_of(payload: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(payload, {"data"})
    data = payload.get("data", {})
    if not isinstance(data, dict):
        raise ApiError("invalid_request", _("'data' must be a JSON object"), 400)
    return data


# --- orders ---------------------------------------------------------------------------------

_TEXT_LIMITS = {"contact_name": 120, "contact_phone": 40, "room": 60, "description": 4000}
_ORDER_FIELDS = {"contact_name", "contact_phone", "campus_id", "building_id", "room", "catalogue_item_id",
                 "description", "urgency", "channel", "requester_id", "photos"}
_REQUIRED = ("contact_name", "contact_phone", "campus_id", "catalogue_item_id", "description")
API_CHANNELS = (Channel.api, Channel.counter, Channel.hotline)


def _order_photo(position: int, value: Any) -> bytes:
    """The bytes of the order body's photo at ``position`` (from 1); ValueError saying what is wrong with it."""
    try:
        data = decode_photo(value, max_bytes=photos.MAX_BYTES)
    except BadPhoto as err:
        raise ValueError(_("photo %(position)d %(problem)s", position=position,
                           problem=photo_problem(err.problem, max_bytes=photos.MAX_BYTES))) from None
    if not data:
        raise ValueError(_("photo %(position)d is empty", position=position))
    return data


def _text_problem(name: str, value: Any, limit: int) -> str | None:
    """What is wrong with a text field of the order body, if anything."""
    if not isinstance(value, str):
        return _("must be a string")
    if len(value) > limit:
        return _("at most %(n)d characters", n=limit)
    if name != "room" and not value.strip():
        return _("this field is required")
    return None


def _parse_order(payload: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
    """Types and shapes of the order body; every problem at once as field errors."""
    errors: dict[str, list[str]] = {name: [_("unknown field")] for name in sorted(set(payload) - _ORDER_FIELDS)}
    values: dict[str, Any] = {}
    for name in _REQUIRED:
        if payload.get(name) is None:
            errors.setdefault(name, []).append(_("this field is required"))
    for name, limit in _TEXT_LIMITS.items():
        value = payload.get(name)
        if value is None or name in errors:
            continue
        problem = _text_problem(name, value, limit)
        if problem is not None:
            errors.setdefault(name, []).append(problem)
        else:
            values[name] = value.strip() or None
    for name in ("campus_id", "building_id", "catalogue_item_id", "requester_id"):
        value = payload.get(name)
        if value is None or name in errors:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.setdefault(name, []).append(_("must be a positive integer"))
        else:
            values[name] = value
    for name, enum, allowed in (("urgency", Urgency, tuple(Urgency)), ("channel", Channel, API_CHANNELS)):
        value = payload.get(name)
        if value is None:
            continue
        if value not in allowed:
            errors.setdefault(name, []).append(_("must be one of %(values)s", values=", ".join(allowed)))
        else:
            values[name] = enum(value)
    photo_files = _parse_photos(payload.get("photos"), errors)
    if errors:
        raise invalid(errors)
    return values, photo_files


def _parse_photos(raw_photos: Any, errors: dict[str, list[str]]) -> list[bytes]:
    """The order body's photos, decoded; their problems go to ``errors["photos"]``."""
    photo_files: list[bytes] = []
    if raw_photos is not None and "photos" not in errors:
        if not isinstance(raw_photos, list):
            errors["photos"] = [_("must be a list of base64 strings")]
        elif len(raw_photos) > MAX_PHOTOS:
            errors["photos"] = [_("at most %(n)d photos", n=MAX_PHOTOS)]
        else:
            problems = []
            for position, value in enumerate(raw_photos, start=1):
                try:
                    photo_files.append(_order_photo(position, value))
                except ValueError as err:
                    problems.append(str(err))
            if problems:
                errors["photos"] = problems
    return photo_files


@bp.post("/orders")
@token_required
def create() -> ResponseReturnValue:
    request.max_content_length = ORDER_BODY_LIMIT
    school = school_id()
    user = g.api_user
    roles = role_names(user)
    if not roles & {"requester", "clerk"}:
        raise ApiError("forbidden", _("only requesters and service-hall clerks may create orders"), 403)
    values, photo_files = _parse_order(json_object())
    clerk = "clerk" in roles
    requester_id = values.pop("requester_id", user.id)
    channel = values.pop("channel", Channel.api)
    if not clerk and requester_id != user.id:
        raise ApiError("forbidden", _("only a clerk may create an order for someone else"), 403)
    if not clerk and channel != Channel.api:
        raise ApiError("forbidden", _("only a clerk may record an order of the channel %(channel)s", channel=channel), 403)
    session = db.session()
    intake = Intake(channel=channel, requester_id=requester_id, entered_by_id=user.id if clerk else None, **values)
    try:
        check_photos(photo_files)
        order = create_order(session, db.runtime().host, school_id=school, intake=intake, photo_files=photo_files,
                             uploads_dir=db.runtime().uploads_dir)
        session.flush()
    except IntakeError as err:
        raise invalid({err.field: [err.said(locale())]}) from err
    body = order_dict(session, order, locale=locale())
    body["open_tasks"] = open_tasks_json(order.number, school)
    session.commit()
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_order", number=order.number)
    return response


@bp.get("/orders/<number>")
@token_required
def get_order(number: str) -> ResponseReturnValue:
    session = db.session()
    order = by_number(session, school_id=school_id(), number=number)
    if order is None or not may_view(session, g.api_user, order, db.runtime().rules):
        raise ApiError("not_found", _("there is no order %(number)s", number=number), 404)
    body = order_dict(session, order, locale=locale())
    body["timeline"] = db.runtime().modules.timeline(session, module_name="repair", school_id=order.school_id,
                                                     key=order.number, locale=locale())
    body["open_tasks"] = open_tasks_json(order.number, order.school_id)
    return jsonify(body)


# --- any process module's business object ------------------------------------------------------

@bp.get("/modules/<module>/<key>")
@token_required
def get_subject(module: str, key: str) -> ResponseReturnValue:
    """What a task is about, as its process module shows it (an order, a plan occurrence, a delegated task),
    with its timeline; the module decides who may read it, always within the caller's school."""
    body = db.runtime().modules.resource(db.session(), module_name=module, user=g.api_user, rules=db.runtime().rules,
                                         school_id=school_id(), key=key, locale=locale())
    if body is None:
        raise ApiError("not_found", _("there is no %(key)s in the module %(module)s", key=key, module=module), 404)
    return jsonify(body)


# --- tasks ----------------------------------------------------------------------------------

@bp.get("/tasks")
@token_required
def list_tasks() -> ResponseReturnValue:
    """The caller's open tasks, filtered by ``process`` before paging (``page``, ``per_page`` up to 200)."""
    per_page = min(max(request.args.get("per_page", 100, type=int) or 100, 1), 200)
    page = queries.may_do_page(db.session(), g.api_actor, process_key=request.args.get("process") or None,
                               page=request.args.get("page", 1, type=int) or 1, per_page=per_page)
    return jsonify({"tasks": [task_json(t) for t in page.rows], "total": page.total, "page": page.page,
                    "pages": page.pages, "per_page": page.per_page})


@bp.get("/tasks/<task_id>")
@token_required
def get_task(task_id: str) -> ResponseReturnValue:
    """One open task the caller may see, with its form: every field, its limits and the choices it accepts."""
    session = db.session()
    row = session.get(HumanTask, task_id)
    rights = TASK_POLICY.rights(g.api_actor, row) if row is not None else None
    if row is None or rights is None or not rights.see:
        raise ApiError("not_found", _("there is no open task %(id)s", id=task_id), 404)
    runtime = db.runtime()
    definition = runtime.forms.get(row.form_key or "")
    body = task_json(row)
    body["can_complete"] = rights.complete
    body["form"] = None if definition is None else form_json(
        definition, locale=locale(), source=task_choices(db.runtime(), db.session(), row, locale()),
        task_data=task_data(runtime.host, session, row) if definition.reads_task_data else None)
    return jsonify(body)


@bp.post("/tasks/<task_id>/complete")
@token_required
def complete(task_id: str) -> ResponseReturnValue:
    data = _data_of(json_object())
    session = db.session()
    instance = complete_task(db.runtime().host, session, task_id=task_id, actor=g.api_actor,
                             prepare=lambda row: _validated(row, data))
    body = {"instance": {"id": instance.id, "status": instance.status, "business_key": instance.business_key},
            "open_tasks": open_tasks_json(instance.business_key, instance.school_id)}
    session.commit()
    return jsonify(body)


# --- rating links ---------------------------------------------------------------------------

@bp.post("/ratings/<token>")
def rate(token: str) -> ResponseReturnValue:
    """Rate by a signed link. The requester's own link is the only credential; a code shown on a staff screen also
    needs ``phone_last4``, the last four digits of the order's contact phone (wrong digits are throttled per order),
    or the requester's bearer token. Anyone else's bearer token is refused."""
    session = db.session()
    runtime = db.runtime()
    bearer = _bearer()
    try:
        caller = user_for_token(session, bearer, method=request.method) if bearer else None
    except ScopeTooNarrow as err:
        raise ApiError("insufficient_scope", _read_only(), 403) from err
    if bearer and caller is None:
        raise ApiError("unauthorized", _("the bearer token is not valid"), 401)
    if caller is not None:
        _signed_in(caller)
    payload = json_object()
    reject_unknown(payload, {"data", "phone_last4"})
    try:
        link = rating_links.open_rating(session, runtime.rules, current_app.config["SECRET_KEY"], token)
        data = _validated(link.task, _data_of({"data": payload.get("data", {})}))
        digits = payload.get("phone_last4")
        confirmation = rating_links.confirm(link, user_id=caller.id if caller is not None else None,
                                            digits=digits if isinstance(digits, str) else None)
        rating_links.submit_rating(runtime.host, session, link=link, data=data, confirmation=confirmation)
        session.commit()
    except rating_links.LinkInvalid as err:
        if err.expired:
            raise ApiError("link_expired", _("this rating link has expired"), 410) from err
        raise ApiError("not_found", _("this rating link is not valid"), 404) from err
    except rating_links.NothingToRate as err:
        raise ApiError("nothing_to_rate", err.said(locale()), 409) from err
    except rating_links.WrongDigits as err:
        throttle.attempt_failed()
        raise ApiError("confirmation_failed", _("this code was shown on a staff screen: 'phone_last4' must be the last "
                                                "four digits of the order's contact phone"), 403) from err
    except rating_links.NotTheRequester as err:
        raise ApiError("not_the_requester", _("only the requester may rate this order"), 403) from err
    except rating_links.LoginNeeded as err:
        raise ApiError("login_needed", _("only the requester, logged in, may rate this order"), 403) from err
    session.refresh(link.order)
    return jsonify({"order": {"number": link.order.number, "status": link.order.status},
                    "rating": data.get("rating", data)}), 201


# --- look-ups -------------------------------------------------------------------------------

@bp.get("/catalogue")
@token_required
def catalogue_tree() -> ResponseReturnValue:
    def entry(item: CatalogueItem) -> dict[str, Any]:
        return {"id": item.id, "code": item.code, "name": {"zh_CN": item.name_zh, "en": item.name_en}}

    return jsonify({"categories": [
        {**entry(category), "default_team_id": category.default_team_id,
         "items": [{**entry(item), "default_team_id": item.default_team_id} for item in children]}
        for category, children in catalogue.tree(db.session(), school_id=school_id())]})


@bp.get("/locations")
@token_required
def locations() -> ResponseReturnValue:
    return jsonify({"campuses": [
        {"id": campus.id, "name": campus.name, "buildings": [{"id": b.id, "name": b.name} for b in buildings]}
        for campus, buildings in catalogue.locations(db.session(), school_id=school_id())]})


# --- the description of all of the above ----------------------------------------------------

@functools.cache
def spec() -> dict[str, Any]:
    """The OpenAPI document, read and parsed once per process."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(spec())
