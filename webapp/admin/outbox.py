"""Admin page of the outbox: the messages that failed or still wait to be sent, with their last error, and a
Retry button that puts a message back in the queue (pending, attempts 0, due now)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, case, select

from engine.clock import now
from engine.models import OutboxMessage
from engine.statuses import OutboxStatus
from webapp import db
from webapp.auth import roles_required
from workflows.people.enums import Role

bp = Blueprint("admin_outbox", __name__, url_prefix="/admin/outbox")
ADMIN = Role.admin
LIST_SIZE = 200


def _scoped(stmt: Select[OutboxMessage]) -> Select[OutboxMessage]:
    """An admin of a school sees that school's messages; one without a school sees all."""
    school_id = current_user.school_id
    return stmt if school_id is None else stmt.where(OutboxMessage.school_id == school_id)


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    failed_first = case((OutboxMessage.status == OutboxStatus.FAILED, 0), else_=1)
    stmt = _scoped(select(OutboxMessage).where(OutboxMessage.status.in_((OutboxStatus.FAILED, OutboxStatus.PENDING)))
                   .order_by(failed_first, OutboxMessage.id.desc()).limit(LIST_SIZE))
    messages = list(db.session().scalars(stmt))
    return render_template("notifications/outbox.html", messages=messages,
                           failed=sum(m.status == OutboxStatus.FAILED for m in messages))


@bp.post("/<int:message_id>/retry")
@roles_required(ADMIN)
def retry(message_id: int) -> ResponseReturnValue:
    session = db.session()
    message = session.scalar(_scoped(select(OutboxMessage).where(OutboxMessage.id == message_id)))
    if message is None:
        abort(404)
    if message.status != "sent":
        message.status, message.attempts, message.next_attempt_at = "pending", 0, now()
        session.commit()
        flash(_("Message %(id)s will be sent again shortly.", id=message_id), "success")
    return redirect(url_for("admin_outbox.index"))
