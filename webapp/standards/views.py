"""The standards library's pages: the list with its search and one document (any staff member of the school, on a
phone too), and writing a document or its next version (the quality office and administrators). Every page reads
the reader's school only: another school's code is a 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.standards.forms import ERRORS, StandardForm, fill_choices
from workflows.people.enums import Role
from workflows.people.service import role_names
from workflows.standards import service
from workflows.standards.labels import SERVICE_WORDS
from workflows.standards.models import StandardDocument
from workflows.standards.service import StandardError, Writing

bp = Blueprint("standards", __name__)
EDITOR_ROLES = (Role.admin, Role.supervisor)


def _document(code: str) -> StandardDocument:
    document = service.by_code(db.session(), school_id=current_user.school_id, code=code)
    if document is None:
        abort(404)
    return document


@bp.get("/standards")
@login_required
def index() -> ResponseReturnValue:
    words, kind = request.args.get("q", "")[:100], request.args.get("type", "")
    found = service.search(db.session(), school_id=current_user.school_id, words=words,
                           service_type=kind if kind in SERVICE_WORDS else None)
    return render_template("standards/index.html", found=found, words=words, kind=kind, service_words=SERVICE_WORDS,
                           may_edit=_may_edit())


@bp.get("/standards/<code>")
@login_required
def detail(code: str) -> ResponseReturnValue:
    """The current version, or an older one (``?version=2``), with the list of versions."""
    session, document = db.session(), _document(code)
    version = service.version_of(session, document, request.args.get("version", type=int))
    if version is None:
        abort(404)
    return render_template("standards/detail.html", document=document, version=version,
                           versions=service.versions(session, document), service_words=SERVICE_WORDS, may_edit=_may_edit())


def _may_edit() -> bool:
    return bool(role_names(current_user) & set(EDITOR_ROLES))


def _refused(form: StandardForm, err: StandardError) -> None:
    db.session().rollback()
    target = form._fields.get(err.field)
    message = str(ERRORS.get(err.field, _("This cannot be saved.")))
    if target is not None:
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


@bp.route("/standards/new", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def new() -> ResponseReturnValue:
    session = db.session()
    form = StandardForm()
    fill_choices(form, session, school_id=current_user.school_id, locale=locale_code())
    if form.validate_on_submit():
        try:
            document = service.create(session, school_id=current_user.school_id, code=form.code.data or "",
                                      service_type=form.service_type.data or "", catalogue_item_id=form.catalogue_item_id.data,
                                      writing=Writing(title=form.title.data or "", items=form.items.data or ""),
                                      author=current_user)
            session.commit()
        except StandardError as err:
            _refused(form, err)
        else:
            flash(_("Standard %(code)s saved.", code=document.code), "success")
            return redirect(url_for("standards.detail", code=document.code))
    return render_template("standards/edit.html", form=form, document=None)


@bp.route("/standards/<code>/edit", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def edit(code: str) -> ResponseReturnValue:
    """Write the next version; the current one stays readable as an older version."""
    session, document = db.session(), _document(code)
    current = service.version_of(session, document)
    assert current is not None
    form = StandardForm(data={"code": document.code, "service_type": document.service_type, "title": current.title,
                              "catalogue_item_id": document.catalogue_item_id,
                              "items": "\n".join(f"{i['number']} {i['text']}" for i in current.items)})
    fill_choices(form, session, school_id=current_user.school_id, locale=locale_code())
    form.code.data, form.service_type.data = document.code, document.service_type  # neither changes with a version
    if form.validate_on_submit():
        try:
            version = service.revise(session, document, writing=Writing(title=form.title.data or "", items=form.items.data or "",
                                                                        note=form.note.data or ""),
                                     author=current_user, catalogue_item_id=form.catalogue_item_id.data)
            session.commit()
        except StandardError as err:
            _refused(form, err)
        else:
            flash(_("Version %(version)d of %(code)s saved.", version=version.version, code=document.code), "success")
            return redirect(url_for("standards.detail", code=document.code))
    return render_template("standards/edit.html", form=form, document=document)
