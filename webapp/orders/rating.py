"""Rating by link: a signed, expiring link or QR code opens the rating form for the order, for the requester only.

The requester's own order page carries their own link. A staff member (the service-hall clerk at the counter, an
auditor on a visit) shows the code from ``/orders/<number>/rating-code``: that showing is audited, and whoever opens
such a code confirms being the requester with the last four digits of the contact phone or by logging in. A browser
logged in as anyone else is refused (see :mod:`workflows.repair.rating_links`).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import StringField
from wtforms.validators import InputRequired, Regexp

from forms.builder import build_form_class, submitted_data
from forms.schema import FormDefinition
from webapp import db, throttle
from webapp.auth import roles_required
from webapp.i18n import locale_code
from workflows.qr import qr_png, qr_svg
from workflows.repair import rating_links
from workflows.repair.enums import Confirmation
from workflows.repair.models import WorkOrder
from workflows.repair.service import STAFF_ROLES, by_number, may_view

bp = Blueprint("rating", __name__)


def _nothing_to_rate() -> str:
    return _("Thank you: this order has no rating waiting. It was rated already or is still being handled.")


def _secret() -> str:
    return str(current_app.config["SECRET_KEY"])


def link_for(order: WorkOrder) -> str:
    """The requester's own link (their order page): no confirmation asked."""
    token = rating_links.make_token(_secret(), school_id=order.school_id, order_number=order.number)
    return url_for("rating.rate", token=token, _external=True)


def _render_closed(message: str, status: int) -> tuple[str, int]:
    return render_template("rating/closed.html", message=message), status


def _rating_form(definition: FormDefinition, *, ask_digits: bool) -> FlaskForm:
    form_class = build_form_class(definition, base=FlaskForm, locale=locale_code())
    if ask_digits:
        digits = StringField(_l("Last four digits of your contact phone"),
                             validators=[InputRequired(_l("Enter the last four digits of the phone you gave.")),
                                         Regexp(r"^\s*\d{4}\s*$", message=_l("Enter four digits."))],
                             render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4})
        form_class = type("ConfirmedRatingForm", (form_class,), {"phone_last4": digits})
    form: FlaskForm = form_class()
    return form


@bp.route("/r/<token>", methods=["GET", "POST"])
def rate(token: str) -> ResponseReturnValue:
    session = db.session()
    runtime = db.runtime()
    try:
        link = rating_links.open_rating(session, runtime.rules, _secret(), token)
    except rating_links.LinkInvalid as err:
        if err.expired:
            return _render_closed(_("This rating link has expired."), 410)
        return _render_closed(_("This rating link is not valid."), 404)
    except rating_links.NothingToRate:
        return _render_closed(_nothing_to_rate(), 409)
    order = link.order
    user_id = current_user.id if current_user.is_authenticated else None
    login_url = url_for("auth.login", next=request.path)
    try:
        ask_digits = rating_links.proof_needed(link, user_id=user_id) is Confirmation.PHONE
    except rating_links.NotTheRequester:
        return _render_closed(_("Only the person who reported this repair can rate it. Please hand them the code "
                                "to scan with their own phone."), 403)
    except rating_links.LoginNeeded:
        return render_template("rating/login_needed.html", order=order, login_url=login_url), 401
    definition = runtime.forms[link.task.form_key or ""]  # a rating task always names its form
    form = _rating_form(definition, ask_digits=ask_digits)
    if form.validate_on_submit():
        digits = form.phone_last4.data if ask_digits else None  # added by _rating_form
        try:
            confirmation = rating_links.confirm(link, user_id=user_id, digits=digits)
            rating_links.submit_rating(runtime.host, session, link=link, data=submitted_data(definition, form),
                                       confirmation=confirmation)
            session.commit()
        except rating_links.WrongDigits:
            throttle.attempt_failed()
            form.phone_last4.errors = [_("These digits do not match the phone given with the order.")]
        except rating_links.NothingToRate:
            session.rollback()
            return _render_closed(_nothing_to_rate(), 409)
        else:
            return render_template("rating/thanks.html", order=order)
    return render_template("rating/form.html", order=order, form=form, definition=definition, locale=locale_code(),
                           ask_digits=ask_digits, login_url=login_url,
                           job=rating_links.rated_job(session, order, locale=locale_code()))


@bp.get("/orders/<number>/rating-code")
@roles_required(*sorted(STAFF_ROLES))
def show_code(number: str) -> ResponseReturnValue:
    """The code a staff member holds up for the requester to scan; each showing is in the order's timeline."""
    session = db.session()
    order = by_number(session, school_id=current_user.school_id, number=number)
    if order is None or not may_view(session, current_user, order, db.runtime().rules) or current_user.id == order.worker_id:
        abort(404)  # the worker who did the job never gets the code to rate it
    try:
        token = rating_links.show_code(session, order=order, shown_by=current_user, secret=_secret())
    except rating_links.NothingToRate:
        return _render_closed(_nothing_to_rate(), 409)
    session.commit()
    url = url_for("rating.rate", token=token, _external=True)
    svg = Markup(qr_svg(url).decode())  # made by qrcode from our own URL: nothing of the user's in it
    return render_template("rating/show.html", order=order, url=url, svg=svg)


@bp.get("/orders/<number>/rating-qr.<fmt>")
@login_required
def qr(number: str, fmt: str) -> ResponseReturnValue:
    """The requester's own QR code (SVG for printing, PNG for chat apps); staff show theirs from ``rating-code``."""
    order = by_number(db.session(), school_id=current_user.school_id, number=number)
    if order is None or current_user.id != order.requester_id:
        abort(404)
    url = link_for(order)
    if fmt == "svg":
        return Response(qr_svg(url), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(qr_png(url), mimetype="image/png")
    abort(404)
