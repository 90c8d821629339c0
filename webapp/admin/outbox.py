"""Admin page of the outbox: each outgoing message with its channel, recipient, status, attempts, last error (in our
words, never a platform's answer, said in the reader's language) and, for personal messages, the channels taken so
far; failed and waiting messages first by default. A Retry button puts a message back in the queue (pending,
attempts 0, due now)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, case, select

from engine.clock import now
from engine.models import OutboxMessage
from engine.statuses import OutboxStatus
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.shared import ROLE_LABELS
from workflows.hooks import delivery_errors
from workflows.notifications.models import WebhookTarget
from workflows.notifications.titles import CHANNEL_LABELS, KIND_LABELS
from workflows.people.enums import Role
from workflows.people.models import User

bp = Blueprint("admin_outbox", __name__, url_prefix="/admin/outbox")
ADMIN = Role.admin
LIST_SIZE = 200
SHOWN_NAMES = 3  # recipients named on a row; the rest are counted
VIEWS = {  # ?show=… → the statuses listed
    "open": (OutboxStatus.FAILED, OutboxStatus.PENDING),
    "sent": (OutboxStatus.SENT,),
    "all": tuple(OutboxStatus),
}
VIEW_LABELS = {"open": _l("Failed or waiting"), "sent": _l("Sent"), "all": _l("All")}
STATUS_LABELS = {OutboxStatus.FAILED: _l("failed"), OutboxStatus.PENDING: _l("pending"), OutboxStatus.SENT: _l("sent")}


def _scoped(stmt: Select[OutboxMessage]) -> Select[OutboxMessage]:
    """An admin of a school sees that school's messages; one without a school sees all."""
    school_id = current_user.school_id
    return stmt if school_id is None else stmt.where(OutboxMessage.school_id == school_id)


def _recipients(messages: list[OutboxMessage]) -> dict[int, str]:
    """Who each message is for, in words: people by name, roles by their label, a group bot by its name."""
    session = db.session()
    user_ids = {int(u) for m in messages for u in (m.recipients or {}).get("users") or [] if u is not None}
    target_ids = {int(t) for m in messages if (t := (m.recipients or {}).get("target_id")) is not None}
    names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    targets = ({t.id: t.name for t in session.scalars(select(WebhookTarget).where(WebhookTarget.id.in_(target_ids)))}
               if target_ids else {})
    shown = {}
    for m in messages:
        spec = m.recipients or {}
        if spec.get("target_id") is not None:
            shown[m.id] = targets.get(int(spec["target_id"]), _("a removed group bot"))
            continue
        people = [names.get(int(u), f"#{u}") for u in spec.get("users") or [] if u is not None]
        words = [str(ROLE_LABELS.get(r, r)) for r in spec.get("roles") or []] + people[:SHOWN_NAMES]
        if len(people) > SHOWN_NAMES:
            words.append(_("%(count)s more", count=len(people) - SHOWN_NAMES))
        shown[m.id] = ", ".join(words) or "—"
    return shown


def _chain(message: OutboxMessage) -> str:
    """The channels a personal message has taken so far (``WeCom → WeChat``), empty for other messages."""
    chain = (message.recipients or {}).get("chain") or []
    return " → ".join(_(CHANNEL_LABELS.get(c, c)) for c in chain) if len(chain) > 1 else ""


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    view = request.args.get("show", "open") if request.args.get("show") in VIEWS else "open"
    failed_first = case((OutboxMessage.status == OutboxStatus.FAILED, 0), else_=1)
    stmt = _scoped(select(OutboxMessage).where(OutboxMessage.status.in_(VIEWS[view]))
                   .order_by(failed_first, OutboxMessage.id.desc()).limit(LIST_SIZE))
    messages = list(db.session().scalars(stmt))
    return render_template("notifications/outbox.html", messages=messages, view=view, views=VIEW_LABELS,
                           failed=sum(m.status == OutboxStatus.FAILED for m in messages),
                           recipients=_recipients(messages), chains={m.id: _chain(m) for m in messages},
                           errors={m.id: delivery_errors.said(m, locale_code()) for m in messages},
                           statuses=STATUS_LABELS, channels=CHANNEL_LABELS, kinds=KIND_LABELS)


@bp.post("/<int:message_id>/retry")
@roles_required(ADMIN)
def retry(message_id: int) -> ResponseReturnValue:
    session = db.session()
    message = session.scalar(_scoped(select(OutboxMessage).where(OutboxMessage.id == message_id)))
    if message is None:
        abort(404)
    if message.status != OutboxStatus.SENT:
        message.status, message.attempts, message.next_attempt_at = OutboxStatus.PENDING, 0, now()
        session.commit()
        flash(_("Message %(id)s will be sent again shortly.", id=message_id), "success")
    return redirect(url_for("admin_outbox.index"))
