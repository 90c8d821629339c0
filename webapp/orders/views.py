"""Order pages: the staff list with filters, the order page (facts, photos, ratings, timeline, rating QR) and
the photo files, each served only to someone who may see the order. Views stay thin: they call the services
in ``workflows.repair`` and render.

The labels for statuses, colours, channels, urgencies and timeline actions live here, once, as Jinja globals,
so every page (and the macros in ``orders/_macros.html``) shows the same words.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.orders.rating import link_for
from webapp.shared import ROLE_LABELS
from workflows.colours import COLOUR_WORDS, ESCALATION, Colour
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import role_names
from workflows.repair import photos, rating_links
from workflows.repair.enums import Status
from workflows.repair.labels import CHANNEL_WORDS, STATUS_WORDS, URGENCY_WORDS
from workflows.repair.models import WorkOrder
from workflows.repair.readmodel import order_dict
from workflows.repair.service import STAFF_ROLES, by_number, may_view, open_tasks, search_orders
from workflows.repair.stepper import stage_dicts

bp = Blueprint("orders", __name__)
MODULE = "repair"  # the process module whose business timeline the order pages show
INTAKE_ROLES = (Role.clerk, Role.admin)  # who may enter orders on a requester's behalf (counter, hotline)

STATUS_LABELS = {status: _l(text) for status, text in STATUS_WORDS.items()}
COLOUR_LABELS = {colour: _l(COLOUR_WORDS[colour]) for colour in ESCALATION}
CHANNEL_LABELS = {channel: _l(text) for channel, text in CHANNEL_WORDS.items()}
URGENCY_LABELS = {urgency: _l(text) for urgency, text in URGENCY_WORDS.items()}
PHOTO_STAGE_LABELS = {"report": _l("When reported"), "result": _l("After the repair"),
                      "rectification": _l("After rectification")}


@bp.record_once
def _labels(state: BlueprintSetupState) -> None:
    state.app.jinja_env.globals.update(
        STATUS_LABELS=STATUS_LABELS, COLOUR_LABELS=COLOUR_LABELS, CHANNEL_LABELS=CHANNEL_LABELS,
        URGENCY_LABELS=URGENCY_LABELS, PHOTO_STAGE_LABELS=PHOTO_STAGE_LABELS, ROLE_LABELS=ROLE_LABELS)


@bp.app_template_filter("fromiso")
def _fromiso(value: str | None) -> datetime | None:
    """The read model's ISO timestamps back to datetimes, for ``datetimeformat`` (local time zone)."""
    return datetime.fromisoformat(value) if value else None


def is_staff(user: User) -> bool:
    return bool(role_names(user) & STAFF_ROLES)


def viewable_order(number: str) -> WorkOrder:
    """The order ``number`` of the user's own school: 404 when there is none, 403 when the user may not see it."""
    session = db.session()
    order = by_number(session, school_id=current_user.school_id, number=number)
    if order is None:
        abort(404)
    if not may_view(session, current_user, order, db.runtime().rules):
        abort(403)
    return order


def _choice(value: str | None, allowed: Iterable[object]) -> str | None:
    return value if value in {str(a) for a in allowed} else None


@bp.get("/orders")
@roles_required(*sorted(STAFF_ROLES))
def index() -> ResponseReturnValue:
    status = _choice(request.args.get("status"), Status)
    colour = _choice(request.args.get("colour"), Colour)
    number = (request.args.get("q") or "").strip()[:30]
    page = request.args.get("page", 1, type=int) or 1
    result = search_orders(db.session(), school_id=current_user.school_id, status=status, colour=colour,
                           number=number or None, page=page)
    return render_template("orders/index.html", result=result, status=status, colour=colour, q=number,
                           locale=locale_code())


@bp.get("/orders/<number>")
@login_required
def detail(number: str) -> ResponseReturnValue:
    order = viewable_order(number)
    session = db.session()
    tasks = open_tasks(session, order)
    staff = is_staff(current_user)
    rating_open = any(t.task_name == rating_links.RATING_TASK for t in tasks)
    own_link = rating_open and current_user.id == order.requester_id
    events = order_timeline(order)
    return render_template(
        "orders/detail.html", order=order, facts=order_dict(session, order, locale=locale_code()), events=events,
        stages=stage_dicts(order, events, locale=locale_code(), requester=current_user.id == order.requester_id),
        photo_link=db.runtime().modules.photo_link(MODULE),
        tasks=tasks, staff=staff, rating_link=link_for(order) if own_link else None,
        show_code=rating_open and staff and current_user.id != order.worker_id, another_order=another_order_link(order))


def another_order_link(order: WorkOrder) -> str | None:
    """The counter form opened for the order's requester (it starts on their campus), offered to someone of the
    order's school who enters orders for requesters, when the counter can find that requester (an active account
    of the school); None otherwise."""
    if order.school_id != current_user.school_id or not role_names(current_user) & set(INTAKE_ROLES):
        return None
    requester = db.session().get(User, order.requester_id)
    if requester is None or not requester.active or requester.school_id != order.school_id:
        return None
    return url_for("counter.new", requester=requester.username)


def order_timeline(order: WorkOrder) -> list[dict]:
    """The order's business timeline (who did what, with their notes) in the page's language."""
    return db.runtime().modules.timeline(db.session(), module_name=MODULE, school_id=order.school_id, key=order.number,
                                         locale=locale_code())


@bp.get("/orders/<number>/photos/<int:photo_id>")
@login_required
def photo(number: str, photo_id: int) -> ResponseReturnValue:
    """A stored photo (``?thumb=1``: its thumbnail), only to someone who may see the order."""
    order = viewable_order(number)
    stored = next((p for p in order.photos if p.id == photo_id), None)
    if stored is None:
        abort(404)
    try:
        path = photos.path_of(db.runtime().uploads_dir / str(order.school_id), stored.stored_name,
                              thumbnail=request.args.get("thumb") == "1")
    except photos.PhotoRejected:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True)
    response.cache_control.no_cache = None
    response.cache_control.private = True
    response.cache_control.max_age = 3600
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
