"""Per-user channel preferences and quiet hours.

In-app is always on. E-mail is on by default when the user has an address, unless switched off. Quiet hours
(local time: the school's time zone) hold back non-urgent e-mails until they end; urgent kinds always go.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.colours import Colour
from workflows.notifications.models import NotificationPreference, QuietHours
from workflows.people.models import User
from workflows.people.timezone import DEFAULT_TZ

OPTIONAL_CHANNELS = ("email",)


def is_urgent(kind: str, payload: dict | None) -> bool:
    """Kinds that ignore quiet hours: a red escalation and a bad rating."""
    payload = payload or {}
    return kind == "repair.bad_rating" or (kind == "repair.escalated" and payload.get("colour") == Colour.red)


def _preference(session: Session, user_id: int, channel: str) -> NotificationPreference | None:
    return session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user_id,
                                                               NotificationPreference.channel == channel))


def channel_enabled(session: Session, user: User, channel: str) -> bool:
    if channel == "inapp":
        return True
    if channel == "email" and not user.email:
        return False
    pref = _preference(session, user.id, channel)
    return True if pref is None else bool(pref.enabled)


def quiet_hours(session: Session, user_id: int) -> QuietHours | None:
    return session.get(QuietHours, user_id)


def quiet_until(hours: QuietHours | None, at: datetime, zone: ZoneInfo = DEFAULT_TZ) -> datetime | None:
    """The end (UTC) of the quiet period ``at`` falls in, or None when ``at`` is not in quiet hours; the hours are
    in ``zone``, the user's school's time zone."""
    if hours is None or hours.start == hours.end:
        return None
    local = at.astimezone(zone)
    t = local.time().replace(tzinfo=None)
    day = local.date()
    if hours.start < hours.end:
        if not hours.start <= t < hours.end:
            return None
    elif t >= hours.start:
        day = day + timedelta(days=1)
    elif t >= hours.end:
        return None
    return datetime.combine(day, hours.end, tzinfo=zone).astimezone(UTC)


def save(session: Session, user_id: int, *, email: bool, quiet_start: time | None, quiet_end: time | None) -> None:
    """Store the settings page: the e-mail switch and the quiet hours (both times, or none to clear them)."""
    pref = _preference(session, user_id, "email")
    if pref is None:
        pref = NotificationPreference(user_id=user_id, channel="email")
        session.add(pref)
    pref.enabled = email
    hours = session.get(QuietHours, user_id)
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        if hours is not None:
            session.delete(hours)
    elif hours is None:
        session.add(QuietHours(user_id=user_id, start=quiet_start, end=quiet_end))
    else:
        hours.start, hours.end = quiet_start, quiet_end
    session.flush()
