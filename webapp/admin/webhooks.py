"""Admin pages of the school's group-bot webhook targets (WeCom, DingTalk, Feishu): list, add, edit, remove.

Every change is audited; secrets are never shown again once saved (leave the field empty to keep one).
"""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.3; types-WTForms (3.2) lacks it
from wtforms.form import BaseForm
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from engine.audit import record
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from workflows.notifications.channels import BOT_LABELS
from workflows.notifications.models import WebhookTarget
from workflows.notifications.targets import TargetRefused, check_target
from workflows.notifications.titles import TITLES
from workflows.people.enums import Role

bp = Blueprint("admin_webhooks", __name__, url_prefix="/admin/webhooks")
ADMIN = Role.admin


def _http_url(_form: BaseForm, field: Field) -> None:
    parts = urlparse(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("Enter the bot's full web address, starting with https://"))
    try:  # no loopback, private or link-local targets (SSRF); checked again before every send
        check_target((field.data or "").strip(), allowed=current_app.config["HOUQIN_SETTINGS"].webhook_allow)
    except TargetRefused as err:
        raise ValidationError(_("This address cannot receive webhooks: %(reason)s", reason=err.said(locale_code()))) from None


def _known_kinds(_form: BaseForm, field: Field) -> None:
    unknown = [k.strip() for k in (field.data or "").split(",") if k.strip() and k.strip() not in TITLES]
    if unknown:
        raise ValidationError(_("Unknown notification kinds: %(kinds)s. Known: %(known)s",
                                kinds=", ".join(unknown), known=", ".join(sorted(TITLES))))


class TargetForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    kind = SelectField(_l("Bot"), choices=[SelectChoice(k, _l(label)) for k, label in BOT_LABELS.items()], validators=[InputRequired()])
    url = StringField(_l("Webhook address"), validators=[InputRequired(), Length(max=500), _http_url])
    secret = StringField(_l("Signing secret"), validators=[Optional(), Length(max=200)])
    kinds = StringField(_l("Only these notification kinds (comma-separated; empty for all)"),
                        validators=[Optional(), Length(max=500), _known_kinds])
    active = BooleanField(_l("Active"), default=True)


def _target(target_id: int) -> WebhookTarget:
    target = db.session().get(WebhookTarget, target_id)
    if target is None or target.school_id != current_user.school_id:
        abort(404)
    return target


def _audit(action: str, target: WebhookTarget) -> None:
    record(db.session(), action=action, actor=current_user.username, school_id=target.school_id,
           details={"target_id": target.id, "name": target.name, "kind": target.kind, "active": target.active})


def _save(form: TargetForm, target: WebhookTarget) -> None:
    # name and url are InputRequired: validated, neither is None
    target.name, target.kind, target.url = (form.name.data or "").strip(), form.kind.data, (form.url.data or "").strip()
    target.kinds = [k.strip() for k in (form.kinds.data or "").split(",") if k.strip()]
    target.active = bool(form.active.data)
    if form.secret.data:
        target.secret = form.secret.data.strip()


@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    targets = db.session().scalars(select(WebhookTarget).where(WebhookTarget.school_id == current_user.school_id)
                                   .order_by(WebhookTarget.id))
    return render_template("notifications/webhooks.html", targets=list(targets), kinds=BOT_LABELS, form=TargetForm())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new() -> ResponseReturnValue:
    if current_user.school_id is None:
        abort(403)
    form = TargetForm()
    if form.validate_on_submit():
        target = WebhookTarget(school_id=current_user.school_id)
        _save(form, target)
        db.session().add(target)
        db.session().flush()
        _audit("webhook.created", target)
        db.session().commit()
        flash(_("Webhook %(name)s saved.", name=target.name), "success")
        return redirect(url_for("admin_webhooks.index"))
    return render_template("notifications/webhook_form.html", form=form, target=None)


@bp.route("/<int:target_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(target_id: int) -> ResponseReturnValue:
    target = _target(target_id)
    form = TargetForm(obj=target)  # the posted form when there is one
    if not form.is_submitted():
        form.secret.data, form.kinds.data = "", ", ".join(target.kinds or [])
    if form.validate_on_submit():
        _save(form, target)
        _audit("webhook.changed", target)
        db.session().commit()
        flash(_("Webhook %(name)s saved.", name=target.name), "success")
        return redirect(url_for("admin_webhooks.index"))
    return render_template("notifications/webhook_form.html", form=form, target=target)


@bp.post("/<int:target_id>/delete")
@roles_required(ADMIN)
def delete(target_id: int) -> ResponseReturnValue:
    target = _target(target_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    _audit("webhook.deleted", target)
    db.session().delete(target)
    db.session().commit()
    flash(_("Webhook %(name)s removed.", name=target.name), "success")
    return redirect(url_for("admin_webhooks.index"))
