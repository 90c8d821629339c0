"""Check-in points: kiosks and vendors' terminals with their own token (shown once, kept as SHA-256), and post QR
codes people scan with their own phone. Each is bound to a post and a building of the school."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from workflows.adminlog import record_change
from workflows.attendance.enums import AttendanceAction, PointKind
from workflows.attendance.models import CheckinPoint
from workflows.catalogue.models import Building
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.staff.models import Post


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_point(session: Session, *, school_id: int, kind: PointKind, name: str, post_id: int, building_id: int | None,
              actor: str, user_id: int | None) -> tuple[CheckinPoint, str | None]:
    """A new point and, for a kiosk or terminal, its token: the only time anyone sees it."""
    name = name.strip()
    if not name:
        raise FieldError("name", N_("Give the check-in point a name."))
    post = session.get(Post, post_id)
    if post is None or post.school_id != school_id:
        raise FieldError("post_id", N_("Choose a post of this school."))
    if building_id is not None:
        building = session.get(Building, building_id)
        if building is None or building.school_id != school_id:
            raise FieldError("building_id", N_("Choose a building of this school."))
    token = None if kind is PointKind.post_qr else secrets.token_urlsafe(32)
    point = CheckinPoint(school_id=school_id, kind=kind, name=name, post_id=post_id, building_id=building_id,
                         token_hash=token_digest(token) if token else None,
                         code=secrets.token_urlsafe(12) if kind is PointKind.post_qr else None, created_by_id=user_id)
    session.add(point)
    session.flush()
    record_change(session, actor=actor, action=AttendanceAction.point_added, school_id=school_id,
                  target=f"checkin_point:{point.id}",
                  after={"kind": kind.value, "name": name, "post_id": post_id, "building_id": building_id})
    return point, token


def revoke_point(session: Session, point: CheckinPoint, *, actor: str) -> None:
    """The point stops working at once (its token or QR code is refused from now on)."""
    if not point.active:
        return
    point.active = False
    record_change(session, actor=actor, action=AttendanceAction.point_revoked, school_id=point.school_id,
                  target=f"checkin_point:{point.id}", before={"active": True}, after={"active": False})


def point_by_token(session: Session, token: str) -> CheckinPoint | None:
    """The active kiosk or terminal holding ``token``; None for an unknown, revoked or empty one."""
    if not token:
        return None
    point = session.scalar(select(CheckinPoint).where(CheckinPoint.token_hash == token_digest(token)))
    if point is None or not point.active or point.kind == PointKind.post_qr:
        return None
    point.last_seen_at = now()
    return point


def point_by_code(session: Session, code: str) -> CheckinPoint | None:
    """The active post QR point of ``code`` (printed at the post); None otherwise."""
    point = session.scalar(select(CheckinPoint).where(CheckinPoint.code == code)) if code else None
    return point if point is not None and point.active and point.kind == PointKind.post_qr else None


def points_of(session: Session, school_id: int) -> list[CheckinPoint]:
    return list(session.scalars(select(CheckinPoint).where(CheckinPoint.school_id == school_id)
                                .order_by(CheckinPoint.active.desc(), CheckinPoint.name)))
