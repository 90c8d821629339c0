"""The staff register's pages: the list with its filters (``/staff``), a person's page with their post, the
certificates their post requires and the ones they hold in colour, adding and editing a person, recording that
they left, adding a certificate or uploading a renewal with its scan, and serving a scan. Every page is the reader's
school only and asks :mod:`workflows.staff.access` for the person's unit."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.db import get_locked
from engine.models import AuditEvent
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, refusal_text
from webapp.kept_files import keep_uploads, send_kept
from webapp.shared import school_id
from webapp.staff import support
from webapp.staff.forms import ERRORS, CertificateForm, LeaveForm, PersonForm
from workflows.errors import FieldError
from workflows.people.models import Campus
from workflows.staff import access, certificates, register
from workflows.staff.enums import EmploymentKind, StaffStatus
from workflows.staff.labels import ACTION_WORDS, CERTIFICATE_STATUS_WORDS, COLOUR_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.staff.models import Certificate, StaffMember
from workflows.staff.readmodel import StaffFilter, certificate_dict, names, person_dict, staff_page

bp = Blueprint("staff", __name__)
SCAN_MB = 8


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _words() -> dict[str, dict[str, str]]:
    return {"kind": {k: _(v) for k, v in KIND_WORDS.items()}, "status": {k: _(v) for k, v in STATUS_WORDS.items()},
            "colour": {k: _(v) for k, v in COLOUR_WORDS.items()},
            "cert_status": {k: _(v) for k, v in CERTIFICATE_STATUS_WORDS.items()},
            "action": {k: _(v) for k, v in ACTION_WORDS.items()}}


@bp.get("/staff")
@roles_required(*access.STAFF_ROLES)
def index() -> ResponseReturnValue:
    session, school = db.session(), school_id()
    status = request.args.get("status", StaffStatus.active)
    flt = StaffFilter(unit_id=_int("unit"), post_id=_int("post"), kind=request.args.get("kind") or None,
                      status=StaffStatus(status) if status in set(StaffStatus) else None, campus_id=_int("campus"),
                      words=request.args.get("q", "")[:80])
    today = support.today()
    page = staff_page(session, school_id=school, flt=flt, on=today, units=support.reach().readable,
                      page=_int("page") or 1)
    named = names(session, school_id=school, locale=locale_code())
    held = certificates.latest(session, staff_ids=[p.id for p in page.rows])
    colours = {p.id: [certificate_dict(c, today=today, named=named) for c in held.get(p.id, [])] for p in page.rows}
    args = {k: v for k, v in request.args.items() if k != "page"}
    campuses = session.execute(select(Campus.id, Campus.name).where(Campus.school_id == school)).all()
    return render_template("staff/index.html", page=page, flt=flt, status=status, named=named, colours=colours,
                           words=_words(), args=args, today=today, campuses=campuses,
                           units=support.unit_choices(managed=False), posts=support.post_choices(),
                           may_add=support.reach().managed != set())


def _history(person: StaffMember) -> list[AuditEvent]:
    return list(db.session().scalars(select(AuditEvent).where(
        AuditEvent.school_id == person.school_id, AuditEvent.details["target"].as_string() == f"staff:{person.id}")
        .order_by(AuditEvent.id.desc()).limit(50)))


@bp.get("/staff/<int:staff_id>")
@login_required
def person(staff_id: int) -> ResponseReturnValue:
    session = db.session()
    found = support.person_or_404(staff_id)
    today = support.today()
    named = names(session, school_id=found.school_id, locale=locale_code())
    body = person_dict(session, found, today=today, named=named)
    required = certificates.required_by_post(session, post_ids=[found.post_id] if found.post_id else [])
    held = certificates.valid_types(session, staff_ids=[found.id], on=today).get(found.id, set())
    needs = [(named["types"].get(t, ""), t in held) for t in sorted(required.get(found.post_id or 0, set()))]
    manage = support.reach().may_manage(school_id=found.school_id, unit_id=found.unit_id)
    return render_template("staff/person.html", person=found, body=body, needs=needs, words=_words(), manage=manage,
                           own=found.user_id == current_user.id, history=_history(found),
                           leave_form=LeaveForm(formdata=None, left_on=today) if manage and found.left_on is None else None)


def _person_form(form: PersonForm) -> PersonForm:
    form.unit_id.choices = support.unit_choices(managed=True)
    form.post_id.choices = [("", "—"), *support.post_choices()]
    form.user_id.choices = [("", _("— no login —")), *support.account_choices()]
    return form


def _input(form: PersonForm) -> register.StaffInput:
    return register.StaffInput(number=form.number.data or "", name=form.name.data or "", unit_id=form.unit_id.data,
                               post_id=form.post_id.data, kind=form.kind.data or EmploymentKind.own,
                               contractor=form.contractor.data or "", phone=form.phone.data or "",
                               started_on=form.started_on.data, user_id=form.user_id.data)


def _refused(form: Any, err: FieldError) -> None:
    target = form[err.field] if err.field in form else form[next(iter(form.data))]
    target.errors = [*target.errors, refusal_text(ERRORS, err.field, err)]


@bp.route("/staff/new", methods=["GET", "POST"])
@roles_required(*access.STAFF_ROLES)
def new() -> ResponseReturnValue:
    form = _person_form(PersonForm())
    if not form.unit_id.choices:
        abort(403)
    if form.validate_on_submit():
        session = db.session()
        if not support.reach().may_manage(school_id=school_id(), unit_id=form.unit_id.data):
            abort(403)
        try:
            created = register.create(session, actor=current_user.username, school_id=school_id(), data=_input(form))
            session.commit()
        except register.StaffError as err:
            session.rollback()
            _refused(form, err)
        else:
            flash(_("%(name)s was added to the register.", name=created.name), "success")
            return redirect(url_for("staff.person", staff_id=created.id))
    return render_template("staff/edit.html", form=form, person=None)


@bp.route("/staff/<int:staff_id>/edit", methods=["GET", "POST"])
@login_required
def edit(staff_id: int) -> ResponseReturnValue:
    found = support.person_or_404(staff_id, manage=True)
    form = _person_form(PersonForm(obj=found) if request.method == "GET" else PersonForm())
    if form.validate_on_submit():
        session = db.session()
        get_locked(session, StaffMember, found.id)
        if not support.reach().may_manage(school_id=found.school_id, unit_id=form.unit_id.data):
            abort(403)
        try:
            register.update(session, actor=current_user.username, person=found, data=_input(form))
            session.commit()
        except register.StaffError as err:
            session.rollback()
            _refused(form, err)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("staff.person", staff_id=found.id))
    return render_template("staff/edit.html", form=form, person=found)


@bp.post("/staff/<int:staff_id>/leave")
@login_required
def leave(staff_id: int) -> ResponseReturnValue:
    found = support.person_or_404(staff_id, manage=True)
    form = LeaveForm()
    if form.validate_on_submit() and form.left_on.data is not None:
        session = db.session()
        get_locked(session, StaffMember, found.id)
        try:
            register.leave(session, actor=current_user.username, person=found, left_on=form.left_on.data,
                           reason=form.reason.data or "")
            session.commit()
        except register.StaffError as err:
            session.rollback()
            flash(err.said(locale_code()), "error")
            return redirect(url_for("staff.person", staff_id=found.id))
        flash(_("%(name)s leaves on %(day)s; their history stays in the register.", name=found.name,
                day=found.left_on.isoformat() if found.left_on else ""), "success")
    else:
        flash(_("Give the first day no longer in service."), "error")
    return redirect(url_for("staff.person", staff_id=found.id))


def _certificate_form(renewing: Certificate | None = None) -> CertificateForm:
    form = CertificateForm()
    form.type_id.choices = support.type_choices()
    if renewing is not None:
        form.type_id.choices = [c for c in form.type_id.choices if c[0] == renewing.type_id]
    return form


def _certificate_input(form: CertificateForm, scan: dict | None) -> certificates.CertificateInput:
    assert form.valid_from.data is not None and form.valid_until.data is not None
    return certificates.CertificateInput(type_id=form.type_id.data, number=form.number.data or "",
                                         issuer=form.issuer.data or "", valid_from=form.valid_from.data,
                                         valid_until=form.valid_until.data, scan=scan)


def _kept_scan(form: CertificateForm) -> tuple[bool, dict | None]:
    kept = keep_uploads(form.scan, db.runtime().uploads_dir / str(school_id()), max_files=1, max_mb=SCAN_MB)
    return kept is not None, (kept[0] if kept else None)


@bp.route("/staff/<int:staff_id>/certificates/new", methods=["GET", "POST"])
@login_required
def add_certificate(staff_id: int) -> ResponseReturnValue:
    """A manager adds a certificate that counts at once; the person themselves uploads one for review."""
    found = support.person_or_404(staff_id)
    session = db.session()
    manage = support.reach().may_manage(school_id=found.school_id, unit_id=found.unit_id)
    if not manage and found.user_id != current_user.id:
        abort(403)
    form = _certificate_form()
    if form.validate_on_submit():
        ok, scan = _kept_scan(form)
        if ok:
            try:
                certificates.add(session, db.runtime().host, actor=current_user.username, user_id=current_user.id,
                                 person=found, data=_certificate_input(form, scan), review=not manage)
                session.commit()
            except certificates.CertificateError as err:
                session.rollback()
                _refused(form, err)
            else:
                flash(_("The certificate was added.") if manage else _("The certificate was sent for review."), "success")
                return redirect(url_for("staff.person", staff_id=found.id))
        else:
            session.rollback()
    return render_template("staff/certificate.html", form=form, person=found, renewing=None)


@bp.route("/staff/certificates/<int:cert_id>/renew", methods=["GET", "POST"])
@login_required
def renew(cert_id: int) -> ResponseReturnValue:
    """A renewal with its scan: the unit's leader (or an administrator) reviews it before it counts."""
    cert = support.certificate_or_404(cert_id)
    found = support.person_or_404(cert.staff_id)
    session = db.session()
    if not support.reach().may_manage(school_id=found.school_id, unit_id=found.unit_id) \
            and found.user_id != current_user.id:
        abort(403)
    form = _certificate_form(cert)
    if form.validate_on_submit():
        ok, scan = _kept_scan(form)
        if ok:
            try:
                get_locked(session, Certificate, cert.id)
                certificates.upload_renewal(session, db.runtime().host, actor=current_user.username,
                                            user_id=current_user.id, current=cert, data=_certificate_input(form, scan))
                session.commit()
            except certificates.CertificateError as err:
                session.rollback()
                _refused(form, err)
            else:
                flash(_("The renewal was sent for review."), "success")
                return redirect(url_for("staff.person", staff_id=found.id))
        else:
            session.rollback()
    elif request.method == "GET":
        form.type_id.data, form.issuer.data = cert.type_id, cert.issuer
        form.valid_from.data = date.fromordinal(cert.valid_until.toordinal() + 1)
    return render_template("staff/certificate.html", form=form, person=found, renewing=cert)


@bp.get("/staff/certificates/<int:cert_id>/scan")
@login_required
def scan(cert_id: int) -> ResponseReturnValue:
    cert = support.certificate_or_404(cert_id)
    support.person_or_404(cert.staff_id)
    return send_kept(db.runtime().uploads_dir / str(cert.school_id), cert.scan)
