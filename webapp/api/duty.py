"""Duty management's API: ``POST /api/v1/duty/readings`` (a device's batch of operating data, idempotent by device,
metric and time), ``POST /api/v1/duty/patrols`` (patrol scans by the token's holder, or a patrol device's rows),
``GET /api/v1/duty/anomalies`` (the school's anomalies with their PDCA stage and colour). Every call is confined to
the token's school: another school's device, point or anomaly is unknown here."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engine.paging import paged
from webapp import db
from webapp.api.views import ApiError, invalid, json_object, locale, school_id, token_required, use_json_errors
from workflows.duty import presence, readings
from workflows.duty.access import is_staff
from workflows.duty.enums import AnomalyKind, Stage
from workflows.duty.readmodel import as_dict, listing

bp = Blueprint("api_duty", __name__, url_prefix="/api/v1")
use_json_errors(bp)


def _list(body: dict[str, Any], name: str) -> list[Any]:
    items = body.get(name)
    if not isinstance(items, list):
        raise invalid({name: [_("a list")]})
    return items


@bp.post("/duty/readings")
@token_required
def post_readings() -> ResponseReturnValue:
    """Store a batch; 422 naming each refused row (nothing stored), else what was stored, skipped and found."""
    school, session = school_id(), db.session()
    batch = _list(json_object(), "readings")
    try:
        result = readings.ingest(session, db.runtime().host, db.runtime().rules.book(session, school), school_id=school,
                                 batch=batch, actor=g.api_user.username)
    except readings.ReadingsRefused as refused:
        raise invalid({f"readings[{p.row}].{p.field}": [p.said(locale())] for p in refused.problems},
                      _("the batch was refused; nothing was stored")) from refused
    session.commit()
    return jsonify({"stored": result.stored, "duplicates": result.duplicates, "anomalies": result.anomalies})


@bp.post("/duty/patrols")
@token_required
def post_patrols() -> ResponseReturnValue:
    """``{"scans": [{"code": <point code's token>, "at": ISO}]}`` by the token's holder on duty, or
    ``{"rows": [{"point", "person", "time"}]}`` from a patrol device (staff tokens only); all or nothing."""
    school, session, body = school_id(), db.session(), json_object()
    if "rows" in body:
        if not is_staff(g.api_user):
            raise ApiError("forbidden", _("only staff may import a patrol device's rows"), 403)
        rows = [(n, r if isinstance(r, dict) else {}) for n, r in enumerate(_list(body, "rows"))]
        imported = presence.import_patrols(session, school_id=school, rows=rows, actor=g.api_user.username)
        if imported.problems:
            raise invalid({f"rows[{n}]": [f"{_(what)} {detail}".strip()] for n, what, detail in imported.problems},
                          _("nothing was stored"))
        session.commit()
        return jsonify({"stored": imported.stored, "duplicates": imported.duplicates})
    stored = duplicates = 0
    for index, scan in enumerate(_list(body, "scans")):
        scan = scan if isinstance(scan, dict) else {}
        try:
            at = readings.parse_instant(scan["at"]) if scan.get("at") else None
            _point, new = presence.patrol_scan(session, user=g.api_user, token=str(scan.get("code", "")), at=at)
        except presence.PresenceError as refused:
            session.rollback()
            raise invalid({f"scans[{index}]": [refused.said(locale())]}, _("nothing was stored")) from refused
        except ValueError as refused:  # the time
            session.rollback()
            raise invalid({f"scans[{index}]": [_("give the time as ISO 8601 with its time zone")]},
                          _("nothing was stored")) from refused
        stored, duplicates = stored + new, duplicates + (not new)
    session.commit()
    return jsonify({"stored": stored, "duplicates": duplicates})


@bp.get("/duty/anomalies")
@token_required
def get_anomalies() -> ResponseReturnValue:
    """``?kind=&stage=&page=``: the school's anomalies, newest first (staff only)."""
    school = school_id()
    if not is_staff(g.api_user):
        raise ApiError("forbidden", _("only staff may list duty anomalies"), 403)
    kind, stage = request.args.get("kind") or None, request.args.get("stage") or None
    if kind and kind not in set(AnomalyKind):
        raise invalid({"kind": [_("must be one of %(values)s", values=", ".join(AnomalyKind))]})
    if stage and stage not in {*Stage, "open"}:
        raise invalid({"stage": [_("must be one of %(values)s", values=", ".join([*Stage, "open"]))]})
    session, lang = db.session(), locale()
    page = paged(session, listing(school_id=school, kind=kind, stage=stage), page=request.args.get("page", 1, type=int))
    return jsonify({"items": [as_dict(session, a, lang) for a in page.rows], "total": page.total, "page": page.page})
