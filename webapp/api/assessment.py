"""Assessment over the API: schemes (list, enter, read one version, change an unused version: 409 for one a campaign
used), campaigns (list, start by hand, read one with its items and timeline) and the published ranking with each
unit's trend. The roles are the pages': the school's assessors and leaders read, the supervision office and admins
write; the caller's school only."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from engine.paging import paged
from webapp import db
from webapp.api import views as api
from webapp.api.reads import _page_json, _paging, _require
from workflows.assessment import results, schemes
from workflows.assessment.enums import CampaignKind, CampaignStatus
from workflows.assessment.models import Campaign, SchemeVersion
from workflows.assessment.readmodel import VIEW_ROLES, campaign_dict, campaign_dicts, may_view, scheme_dict
from workflows.assessment.service import CampaignError, by_number, open_campaign
from workflows.people.enums import Role
from workflows.people.service import actor_for

bp = Blueprint("api_assessment", __name__, url_prefix="/api/v1/assessment")
api.use_json_errors(bp)
EDITORS = (Role.supervisor, Role.admin)
SCHEME_FIELDS = {"name", "unit_id", "contract", "schedule", "items", "bands"}


def _objects(value: Any, name: str, *, required: bool = True) -> list[dict[str, Any]]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise api.invalid({name: [_("a list of objects")]})
    for entry in value:
        rules = entry.get("rules")
        if rules is not None and (not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules)):
            raise api.invalid({name: [_("each item's rules are a list of objects")]})
    return value


def _draft(body: dict[str, Any]) -> schemes.Draft:
    api.reject_unknown(body, SCHEME_FIELDS)
    unit = body.get("unit_id")
    if not isinstance(unit, int) or isinstance(unit, bool):
        raise api.invalid({"unit_id": [_("an id (a whole number)")]})
    texts = {name: body.get(name, default) for name, default in (("name", ""), ("contract", ""), ("schedule", "monthly"))}
    for name, value in texts.items():
        if not isinstance(value, str) or len(value) > 200:
            raise api.invalid({name: [_("a text of at most %(n)d characters", n=200)]})
    bands = _objects(body.get("bands"), "bands", required=False) or schemes.DEFAULT_BANDS
    return schemes.Draft(name=texts["name"], unit_id=unit, items=_objects(body.get("items"), "items"), bands=bands,
                         contract=texts["contract"], schedule=texts["schedule"])


def _scheme_error(err: schemes.SchemeError) -> api.ApiError:
    if isinstance(err, schemes.VersionInUse):
        return api.ApiError("version_in_use", err.said(api.locale()), 409)
    return api.invalid({err.field: [err.said(api.locale())]})


def _version(scheme_id: int) -> SchemeVersion:
    version = db.session().get(SchemeVersion, scheme_id)
    if version is None or version.school_id != api.school_id():
        raise api.ApiError("not_found", _("no such scheme version"), 404)
    return version


@bp.get("/schemes")
@api.token_required
def list_schemes() -> ResponseReturnValue:
    _require(VIEW_ROLES, _("only assessors and leaders may read this"))
    return jsonify({"schemes": [scheme_dict(v) for v in schemes.schemes(db.session(), school_id=api.school_id())]})


@bp.post("/schemes")
@api.token_required
def create_scheme() -> ResponseReturnValue:
    _require(EDITORS, _("only the supervision office may do this"))
    session = db.session()
    draft = _draft(api.json_object())
    try:
        version = schemes.create(session, school_id=api.school_id(), draft=draft,
                                 indicators=db.runtime().modules.indicators,
                                 actor=actor_for(session, g.api_user).label, user_id=g.api_user.id)
        session.flush()
    except schemes.SchemeError as err:
        session.rollback()
        raise _scheme_error(err) from err
    body = scheme_dict(version)
    session.commit()
    return jsonify(body), 201


@bp.get("/schemes/<int:scheme_id>")
@api.token_required
def get_scheme(scheme_id: int) -> ResponseReturnValue:
    _require(VIEW_ROLES, _("only assessors and leaders may read this"))
    return jsonify(scheme_dict(_version(scheme_id)))


@bp.put("/schemes/<int:scheme_id>")
@api.token_required
def change_scheme(scheme_id: int) -> ResponseReturnValue:
    _require(EDITORS, _("only the supervision office may do this"))
    session = db.session()
    version = _version(scheme_id)
    draft = _draft(api.json_object())
    try:
        schemes.amend(session, version=version, draft=draft, indicators=db.runtime().modules.indicators,
                      actor=actor_for(session, g.api_user).label)
        session.flush()
    except schemes.SchemeError as err:
        session.rollback()
        raise _scheme_error(err) from err
    body = scheme_dict(version)
    session.commit()
    return jsonify(body)


@bp.get("/campaigns")
@api.token_required
def list_campaigns() -> ResponseReturnValue:
    _require(VIEW_ROLES, _("only assessors and leaders may read this"))
    status = request.args.get("status")
    where = [Campaign.school_id == api.school_id()]
    if status is not None:
        if status not in set(CampaignStatus):
            raise api.invalid({"status": [_("must be one of %(values)s", values=", ".join(CampaignStatus))]})
        where.append(Campaign.status == status)
    page, per_page = _paging()
    session, lang = db.session(), api.locale()
    one = paged(session, select(Campaign).where(*where).order_by(Campaign.created_at.desc(), Campaign.id.desc()),
                page=page, per_page=per_page, shape=lambda rows: campaign_dicts(session, rows, lang))
    return jsonify(_page_json("campaigns", one))


def _day(body: dict[str, Any], name: str) -> date:
    value = body.get(name)
    try:
        return date.fromisoformat(value) if isinstance(value, str) else date.fromisoformat("")
    except ValueError:
        raise api.invalid({name: [_("a day as YYYY-MM-DD")]}) from None


@bp.post("/campaigns")
@api.token_required
def start_campaign() -> ResponseReturnValue:
    _require(EDITORS, _("only the supervision office may do this"))
    body = api.json_object()
    api.reject_unknown(body, {"scheme_code", "kind", "first", "last", "title"})
    session = db.session()
    code, kind, title = body.get("scheme_code"), body.get("kind"), body.get("title", "")
    if not isinstance(kind, str) or not isinstance(title, str) or len(title) > 200:
        raise api.invalid({"kind": [_("must be one of %(values)s", values=", ".join(CampaignKind))],
                           "title": [_("a text of at most %(n)d characters", n=200)]})
    scheme = schemes.current_of(session, school_id=api.school_id(), code=code) if isinstance(code, str) else None
    if scheme is None:
        raise api.invalid({"scheme_code": [_("the code of one of the school's schemes")]})
    try:
        campaign = open_campaign(session, db.runtime().host, scheme=scheme, kind=kind, first=_day(body, "first"),
                                 last=_day(body, "last"), title=title, started_by=g.api_user)
        session.flush()
    except CampaignError as err:
        session.rollback()
        raise api.invalid({err.field: [err.said(api.locale())]}) from err
    answer = campaign_dict(session, campaign, api.locale())
    session.commit()
    return jsonify(answer), 201


@bp.get("/campaigns/<number>")
@api.token_required
def get_campaign(number: str) -> ResponseReturnValue:
    session = db.session()
    campaign = by_number(session, school_id=api.school_id(), number=number)
    if campaign is None or not may_view(session, g.api_user, campaign, db.runtime().rules):
        raise api.ApiError("not_found", _("no such campaign"), 404)
    timeline = db.runtime().modules.timeline(session, module_name="assessment", school_id=campaign.school_id,
                                             key=campaign.number, locale=api.locale())
    return jsonify({**campaign_dict(session, campaign, api.locale()), "timeline": timeline})


@bp.get("/results")
@api.token_required
def get_results() -> ResponseReturnValue:
    _require(VIEW_ROLES, _("only assessors and leaders may read this"))
    session = db.session()
    period, ranked = results.latest_ranking(session, school_id=api.school_id())
    return jsonify({"period": period, "ranking": [
        {"rank": r.rank, "unit": r.unit, "unit_id": r.campaign.unit_id, "number": r.campaign.number,
         "total": r.campaign.total, "grade": r.campaign.grade, "deduction_percent": r.campaign.deduction_percent}
        for r in ranked], "trends": results.trends(session, school_id=api.school_id())})
