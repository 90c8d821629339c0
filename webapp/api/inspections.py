"""``/api/v1/inspections``: the school's rounds and findings as lists (paged, newest first; ``status`` narrows
them) and one by one, as the module describes them (``GET /api/v1/modules/inspections/{number}`` answers the
same for either, with its timeline). The office and leaders read the lists; a single round or finding is for
whoever the module lets see it. Another school's number is not found."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from engine.paging import paged
from webapp import db
from webapp.api import views as api
from webapp.api.reads import _page_json, _paging, _require
from workflows.inspections.enums import FindingStatus, RoundStatus
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.inspections.readmodel import READER_ROLES, finding_dicts, round_dicts

bp = Blueprint("api_inspections", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)


def _listed(model: type[InspectionRound] | type[InspectionFinding], statuses: type[RoundStatus] | type[FindingStatus],
            key: str, shape: Callable[..., list[dict]]) -> ResponseReturnValue:
    """One page of the school's ``model`` rows, newest first, narrowed by ``?status=`` (one of ``statuses``)."""
    _require(READER_ROLES, "the supervision office and leaders")
    status = request.args.get("status") or None
    if status is not None and status not in tuple(statuses):
        raise api.invalid({"status": [f"must be one of {', '.join(statuses)}"]})
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
