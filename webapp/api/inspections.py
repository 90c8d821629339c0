"""``/api/v1/inspections``: the school's rounds and findings as lists (paged, newest first; ``status`` narrows
them) and one by one, as the module describes them (``GET /api/v1/modules/inspections/{number}`` answers the
same for either, with its timeline). The office and leaders read the lists; a single round or finding is for
whoever the module lets see it. An inspector records a round (``POST …/rounds/{number}/record``) as on the phone
page: its results and the problems seen beside its checklist, all or nothing. Another school's number is not
found."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from engine.paging import paged
from webapp import db
from webapp.api import inspection_reports as reports
from webapp.api import views as api
from webapp.api.reads import _page_json, _paging, _require
from workflows.inspections.enums import FindingStatus, RoundStatus, WhyNotRecorded
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.inspections.readmodel import READER_ROLES, finding_dicts, round_dict, round_dicts
from workflows.inspections.rounds import RoundError, RoundRefused, record_report, round_to_record

bp = Blueprint("api_inspections", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)


def _listed(model: type[InspectionRound] | type[InspectionFinding], statuses: type[RoundStatus] | type[FindingStatus],
            key: str, shape: Callable[..., list[dict]]) -> ResponseReturnValue:
    """One page of the school's ``model`` rows, newest first, narrowed by ``?status=`` (one of ``statuses``)."""
    _require(READER_ROLES, _("only the supervision office and leaders may read this"))
    status = request.args.get("status") or None
    if status is not None and status not in tuple(statuses):
        raise api.invalid({"status": [_("must be one of %(values)s", values=", ".join(statuses))]})
    session, locale = db.session(), api.locale()
    stmt = select(model).where(model.school_id == api.school_id())
    if status:
        stmt = stmt.where(model.status == status)
    page, per_page = _paging()
    shown = paged(session, stmt.order_by(model.created_at.desc(), model.id.desc()), page=page, per_page=per_page,
                  shape=lambda rows: shape(session, rows, locale))
    return jsonify(_page_json(key, shown))


@bp.get("/inspections/rounds")
@api.token_required
def list_rounds() -> ResponseReturnValue:
    return _listed(InspectionRound, RoundStatus, "rounds", round_dicts)


@bp.get("/inspections/findings")
@api.token_required
def list_findings() -> ResponseReturnValue:
    return _listed(InspectionFinding, FindingStatus, "findings", finding_dicts)


def _not_found(number: str, *, is_round: bool) -> api.ApiError:
    missing = (_("there is no inspection round %(number)s", number=number) if is_round
               else _("there is no inspection finding %(number)s", number=number))
    return api.ApiError("not_found", missing, 404)


def _one(number: str, *, is_round: bool) -> ResponseReturnValue:
    body = db.runtime().modules.resource(db.session(), module_name="inspections", user=g.api_user,
                                         rules=db.runtime().rules, school_id=api.school_id(), key=number,
                                         locale=api.locale())
    if body is None or is_round != ("results" in body):
        raise _not_found(number, is_round=is_round)
    return jsonify(body)


@bp.get("/inspections/rounds/<number>")
@api.token_required
def get_round(number: str) -> ResponseReturnValue:
    return _one(number, is_round=True)


@bp.get("/inspections/findings/<number>")
@api.token_required
def get_finding(number: str) -> ResponseReturnValue:
    return _one(number, is_round=False)


def _refused(err: RoundRefused, number: str) -> api.ApiError:
    """The answer to a round not to be recorded at all: 403 for someone who is no inspector, 404, 409 for a round
    recorded already (perhaps by someone else meanwhile)."""
    if err.why == WhyNotRecorded.not_inspector:
        return api.ApiError("forbidden", _("only inspectors record rounds"), 403)
    if err.why == WhyNotRecorded.missing:
        return _not_found(number, is_round=True)
    return api.ApiError("conflict", _("inspection round %(number)s is already recorded", number=number), 409)


@bp.post("/inspections/rounds/<number>/record")
@api.token_required
def record_round(number: str) -> ResponseReturnValue:
    """The round's results and the problems seen beside its checklist, recorded by an inspector as the phone page
    records them: each failed item and each problem starts its finding. Refused whole (nothing stored): 403, 404
    or 409 before the body is read, 422 naming the fields at fault."""
    request.max_content_length = reports.BODY_LIMIT
    session, school, locale = db.session(), api.school_id(), api.locale()
    book = db.runtime().rules.book(session, school)
    try:
        round_to_record(session, book, inspector=g.api_user, number=number, lock=False)  # answered before the body
        parsed = reports.parse(api.json_object())
        row = round_to_record(session, book, inspector=g.api_user, number=number)  # locked once the body is read
    except RoundRefused as err:
        raise _refused(err, number) from err
    try:
        found = record_report(session, db.runtime().host, book, row, inspector=g.api_user,
                              report=reports.report(session, db.runtime().uploads_dir / str(school), parsed))
    except RoundError as err:
        raise api.invalid(reports.refusal(err, parsed), reports.not_stored()) from err
    session.flush()
    body = {"round": round_dict(session, row, locale), "findings": finding_dicts(session, found, locale)}
    session.commit()
    return jsonify(body)
