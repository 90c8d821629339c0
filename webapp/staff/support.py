"""What the staff pages share: the reader's access, the school's choice lists, and finding a person or certificate
of the reader's school (404 for another school's, 403 for a unit the reader may not see)."""
from __future__ import annotations

from datetime import date

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from webapp import db
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.people.models import OrgUnit, User
from workflows.people.timezone import local_today
from workflows.staff import access, register
from workflows.staff.models import Certificate, CertificateType, Post, StaffMember


def today() -> date:
    """The school's day."""
    return local_today(db.session(), school_id())


def reach() -> access.Reach:
    """The reader's units, worked out once a request: a page asks several times (its list, its unit choices,
    whether the reader may add or change)."""
    if "staff_reach" not in g:
        g.staff_reach = access.reach(db.session(), current_user)
    return g.staff_reach


def person_or_404(staff_id: int, *, manage: bool = False) -> StaffMember:
    """The reader's school's person; 403 unless the reader may read (``manage``: change) their unit's staff. A person
    reads their own page."""
    session = db.session()
    person = register.person_of(session, school_id=school_id(), staff_id=staff_id)
    if person is None:
        abort(404)
    check = reach().may_manage if manage else reach().may_read
    if not check(school_id=person.school_id, unit_id=person.unit_id) and (
            manage or person.user_id != current_user.id):
        abort(403)
    return person


def certificate_or_404(cert_id: int) -> Certificate:
    cert = db.session().get(Certificate, cert_id)
    if cert is None or cert.school_id != school_id():
        abort(404)
    return cert


def unit_choices(*, managed: bool) -> list[tuple[int, str]]:
    """The school's active units the reader may read (``managed``: change) staff of."""
    session = db.session()
    allowed = reach().managed if managed else reach().readable
    rows = session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id(), OrgUnit.active.is_(True))
                           .order_by(OrgUnit.id))
    return [(unit_id, name) for unit_id, name in rows if allowed is None or unit_id in allowed]


def post_choices() -> list[tuple[int, str]]:
    locale = locale_code()
    return [(p.id, p.name(locale)) for p in db.session().scalars(
        select(Post).where(Post.school_id == school_id(), Post.active.is_(True)).order_by(Post.id))]


def type_choices() -> list[tuple[int, str]]:
    locale = locale_code()
    return [(t.id, t.name(locale)) for t in db.session().scalars(
        select(CertificateType).where(CertificateType.school_id == school_id(), CertificateType.active.is_(True))
        .order_by(CertificateType.id))]


def account_choices() -> list[tuple[int, str]]:
    rows = db.session().execute(select(User.id, User.display_name, User.username).where(
        User.school_id == school_id(), User.active.is_(True)).order_by(User.display_name))
    return [(user_id, f"{name} ({username})") for user_id, name, username in rows]
