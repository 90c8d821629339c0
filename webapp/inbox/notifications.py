"""The notification bell: unread count in every page, the list with readable titles, open (marks read and goes to
the task or the order), mark one or all as read; and the user's notification settings (WeCom / WeChat bindings,
e-mail and text-message switches, which kinds come by which channel, quiet hours)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, TimeField
from wtforms.validators import Optional

from engine import inbox as queries
from webapp import db
from webapp.auth import current_actor
from webapp.i18n import locale_code
from workflows.notifications import preferences, titles
from workflows.notifications.binding import bindings_of
from workflows.notifications.enums import BOUND_CHANNELS, PersonalChannel
from workflows.notifications.models import Notification
from workflows.notifications.personal import address_of
from workflows.notifications.service import latest, mark_read, unread_count
from workflows.people.models import User
from workflows.people.timezone import school_zone

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
LIST_SIZE = 50


@bp.app_context_processor
def _bell() -> dict:
    if getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": unread_count(db.session(), user_id=current_user.id)}
    return {"unread_notifications": 0}


def title_of(item: Notification) -> str:
    """A sentence a person reads, by kind, filled from the payload (the order number by default), in the page's
    language; the same titles head the e-mails and group-bot messages (:mod:`workflows.notifications.titles`)."""
    return titles.title(item.kind, item.payload, item.business_key, locale_code())


def _targets(items: list[Notification]) -> dict[int, str]:
    """Where each notification leads: the open task it is about (one the user may do), else the order page, else
    the page of what it is about (an order, a plan occurrence …), else the inbox searched for its reference."""
    session = db.session()
    keys = {n.business_key for n in items if n.business_key}
    tasks = queries.open_tasks_by_key(session, current_actor(), keys)
    pages = (db.runtime().modules.links(session, school_id=current_user.school_id, keys=keys, locale=locale_code())
             if current_user.school_id else {})
    targets = {}
    for n in items:
        if n.kind == "report.ready":
            targets[n.id] = url_for("reports.detail", report_id=(n.payload or {}).get("report_id", 0))
        elif n.business_key in tasks:
            targets[n.id] = url_for("inbox.task", task_id=tasks[n.business_key])
        elif n.business_key in pages:
            endpoint, values = pages[n.business_key]
            targets[n.id] = url_for(endpoint, **values)
        else:
            targets[n.id] = url_for("inbox.index", q=n.business_key) if n.business_key else url_for("inbox.index")
    return targets


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    items = latest(db.session(), user_id=current_user.id, limit=LIST_SIZE)
    return render_template("notifications/index.html", items=items, titles={n.id: title_of(n) for n in items},
                           targets=_targets(items))


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int) -> ResponseReturnValue:
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
def read() -> ResponseReturnValue:
    """Mark one (``id``) or all notifications read."""
    session = db.session()
    raw = request.form.get("id")
    mark_read(session, user_id=current_user.id, notification_id=int(raw) if raw and raw.isdigit() else None)
    session.commit()
    return redirect(url_for("notifications.index"))


class SettingsForm(FlaskForm):
    email = BooleanField(_l("Send me notifications by e-mail"))
    sms = BooleanField(_l("Send me text messages"))
    quiet_start = TimeField(_l("Quiet hours from"), validators=[Optional()])
    quiet_end = TimeField(_l("Quiet hours until"), validators=[Optional()])

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (self.quiet_start.data is None) != (self.quiet_end.data is None):
            self.quiet_end.errors = [*self.quiet_end.errors, _("Give both times of the quiet hours, or neither.")]
            return False
        return True


def kind_field(channel: str, kind: str) -> str:
    """The name of one checkbox of the per-kind table."""
    return f"kind-{channel}-{kind}"


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    """The logged-in user's channels (in-app is always on), which kinds each channel carries, and quiet hours."""
    session = db.session()
    user = session.get(User, current_user.id)
    assert user is not None  # the logged-in user
    order = db.runtime().messengers.order
    reachable = [c for c in order if address_of(session, user, c)]  # the per-kind table's columns
    hours = preferences.quiet_hours(session, user.id)
    form = SettingsForm()
    if request.method == "GET":
        form.email.data = preferences.channel_enabled(session, user, PersonalChannel.email)
        form.sms.data = preferences.channel_enabled(session, user, PersonalChannel.sms)
        form.quiet_start.data = hours.start if hours else None
        form.quiet_end.data = hours.end if hours else None
    if form.validate_on_submit():
        switches = {PersonalChannel.email: bool(form.email.data) and bool(user.email)}
        if PersonalChannel.sms in order and user.phone:
            switches[PersonalChannel.sms] = bool(form.sms.data)
        kinds = {c: (list(titles.KIND_LABELS), {k for k in titles.KIND_LABELS if request.form.get(kind_field(c, k))})
                 for c in reachable}
        preferences.save(session, user.id, switches=switches, kinds=kinds, quiet_start=form.quiet_start.data,
                         quiet_end=form.quiet_end.data)
        session.commit()
        flash(_("Your notification settings were saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, user=user, order=order, reachable=reachable,
                           bound_channels=[c for c in order if c in BOUND_CHANNELS], bindings=bindings_of(session, user.id),
                           kinds=titles.KIND_LABELS, kinds_off=preferences.kinds_off(session, user.id),
                           channel_labels=titles.CHANNEL_LABELS, kind_field=kind_field,
                           order_text=" → ".join(_(titles.CHANNEL_LABELS[c]) for c in order),
                           quiet_tz=str(school_zone(session, user.school_id)))
