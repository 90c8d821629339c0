"""The admin change log: every change made on the admin pages, imports and admin API, newest first, with who
made it, what it touched and the values before and after."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from webapp import db
from webapp.admin.forms import ADMIN
from webapp.auth import roles_required
from webapp.shared import school_id
from workflows.adminlog import changes_page

bp = Blueprint("admin_audit", __name__, url_prefix="/admin/changes")
SUBJECTS = ("user", "role", "token", "unit", "school", "people", "catalogue", "campus", "building", "room", "locations",
            "scheme")


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    subject = request.args.get("subject", "") if request.args.get("subject") in SUBJECTS else ""
    actor = (request.args.get("actor") or "").strip()[:80]
    result = changes_page(db.session(), school_id=school_id(), actor=actor, subject=subject,
                          page=request.args.get("page", 1, type=int))
    return render_template("admin/changes.html", result=result, subject=subject, actor=actor, SUBJECTS=SUBJECTS)
