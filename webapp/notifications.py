"""The notification bell: unread count in every page, the list, mark as read."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import db
from workflows.notifications.service import latest, mark_read, unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _bell() -> dict:
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": unread_count(db.session(), user_id=current_user.id)}
    return {"unread_notifications": 0}


@bp.get("/")
@login_required
def index():
    return render_template("notifications/index.html", items=latest(db.session(), user_id=current_user.id, limit=50))


@bp.post("/read")
@login_required
def read():
    session = db.session()
    raw = request.form.get("id")
    mark_read(session, user_id=current_user.id, notification_id=int(raw) if raw and raw.isdigit() else None)
    session.commit()
    return redirect(url_for("notifications.index"))
