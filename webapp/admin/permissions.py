"""The permissions page: for one person, every role they hold and why (which role, in which unit, for which
dates, acting for whom), what each reaches, and the pages of this app they may open, read from the role
requirements the views themselves declare (``roles_required``), so the page cannot drift from the code."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from webapp import db
from webapp.admin.forms import ADMIN
from webapp.admin.people import person_or_404
from webapp.auth import roles_required
from webapp.shared import ROLE_LABELS
from workflows.people.permissions import grants_of
from workflows.people.service import role_names

bp = Blueprint("admin_permissions", __name__, url_prefix="/admin/permissions")


def pages_by_role(roles: set[str]) -> list[tuple[str, list[str]]]:
    """(URL rule, roles of ``roles`` that open it) for every role-restricted page the roles reach."""
    pages = []
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        allowed = getattr(current_app.view_functions.get(rule.endpoint), "allowed_roles", None)
        if allowed and "GET" in (rule.methods or ()) and allowed & roles:
            pages.append((rule.rule, sorted(allowed & roles)))
    return pages


@bp.get("/<int:user_id>")
@roles_required(ADMIN)
def person(user_id: int) -> ResponseReturnValue:
    user = person_or_404(user_id)
    grants = grants_of(db.session(), user)
    roles = role_names(user) if user.active else set()
    return render_template("admin/permissions.html", user=user, grants=grants, pages=pages_by_role(roles),
                           ROLE_LABELS=ROLE_LABELS)
