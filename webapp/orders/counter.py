"""Service-hall counter and hotline intake: a clerk enters an order on a requester's behalf.

The requester is found by username or phone number (``find_requester``); the order records the channel and the
clerk as ``entered_by``. Everything else is the requester's own intake form (``webapp.portal``), which starts on the
requester's campus: at once when the page is opened for one (``?requester=``), and as the clerk types one through
``/counter/requester``, which ``static/counter.js`` asks.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional, Regexp

from forms.builder import strip_spaces
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.orders.portal import MAX_PHOTO_MB, PHONE_PATTERN, IntakeForm, submit_intake, too_large, upload_limit
from webapp.orders.views import CHANNEL_LABELS, INTAKE_ROLES
from workflows.people.models import User
from workflows.repair.enums import Channel
from workflows.repair.models import WorkOrder
from workflows.repair.service import MAX_PHOTOS, IntakeError, find_requester

bp = Blueprint("counter", __name__, url_prefix="/counter")
bp.register_error_handler(RequestEntityTooLarge, too_large)


class CounterForm(IntakeForm):
    """The intake form plus how the request arrived and who it is for; contact details default to the requester's."""

    channel = RadioField(_l("How the request arrived"), choices=[SelectChoice(c.value, CHANNEL_LABELS[c]) for c in
                                                                 (Channel.counter, Channel.hotline)],
                         default=Channel.counter.value)
    requester = StringField(_l("Requester: username or phone number"), [InputRequired(), Length(max=80)],
                            filters=[strip_spaces])
    contact_name = StringField(_l("Contact name"), [Optional(), Length(max=120)], filters=[strip_spaces],
                               description=_l("Leave empty to use the requester's name."))
    contact_phone = StringField(_l("Contact phone"), [Optional(), Length(max=40), Regexp(
        PHONE_PATTERN, message=_l("Enter a phone number: digits, with +, -, spaces or brackets if needed."))],
        filters=[strip_spaces], description=_l("Leave empty to use the requester's phone number."))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*INTAKE_ROLES)
def new() -> ResponseReturnValue:
    form = CounterForm()
    form.fill_choices(school_id=current_user.school_id, locale=locale_code())
    if request.method == "GET":
        form.requester.data = request.args.get("requester", "").strip()[:80]
        requester = _requester_or_none(form.requester.data)
        form.prefill_location(request.args, own_campus=requester.campus_id if requester is not None else None)
    if form.validate_on_submit():
        order = _enter(form)
        if order is not None:
            flash(_("Order %(number)s entered for %(name)s.", number=order.number, name=order.contact_name), "success")
            return redirect(url_for("orders.detail", number=order.number))
    return render_template("counter/new.html", form=form, upload_limit=upload_limit(), max_photos=MAX_PHOTOS,
                           max_photo_mb=MAX_PHOTO_MB)


@bp.route("/requester")
@roles_required(*INTAKE_ROLES)
def requester_campus() -> ResponseReturnValue:
    """The campus of the requester ``?q=`` names (username or phone), for the form to start on; 404 for no one."""
    requester = _requester_or_none(request.args.get("q", ""))
    if requester is None:
        return jsonify({}), 404
    return jsonify({"campus_id": requester.campus_id})


def _requester_or_none(query: str) -> User | None:
    """Who ``query`` names, or None for no one or several: the form says which only when it is sent."""
    try:
        return find_requester(db.session(), school_id=current_user.school_id, query=query)
    except IntakeError:
        return None


def _enter(form: CounterForm) -> WorkOrder | None:
    try:
        # the requester field is InputRequired: validated, not None
        requester = find_requester(db.session(), school_id=current_user.school_id, query=form.requester.data or "")
    except IntakeError:
        form.requester.errors = [*form.requester.errors, _("Several people have this phone number; enter the username instead.")]
        return None
    if requester is None:
        form.requester.errors = [*form.requester.errors, _("No one with this username or phone number was found.")]
        return None
    phone = form.contact_phone.data or requester.phone
    if not phone:
        form.contact_phone.errors = [*form.contact_phone.errors, _("The requester has no phone number on record; enter one.")]
        return None
    return submit_intake(form, channel=Channel(form.channel.data), requester_id=requester.id,
                         contact_name=form.contact_name.data or requester.display_name, contact_phone=phone,
                         entered_by_id=current_user.id)
