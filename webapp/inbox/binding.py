"""Binding one's WeCom or WeChat by a one-time QR code, and unbinding (:mod:`workflows.notifications.binding`).

The person asks on their notification settings page and gets the QR code; their phone opens it inside WeCom /
WeChat without any login here: the code's token is the credential, checked and spent by the domain. The phone is
sent to the platform's OAuth page and comes back with a code that names its userid / openid.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

from engine.clock import now
from webapp import db
from workflows.notifications import binding
from workflows.notifications.enums import BOUND_CHANNELS, PersonalChannel, TicketProblem
from workflows.notifications.remote import RemoteError
from workflows.notifications.titles import CHANNEL_LABELS
from workflows.notifications.wecom import NotAMember
from workflows.people.models import User
from workflows.qr import qr_svg

bp = Blueprint("binding", __name__)


def _channel(name: str) -> PersonalChannel:
    """A bindable channel this deployment has set up, else 404."""
    messengers = db.runtime().messengers
    if name not in BOUND_CHANNELS or messengers.deliverer(PersonalChannel(name)) is None:
        abort(404)
    return PersonalChannel(name)


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def _result(channel: PersonalChannel, message: str, status: int, *, ok: bool = False) -> ResponseReturnValue:
    return render_template("notifications/bind_result.html", label=_(CHANNEL_LABELS[channel]), message=message,
                           ok=ok), status


@bp.post("/notifications/bind/<channel>")
@login_required
def start(channel: str) -> ResponseReturnValue:
    """A fresh one-time QR code for the logged-in person."""
    chosen = _channel(channel)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db.session()
    user = session.get(User, current_user.id)
    if user is None or user.school_id is None:
        abort(403)
    token = binding.issue(session, _secret(), user, chosen)
    session.commit()
    url = url_for("binding.scan", channel=chosen, token=token, _external=True)
    svg = Markup(qr_svg(url).decode())  # made by qrcode from our own URL: nothing of the user's in it
    return render_template("notifications/bind.html", channel=chosen, label=_(CHANNEL_LABELS[chosen]), svg=svg, url=url,
                           expires_at=now() + binding.LIFETIME)


@bp.post("/notifications/unbind/<channel>")
@login_required
def unbind(channel: str) -> ResponseReturnValue:
    chosen = _channel(channel)
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db.session()
    user = session.get(User, current_user.id)
    assert user is not None  # the logged-in user
    if binding.unbind(session, user, chosen):
        session.commit()
        flash(_("%(channel)s is no longer bound: its messages stop.", channel=_(CHANNEL_LABELS[chosen])), "success")
    return redirect(url_for("notifications.settings"))


PROBLEMS = {
    TicketProblem.FORGED: (404, _l("This code is not valid. Open your notification settings and show a new one.")),
    TicketProblem.EXPIRED: (410, _l("This code has expired. Open your notification settings and show a new one.")),
    TicketProblem.USED: (410, _l("This code has been used already. Open your notification settings and show a new one.")),
}


def _refused(channel: PersonalChannel, problem: TicketProblem) -> ResponseReturnValue:
    status, message = PROBLEMS[problem]
    return _result(channel, str(message), status)


@bp.get("/bind/<channel>/scan/<token>")
def scan(channel: str, token: str) -> ResponseReturnValue:
    """Opened by the phone from the QR code: on to the platform's sign-in, which comes back to :func:`back`."""
    chosen = _channel(channel)
    try:
        state = binding.open_ticket(db.session(), _secret(), token, chosen)
    except binding.TicketRefused as err:
        return _refused(chosen, err.problem)
    back_url = url_for("binding.back", channel=chosen, _external=True)
    return redirect(binding.authorize_url(db.runtime().messengers.messaging, chosen, back_url, state))


@bp.get("/bind/<channel>/back")
def back(channel: str) -> ResponseReturnValue:
    """The platform's answer: ``code`` names the phone's userid / openid, ``state`` the ticket."""
    chosen = _channel(channel)
    session = db.session()
    try:
        ticket = binding.ticket_for_state(session, request.args.get("state", ""), chosen)
    except binding.TicketRefused as err:
        return _refused(chosen, err.problem)
    code = request.args.get("code", "")
    if not code:
        return _result(chosen, _("Binding was cancelled: nothing was changed."), 400)
    messengers = db.runtime().messengers
    try:
        if chosen == PersonalChannel.wecom and messengers.wecom is not None:
            address = messengers.wecom.member_of(code)
        elif messengers.wechat is not None:
            address = messengers.wechat.follower_of(code)
        else:  # _channel() let only set-up channels through
            abort(404)
    except NotAMember:
        return _result(chosen, _("This WeCom account is not a member of the school's WeCom, so it cannot be bound."), 403)
    except RemoteError:
        return _result(chosen, _("%(channel)s could not confirm who you are just now. Scan the code again in a "
                                 "moment.", channel=_(CHANNEL_LABELS[chosen])), 502)
    made = binding.bind(session, ticket, address)
    user = session.get(User, made.user_id)
    session.commit()
    return _result(chosen, _("Done: Houqin reminders for %(name)s now come to this %(channel)s.",
                             name=user.display_name if user else "", channel=_(CHANNEL_LABELS[chosen])), 200, ok=True)
