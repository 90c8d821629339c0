"""Admin pages of the school's webhook subscribers (signed business events): list with the latest deliveries, add,
edit, renew the secret, remove.

A secret is shown once, on the page that follows its making (added or renewed); the receiver keeps it to verify
each delivery (docs/api-guide.md). Every change is in the change log (:mod:`workflows.hooks.admin`).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.validators import InputRequired, Length, Optional

from webapp import db
from webapp.admin.outbox import STATUS_LABELS
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.errors import FieldError
from workflows.hooks import admin as hooks
from workflows.hooks import delivery_errors
from workflows.hooks.enums import BusinessEvent
from workflows.hooks.labels import EVENT_WORDS
from workflows.hooks.models import HookSubscriber
from workflows.people.enums import Role

bp = Blueprint("admin_subscribers", __name__, url_prefix="/admin/subscribers")
ADMIN = Role.admin
RECENT = 50


class SubscriberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    url = StringField(_l("Receiving address"), validators=[InputRequired(), Length(max=500)])
    events = SelectMultipleField(_l("Events"), choices=[SelectChoice(e.value, _l(EVENT_WORDS[e])) for e in BusinessEvent],
                                 validators=[InputRequired()])
    secret = StringField(_l("Secret (empty: a new random one)"), validators=[Optional(), Length(min=hooks.SECRET_MIN, max=200)])
    active = BooleanField(_l("Active"), default=True)


def _subscriber(subscriber_id: int) -> HookSubscriber:
    found = hooks.subscriber(db.session(), school_id=school_id(), subscriber_id=subscriber_id)
    if found is None:
        abort(404)
    return found


def _entry(form: SubscriberForm) -> hooks.SubscriberInput:
    return hooks.SubscriberInput(name=(form.name.data or "").strip(), url=(form.url.data or "").strip(),
                                 events=tuple(BusinessEvent(e) for e in form.events.data or []),
                                 active=bool(form.active.data))


def _refused(form: SubscriberForm, err: FieldError) -> None:
    field = getattr(form, err.field, form.url)
    field.errors = [*field.errors, err.said(locale_code())]


def _allowed() -> frozenset[str]:
    return current_app.config["HOUQIN_SETTINGS"].webhook_allow


def _shown_secret(sub: HookSubscriber, secret: str) -> str:
    return render_template("admin/subscriber_secret.html", sub=sub, secret=secret)


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    """The subscribers and the latest deliveries to them (status, attempts, last error in the page's language)."""
    session = db.session()
    subs = hooks.subscribers(session, school_id=school_id())
    deliveries = hooks.deliveries(session, school_id=school_id(), limit=RECENT)
    errors = {d.id: delivery_errors.said(d, locale_code()) for d in deliveries}
    return render_template("admin/subscribers.html", subs=subs, deliveries=deliveries, events=EVENT_WORDS, errors=errors,
                           names={s.id: s.name for s in subs}, statuses=STATUS_LABELS, form=FlaskForm())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new() -> ResponseReturnValue:
    form = SubscriberForm()
    if form.validate_on_submit():
        session = db.session()
        try:
            sub, secret = hooks.create(session, actor=current_user.username, school_id=school_id(), entry=_entry(form),
                                       secret=(form.secret.data or "").strip() or None, allowed=_allowed())
        except FieldError as err:
            _refused(form, err)
        else:
            session.commit()
            return _shown_secret(sub, secret)
    return render_template("admin/subscriber_form.html", form=form, sub=None)


@bp.route("/<int:subscriber_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(subscriber_id: int) -> ResponseReturnValue:
    sub = _subscriber(subscriber_id)
    form = SubscriberForm(obj=sub)
    del form.secret  # changed only by renewing it
    if form.validate_on_submit():
        try:
            hooks.update(db.session(), actor=current_user.username, sub=sub, entry=_entry(form), allowed=_allowed())
        except FieldError as err:
            _refused(form, err)
        else:
            db.session().commit()
            flash(_("Subscriber %(name)s saved.", name=sub.name), "success")
            return redirect(url_for("admin_subscribers.index"))
    return render_template("admin/subscriber_form.html", form=form, sub=sub)


@bp.post("/<int:subscriber_id>/secret")
@roles_required(ADMIN)
def renew(subscriber_id: int) -> ResponseReturnValue:
    sub = _subscriber(subscriber_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    secret = hooks.renew_secret(db.session(), actor=current_user.username, sub=sub)
    db.session().commit()
    return _shown_secret(sub, secret)


@bp.post("/<int:subscriber_id>/delete")
@roles_required(ADMIN)
def delete(subscriber_id: int) -> ResponseReturnValue:
    sub = _subscriber(subscriber_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    hooks.delete(db.session(), actor=current_user.username, sub=sub)
    db.session().commit()
    flash(_("Subscriber %(name)s removed.", name=sub.name), "success")
    return redirect(url_for("admin_subscribers.index"))
