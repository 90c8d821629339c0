"""``/api/v1/inspections``: the school's rounds and findings as lists (paged, newest first; ``status`` narrows
them) and one by one, as the module describes them (``GET /api/v1/modules/inspections/{number}`` answers the
same for either, with its timeline). The office and leaders read the lists; a single round or finding is for
whoever the module lets see it. Another school's number is not found."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from engine.paging import paged
from webapp import db
from webapp.api import views as api
from webapp.api.reads import _page_json, _paging, _require
from workflows.inspections.enums import FindingStatus, RoundStatus
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.inspections.readmodel import READER_ROLES, finding_dict, round_dict

bp = Blueprint("api_inspections", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)


def _status(allowed: type[RoundStatus] | type[FindingStatus]) -> str | None:
    status = request.args.get("status") or None
    if status is not None and status not in tuple(allowed):
        raise api.invalid({"status": [f"must be one of {', '.join(allowed)}"]})
    return status


@bp.get("/inspections/rounds")
@api.token_required
def list_rounds() -> ResponseReturnValue:
    _require(READER_ROLES, "the supervision office and leaders")
    status, session, locale = _status(RoundStatus), db.session(), api.locale()
    stmt = select(InspectionRound).where(InspectionRound.school_id == api.school_id())
    if status:
        stmt = stmt.where(InspectionRound.status == status)
    page, per_page = _paging()
    shown = paged(session, stmt.order_by(InspectionRound.created_at.desc(), InspectionRound.id.desc()), page=page,
                  per_page=per_page, shape=lambda rows: [round_dict(session, r, locale) for r in rows])
    return jsonify(_page_json("rounds", shown))


@bp.get("/inspections/findings")
@api.token_required
def list_findings() -> ResponseReturnValue:
    _require(READER_ROLES, "the supervision office and leaders")
    status, session, locale = _status(FindingStatus), db.session(), api.locale()
    stmt = select(InspectionFinding).where(InspectionFinding.school_id == api.school_id())
    if status:
        stmt = stmt.where(InspectionFinding.status == status)
    page, per_page = _paging()
    shown = paged(session, stmt.order_by(InspectionFinding.created_at.desc(), InspectionFinding.id.desc()), page=page,
                  per_page=per_page, shape=lambda rows: [finding_dict(session, f, locale) for f in rows])
    return jsonify(_page_json("findings", shown))


def _one(number: str, what: str) -> ResponseReturnValue:
    body = db.runtime().modules.resource(db.session(), module_name="inspections", user=g.api_user,
                                         rules=db.runtime().rules, school_id=api.school_id(), key=number,
                                         locale=api.locale())
    if body is None or (what == "round") != ("results" in body):
        raise api.ApiError("not_found", f"there is no inspection {what} {number}", 404)
    return jsonify(body)


@bp.get("/inspections/rounds/<number>")
@api.token_required
def get_round(number: str) -> ResponseReturnValue:
    return _one(number, "round")


@bp.get("/inspections/findings/<number>")
@api.token_required
def get_finding(number: str) -> ResponseReturnValue:
    return _one(number, "finding")
