"""The school's staff setup (administrators): posts, certificate types, and which certificate types each post and
each catalogue service item requires (a worker lacking one is not dispatched to the item)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp import db
from webapp.admin.forms import ADMIN
from webapp.auth import roles_required
from webapp.i18n import locale_code, refusal_text
from webapp.shared import school_id
from webapp.staff import support
from webapp.staff.forms import ERRORS, NamedForm, RequirementForm
from workflows.catalogue.models import CatalogueItem
from workflows.staff import setup
from workflows.staff.models import ItemCertificateType, Post, PostCertificateType

bp = Blueprint("staff_setup", __name__)


def _targets() -> list[tuple[str, str]]:
    """Posts (``post:<id>``) and service items (``item:<id>``) a requirement may be set on."""
    locale = locale_code()
    items = db.session().scalars(select(CatalogueItem).where(CatalogueItem.school_id == school_id(),
                                                             CatalogueItem.parent_id.is_not(None), CatalogueItem.active.is_(True))
                                 .order_by(CatalogueItem.code))
    return ([(f"post:{pid}", _("Post: %(name)s", name=name)) for pid, name in support.post_choices()]
            + [(f"item:{i.id}", _("Service item: %(code)s %(name)s", code=i.code, name=i.name(locale))) for i in items])


def _requirement_form() -> RequirementForm:
    form = RequirementForm(prefix="req")
    form.target.choices, form.type_ids.choices = _targets(), support.type_choices()
    return form


def _page(post_form: NamedForm, type_form: NamedForm, req_form: RequirementForm) -> str:
    session, school, locale = db.session(), school_id(), locale_code()
    posts = list(session.scalars(select(Post).where(Post.school_id == school).order_by(Post.id)))
    post_needs = session.execute(select(PostCertificateType.post_id, PostCertificateType.certificate_type_id)
                                 .join(Post, Post.id == PostCertificateType.post_id).where(Post.school_id == school)).all()
    item_needs = session.execute(select(CatalogueItem, ItemCertificateType.certificate_type_id)
                                 .join(ItemCertificateType, ItemCertificateType.catalogue_item_id == CatalogueItem.id)
                                 .where(CatalogueItem.school_id == school).order_by(CatalogueItem.code)).all()
    types = dict(support.type_choices())
    return render_template("staff/setup.html", post_form=post_form, type_form=type_form, req_form=req_form,
                           posts=posts, types=types, locale=locale, post_needs=post_needs, item_needs=item_needs)


@bp.get("/staff/setup")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    return _page(NamedForm(prefix="post", formdata=None), NamedForm(prefix="type", formdata=None), _requirement_form())


@bp.post("/staff/setup/<what>")
@roles_required(ADMIN)
def save(what: str) -> ResponseReturnValue:
    session = db.session()
    forms = {"post": NamedForm(prefix="post"), "type": NamedForm(prefix="type")}
    req_form = _requirement_form()
    try:
        if what in forms and forms[what].validate_on_submit():
            form = forms[what]
            saver = setup.save_post if what == "post" else setup.save_type
            saver(session, actor=current_user.username, school_id=school_id(), code=form.code.data or "",
                  name_zh=form.name_zh.data or "", name_en=form.name_en.data or "")
        elif what == "requirement" and req_form.validate_on_submit():
            kind, _sep, ident = (req_form.target.data or "").partition(":")
            setup.set_requirements(session, actor=current_user.username, school_id=school_id(),
                                   post_id=int(ident) if kind == "post" else None,
                                   item_id=int(ident) if kind == "item" else None, type_ids=set(req_form.type_ids.data or []))
        else:
            return _page(forms["post"], forms["type"], req_form), 400
        session.commit()
    except setup.SetupError as err:
        session.rollback()
        flash(refusal_text(ERRORS, err.field, err), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("staff_setup.index"))
