"""Rating without logging in: a signed, expiring link or QR code opens the rating form for the order."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from forms.builder import build_form_class, submitted_data
from webapp import db
from webapp.i18n import locale_code
from workflows.repair import rating_links
from workflows.repair.models import WorkOrder
from workflows.repair.service import by_number, may_view

bp = Blueprint("rating", __name__)


def _nothing_to_rate() -> str:
    return _("Thank you: this order has no rating waiting. It was rated already or is still being handled.")


def link_for(order: WorkOrder) -> str:
    token = rating_links.make_token(current_app.config["SECRET_KEY"], school_id=order.school_id, order_number=order.number)
    return url_for("rating.rate", token=token, _external=True)


def _render_closed(message: str, status: int) -> tuple[str, int]:
    return render_template("rating/closed.html", message=message), status


@bp.route("/r/<token>", methods=["GET", "POST"])
def rate(token: str) -> ResponseReturnValue:
    session = db.session()
    runtime = db.runtime()
    try:
        order, task = rating_links.open_rating(session, runtime.rules, current_app.config["SECRET_KEY"], token)
    except rating_links.LinkInvalid as err:
        if err.expired:
            return _render_closed(_("This rating link has expired."), 410)
        return _render_closed(_("This rating link is not valid."), 404)
    except rating_links.NothingToRate:
        return _render_closed(_nothing_to_rate(), 409)
    definition = runtime.forms[task.form_key or ""]  # a rating task always names its form
    # built on FlaskForm (typed as a plain Form): it has validate_on_submit
    form: FlaskForm = build_form_class(definition, base=FlaskForm, locale=locale_code())()
    if form.validate_on_submit():
        try:
            rating_links.submit_rating(runtime.host, session, order=order, task=task, data=submitted_data(definition, form))
            session.commit()
        except rating_links.NothingToRate:
            session.rollback()
            return _render_closed(_nothing_to_rate(), 409)
        return render_template("rating/thanks.html", order=order)
    return render_template("rating/form.html", order=order, form=form, definition=definition, locale=locale_code())


@bp.get("/orders/<number>/rating-qr.<fmt>")
@login_required
def qr(number: str, fmt: str) -> ResponseReturnValue:
    """The QR code for the job sheet: SVG for printing, PNG for chat apps."""
    session = db.session()
    order = by_number(session, school_id=current_user.school_id, number=number)
    if order is None or not may_view(session, current_user, order) or current_user.id == order.worker_id:
        abort(404)  # the worker who did the job never gets the link to rate it
    url = link_for(order)
    if fmt == "svg":
        return Response(rating_links.qr_svg(url), mimetype="image/svg+xml")
    if fmt == "png":
        return Response(rating_links.qr_png(url), mimetype="image/png")
    abort(404)
