"""The standards library for other platforms (a property company's own app, a contract system): the caller's
school's documents, searched as the pages search them, and one document at its current or an older version.
Any staff token of the school may read them (``read`` scope is enough)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from webapp import db
from webapp.api.views import ApiError, locale, school_id, token_required, use_json_errors
from workflows.i18n import translate
from workflows.standards import service
from workflows.standards.labels import SERVICE_WORDS
from workflows.standards.models import StandardDocument, StandardVersion

bp = Blueprint("api_standards", __name__, url_prefix="/api/v1")
use_json_errors(bp)


def _json(document: StandardDocument, version: StandardVersion, language: str) -> dict[str, Any]:
    return {"code": document.code, "service_type": document.service_type,
            "service_type_label": translate(SERVICE_WORDS[document.service_type], language),
            "catalogue_item_id": document.catalogue_item_id, "current_version": document.current_version,
            "version": version.version, "title": version.title, "items": version.items, "note": version.note,
            "created_at": version.created_at.isoformat()}


@bp.get("/standards")
@token_required
def standards() -> ResponseReturnValue:
    """``q``: words in a title or item; ``service_type``: one shelf."""
    kind = request.args.get("service_type") or None
    if kind is not None and kind not in SERVICE_WORDS:
        raise ApiError("invalid", _("service_type must be one of %(values)s", values=", ".join(SERVICE_WORDS)), 400)
    found = service.search(db.session(), school_id=school_id(), words=request.args.get("q", "")[:100], service_type=kind)
    return jsonify({"standards": [_json(document, version, locale()) for document, version in found]})


@bp.get("/standards/<code>")
@token_required
def standard(code: str) -> ResponseReturnValue:
    """One document at its current version, or ``?version=n``, with the list of its versions."""
    session = db.session()
    document = service.by_code(session, school_id=school_id(), code=code)
    version = service.version_of(session, document, request.args.get("version", type=int)) if document else None
    if document is None or version is None:
        raise ApiError("not_found", _("no such standard or version"), 404)
    return jsonify({**_json(document, version, locale()),
                    "versions": [{"version": v.version, "note": v.note, "created_at": v.created_at.isoformat()}
                                 for v in service.versions(session, document)]})
