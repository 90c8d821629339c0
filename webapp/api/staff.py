"""The staff register through the API (read only): the list with the page's filters, one person with their
certificates, and the school's certificates by colour. The same access as the pages: the caller's school, and the
units their roles let them read (:mod:`workflows.staff.access`). A certificate's process and timeline are at
``GET /modules/staff/{key}``."""
from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from engine.paging import paged
from webapp import db
from webapp.api import views as api
from webapp.api.reads import _page_json, _paging
from workflows.people.timezone import local_today
from workflows.staff import access, register
from workflows.staff.certificates import colour_in_sql
from workflows.staff.enums import CertificateColour, CertificateStatus, StaffStatus
from workflows.staff.models import Certificate, StaffMember
from workflows.staff.readmodel import StaffFilter, certificate_dict, names, person_dict, staff_page

bp = Blueprint("staff_api", __name__, url_prefix="/api/v1")
api.use_json_errors(bp)


def _units() -> set[int] | None:
    units = access.readable_units(db.session(), g.api_user)
    if units == set():
        raise api.ApiError("forbidden", _("only administrators, unit leaders, supervisors and school leaders may read "
                                          "the staff register"), 403)
    return units


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/staff")
@api.token_required
def list_staff() -> ResponseReturnValue:
    session, school = db.session(), api.school_id()
    units, today = _units(), local_today(session, school)
    status = request.args.get("status") or None
    if status is not None and status not in set(StaffStatus):
        raise api.invalid({"status": [_("must be one of %(values)s", values=", ".join(StaffStatus))]})
    flt = StaffFilter(unit_id=_int("unit_id"), post_id=_int("post_id"), kind=request.args.get("kind") or None,
                      status=StaffStatus(status) if status else None, campus_id=_int("campus_id"),
                      words=request.args.get("q", "")[:80])
    page, per_page = _paging()
    named = names(session, school_id=school, locale=api.locale())
    shown = staff_page(session, school_id=school, flt=flt, on=today, units=units, page=page, per_page=per_page)
    body = [person_dict(session, p, today=today, named=named, certificates=False) for p in shown.rows]
    return jsonify({**_page_json("staff", shown), "staff": body})


@bp.get("/staff/<int:staff_id>")
@api.token_required
def get_staff(staff_id: int) -> ResponseReturnValue:
    session, school = db.session(), api.school_id()
    units = _units()
    person = register.person_of(session, school_id=school, staff_id=staff_id)
    if person is None or (units is not None and person.unit_id not in units):
        raise api.ApiError("not_found", _("there is no person %(id)s in the register", id=staff_id), 404)
    named = names(session, school_id=school, locale=api.locale())
    return jsonify(person_dict(session, person, today=local_today(session, school), named=named))


@bp.get("/certificates")
@api.token_required
def list_certificates() -> ResponseReturnValue:
    """Counting and waiting certificates; ``colour`` (valid, expiring, expired, pending) narrows them."""
    session, school = db.session(), api.school_id()
    units, today = _units(), local_today(session, school)
    wanted = request.args.get("colour") or None
    if wanted is not None and wanted not in set(CertificateColour):
        raise api.invalid({"colour": [_("must be one of %(values)s", values=", ".join(CertificateColour))]})
    stmt = (select(Certificate).join(StaffMember, StaffMember.id == Certificate.staff_id)
            .where(Certificate.school_id == school,
                   Certificate.status.in_([CertificateStatus.active, CertificateStatus.expired, CertificateStatus.pending_review]))
            .order_by(Certificate.valid_until, Certificate.id))
    if units is not None:
        stmt = stmt.where(StaffMember.unit_id.in_(units))
    if wanted is not None:
        stmt = stmt.where(colour_in_sql(today) == wanted)
    named = names(session, school_id=school, locale=api.locale())
    page, per_page = _paging()
    shown = paged(session, stmt, page=page, per_page=per_page,
                  shape=lambda found: [{**certificate_dict(c, today=today, named=named), "staff_id": c.staff_id}
                                       for c in found])
    return jsonify(_page_json("certificates", shown))
