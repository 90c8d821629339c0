"""What a person picker asks as the user types (``GET /form-sources/<source>/search``): one page of JSON from a
searchable form data source (``staff``, ``everyone``), only ever of the school of the person asking.

Staff only (any role but requester): requesters and students never search the school's people. The school is the
asking actor's, as the task policy sees them; nothing in the query can name another.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from webapp import db
from webapp.auth import current_actor, roles_required
from webapp.shared import ROLE_LABELS
from workflows.people.enums import Role
from workflows.people.picker import WORDS_MAX, PeopleSearch, PeopleSource, PersonHit, label_of, unit_options

bp = Blueprint("form_sources", __name__, url_prefix="/form-sources")
STAFF_ROLES = tuple(role for role in Role if role != Role.requester)


def _hit(hit: PersonHit) -> dict[str, Any]:
    return {"id": hit.id, "name": hit.name, "number": hit.number, "label": label_of(hit.name, hit.number),
            "units": hit.units, "roles": [str(ROLE_LABELS[role]) for role in hit.roles]}


@bp.get("/<name>/search")
@roles_required(*STAFF_ROLES)
def search(name: str) -> ResponseReturnValue:
    """``?q=`` name, number or phone tail; ``unit=`` a unit id (and the units below it); ``role=``; ``page=``.
    Answers the page of people with the unit and role filters the picker offers."""
    source = db.runtime().form_sources.get(name)
    school_id = current_actor().school_id
    if not isinstance(source, PeopleSource) or school_id is None:
        abort(404)
    session = db.session()
    units = unit_options(session, school_id=school_id)
    role = request.args.get("role") or None
    unit = request.args.get("unit", type=int)
    wanted = PeopleSearch(words=(request.args.get("q") or "")[:WORDS_MAX],
                          unit_id=unit if unit in {unit_id for unit_id, _name in units} else None,
                          role=Role(role) if role in set(source.roles()) else None)
    page = source.search(session, school_id=school_id, search=wanted, page=request.args.get("page", 1, type=int) or 1)
    response = jsonify({"people": [_hit(hit) for hit in page.rows], "page": page.page, "pages": page.pages,
                        "total": page.total,
                        "units": [{"id": unit_id, "name": unit_name} for unit_id, unit_name in units],
                        "roles": [{"value": str(r), "label": str(ROLE_LABELS[r])} for r in source.roles()]})
    response.cache_control.no_store = True
    return response
