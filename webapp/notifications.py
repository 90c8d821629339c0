"""The notification bell: unread count in every page, the list with readable titles, open (marks read and goes to
the task or the order), mark one or all as read."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine import inbox as queries
from webapp import db
from webapp.auth import current_actor
from workflows import tasklist
from workflows.notifications.models import Notification
from workflows.notifications.service import latest, mark_read, unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
LIST_SIZE = 50


@bp.app_context_processor
def _bell() -> dict:
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": unread_count(db.session(), user_id=current_user.id)}
    return {"unread_notifications": 0}


def title_of(item: Notification) -> str:
    """A sentence a person reads, by kind, filled from the payload (the order number by default)."""
    payload = item.payload or {}
    order = payload.get("order") or item.business_key or ""
    colours = {"green": _("green"), "yellow": _("yellow"), "red": _("red")}
    decisions = {"upheld": _("upheld"), "dismissed": _("dismissed")}
    titles = {
        "repair.review_overdue": lambda: _("Order %(order)s is still waiting for review.", order=order),
        "repair.job_overdue": lambda: _("Your job on order %(order)s is overdue.", order=order),
        "repair.job_overdue_copy": lambda: _("A worker's job on order %(order)s is overdue.", order=order),
        "repair.escalated": lambda: _("Order %(order)s is %(colour)s: please chase it.", order=order,
                                      colour=colours.get(payload.get("colour"), payload.get("colour") or "")),
        "repair.bad_rating": lambda: _("Bad rating (%(stars)s of 5) on order %(order)s: call the requester back.",
                                       order=order, stars=payload.get("overall", "?")),
        "repair.rate_request": lambda: _("Please rate the repair of order %(order)s.", order=order),
        "repair.dispatched": lambda: _("New job: order %(order)s.", order=order),
        "repair.rectification_exhausted": lambda: _(
            "Order %(order)s: the rectification rounds are used up; please decide.", order=order),
        "repair.appeal_filed": lambda: _("A rating appeal was filed on order %(order)s.", order=order),
        "repair.appeal_decided": lambda: _("The rating appeal on order %(order)s was %(decision)s.", order=order,
                                           decision=decisions.get(payload.get("decision"), payload.get("decision") or "")),
        "job.overdue": lambda: _("Quick job overdue: %(title)s", title=payload.get("title") or item.business_key or ""),
    }
    describe = titles.get(item.kind)
    return describe() if describe else _("%(kind)s on %(key)s", kind=item.kind, key=item.business_key or "—")


def _targets(items: list[Notification]) -> dict[int, str]:
    """Where each notification leads: the open task it is about (one the user may do), else the order page, else
    the inbox searched for its reference."""
    session = db.session()
    keys = {n.business_key for n in items if n.business_key}
    tasks = queries.open_tasks_by_key(session, current_actor(), keys)
    orders = tasklist.existing_orders(session, school_id=current_user.school_id, keys=keys)
    targets = {}
    for n in items:
        if n.business_key in tasks:
            targets[n.id] = url_for("inbox.task", task_id=tasks[n.business_key])
        elif n.business_key in orders:
            targets[n.id] = url_for("orders.detail", number=n.business_key)
        else:
            targets[n.id] = url_for("inbox.index", q=n.business_key) if n.business_key else url_for("inbox.index")
    return targets


@bp.get("/")
@login_required
def index():
    items = latest(db.session(), user_id=current_user.id, limit=LIST_SIZE)
    return render_template("notifications/index.html", items=items, titles={n.id: title_of(n) for n in items},
                           targets=_targets(items))


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    """Mark one notification read and go where it leads."""
    session = db.session()
    item = session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    target = _targets([item])[item.id]
    mark_read(session, user_id=current_user.id, notification_id=item.id)
    session.commit()
    return redirect(target)


@bp.post("/read")
@login_required
def read():
    """Mark one (``id``) or all notifications read."""
    session = db.session()
    raw = request.form.get("id")
    mark_read(session, user_id=current_user.id, notification_id=int(raw) if raw and raw.isdigit() else None)
    session.commit()
    return redirect(url_for("notifications.index"))
