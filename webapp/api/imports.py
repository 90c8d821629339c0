"""``POST /api/v1/orders/import``: orders taken over from another platform, idempotent by its ids.

The body is ``{"orders": [{…}, …]}``, each object one row with the columns of :mod:`workflows.repair.importing`.
Rows already imported are answered with the order each became and change nothing; if any row is refused, the
answer lists every refused cell by row and column (422 ``invalid_rows``) and nothing is written. Admins and
service-hall clerks import, with a ``write`` token.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from webapp import db
from webapp.api import views as api
from workflows.i18n import translate
from workflows.people.enums import Role
from workflows.people.service import role_names
from workflows.repair import importing
from workflows.sheets import RowError

bp = Blueprint("import_api", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)
IMPORTERS = {Role.admin, Role.clerk}


def _refused(errors: list[RowError]) -> Response:
    body = {"error": {"code": "invalid_rows", "message": _("some rows are refused; nothing was imported"),
                      "rows": [{"row": e.row, "column": e.column, "problem": e.problem,
                                "message": translate(importing.PROBLEM_WORDS[e.problem], api.locale())} for e in errors]}}
    response = jsonify(body)
    response.status_code = 422
    return response


def _items(payload: dict[str, Any]) -> list[Any]:
    api.reject_unknown(payload, {"orders"})
    items = payload.get("orders")
    if not isinstance(items, list) or not items:
        raise api.invalid({"orders": [_("a non-empty list of orders")]})
    if len(items) > importing.MAX_ROWS:
        raise api.invalid({"orders": [_("at most %(n)d orders in one import", n=importing.MAX_ROWS)]})
    return items


@bp.post("/orders/import")
@api.token_required
def import_orders() -> ResponseReturnValue:
    if not role_names(g.api_user) & IMPORTERS:
        raise api.ApiError("forbidden", _("only admins and service-hall clerks may import orders"), 403)
    school = api.school_id()
    rows, refused = importing.api_rows(_items(api.json_object()))
    session, runtime = db.session(), db.runtime()
    plan = importing.plan_orders(session, school_id=school, rows=rows, refused=refused)
    if plan.errors:
        return _refused(plan.errors)
    try:
        created = importing.apply_orders(session, runtime.host, school_id=school, plan=plan, actor=g.api_user.username,
                                         entered_by_id=g.api_user.id, uploads_dir=runtime.uploads_dir)
        session.commit()
    except IntegrityError as err:  # the same rows imported at the same moment by another call
        raise api.ApiError("conflict", _("these orders are being imported by another call; send them again"), 409) from err
    return jsonify({"created": [_row(c) for c in created], "already_imported": [_row(k) for k in plan.known]})


def _row(done: importing.Imported) -> dict[str, Any]:
    return {"row": done.row, "external_source": done.source, "external_id": done.id, "number": done.number}
