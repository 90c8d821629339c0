"""Making a complaint: the web portal (``/complaints/new``), the phone page (``/m/complaints/new``) and the clerk's
hotline page (``/complaints/hotline``). All three validate with :class:`~webapp.complaints.forms.ComplaintForm` and
submit through :func:`workflows.complaints.service.submit`; a refused complaint stores nothing."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp import db
from webapp.auth import roles_required
from webapp.complaints.forms import ERRORS, MAX_FILE_MB, MAX_FILES, ComplaintForm, HotlineForm
from webapp.i18n import locale_code, refusal_text
from webapp.kept_files import keep_uploads
from workflows.complaints.enums import Channel
from workflows.complaints.models import Complaint
from workflows.complaints.service import ComplaintError, Intake, submit
from workflows.people.enums import Role
from workflows.people.picker import STAFF
from workflows.repair.service import IntakeError, find_requester

bp = Blueprint("complaint_intake", __name__)


def _form(form_class: type[ComplaintForm]) -> ComplaintForm:
    form = form_class()
    session, school_id = db.session(), current_user.school_id
    staff = db.runtime().form_sources[STAFF](session, school_id=school_id, org_unit_id=None, locale=locale_code())
    form.fill_choices(session, school_id=school_id, staff=list(staff))
    return form


def _submit(form: ComplaintForm, *, channel: Channel, complainant_id: int | None, contact_name: str = "",
            contact_phone: str = "", entered_by_id: int | None = None) -> Complaint | None:
    """Keep the attachments and submit; on refusal put the error on its field, roll back and return None."""
    session = db.session()
    kept = keep_uploads(form.attachments, db.runtime().uploads_dir / str(current_user.school_id), max_files=MAX_FILES,
                        max_mb=MAX_FILE_MB)
    if kept is None:
        session.rollback()
        return None
    intake = Intake(kind=form.kind.data or "", category=form.category.data or "", channel=channel,
                    description=form.description.data or "", complainant_id=complainant_id,
                    anonymous=bool(form.anonymous.data), contact_name=contact_name, contact_phone=contact_phone,
                    target_unit_id=form.target_unit_id.data, target_person_id=form.target_person_id.data,
                    target_place=form.target_place.data or "", urgent=bool(form.urgent.data), entered_by_id=entered_by_id,
                    attachments=kept)
    try:
        complaint = submit(session, db.runtime().host, school_id=current_user.school_id, intake=intake)
        session.commit()
    except ComplaintError as err:
        session.rollback()
        target = form._fields.get(err.field)
        (target.errors if target is not None else form.form_errors).append(refusal_text(ERRORS, err.field, err))
        return None
    return complaint


def _own(mobile: bool) -> ResponseReturnValue:
    form = _form(ComplaintForm)
    if form.validate_on_submit():
        complaint = _submit(form, channel=Channel.phone if mobile else Channel.portal, complainant_id=current_user.id,
                            contact_name=current_user.display_name, contact_phone=current_user.phone or "")
        if complaint is not None:
            flash(_("Thank you. It is number %(number)s; follow it here.", number=complaint.number), "success")
            return redirect(url_for("complaints.mine_detail", number=complaint.number))
    return render_template("complaints/new.html", form=form, mobile=mobile, max_files=MAX_FILES, max_mb=MAX_FILE_MB)


@bp.route("/complaints/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    return _own(mobile=False)


@bp.route("/m/complaints/new", methods=["GET", "POST"])
@login_required
def mobile_new() -> ResponseReturnValue:
    return _own(mobile=True)


@bp.route("/complaints/hotline", methods=["GET", "POST"])
@roles_required(Role.clerk, Role.supervisor)
def hotline() -> ResponseReturnValue:
    """A clerk enters a complaint phoned in; the caller is found by username or phone when they want to be known."""
    form = _form(HotlineForm)
    assert isinstance(form, HotlineForm)
    if form.validate_on_submit():
        caller = None
        try:
            caller = find_requester(db.session(), school_id=current_user.school_id, query=form.caller.data or "")
        except IntakeError:
            form.caller.errors = [*form.caller.errors, _("Several people have this phone number; enter the username instead.")]
        if form.caller.data and caller is None and not form.caller.errors:
            form.caller.errors = [*form.caller.errors, _("No one with this username or phone number was found.")]
        if not form.caller.errors:
            complaint = _submit(form, channel=Channel.hotline, complainant_id=caller.id if caller else None,
                                contact_name=form.contact_name.data or (caller.display_name if caller else ""),
                                contact_phone=form.contact_phone.data or (caller.phone or "" if caller else ""),
                                entered_by_id=current_user.id)
            if complaint is not None:
                flash(_("Complaint %(number)s entered.", number=complaint.number), "success")
                return redirect(url_for("complaints.detail", number=complaint.number))
    return render_template("complaints/hotline.html", form=form, max_files=MAX_FILES, max_mb=MAX_FILE_MB)
