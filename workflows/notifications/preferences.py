"""Per-user channel preferences (a switch per channel, and per notification kind) and quiet hours.

In-app is always on. Every other channel is on by default when the user can be reached by it (an e-mail address,
a phone number, a binding), unless switched off, as a whole or for some kinds. Quiet hours (local time: the
school's time zone) hold back non-urgent personal messages until they end; urgent kinds always go.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.colours import Colour
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.models import NotificationPreference, QuietHours
from workflows.people.models import User
from workflows.people.timezone import DEFAULT_TZ

ALL_KINDS = ""  # the ``kind`` of a channel's own switch


def is_urgent(kind: str, payload: dict | None) -> bool:
    """Kinds that ignore quiet hours: a red escalation, the chase of a red order and a bad rating."""
    payload = payload or {}
    return kind == "repair.bad_rating" or (kind in ("repair.escalated", "repair.urged") and payload.get("colour") == Colour.red)


def _preference(session: Session, user_id: int, channel: str, kind: str = ALL_KINDS) -> NotificationPreference | None:
    return session.scalar(select(NotificationPreference).where(NotificationPreference.user_id == user_id,
                                                               NotificationPreference.channel == channel,
                                                               NotificationPreference.kind == kind))


def channel_enabled(session: Session, user: User, channel: str, kind: str | None = None) -> bool:
    """Whether ``user`` wants ``channel`` at all (``kind`` None) or for notifications of ``kind``."""
    if channel == "inapp":
        return True
    if channel == "email" and not user.email:
        return False
    kinds = (ALL_KINDS,) if kind is None else (ALL_KINDS, kind)
    rows = session.scalars(select(NotificationPreference.enabled).where(
        NotificationPreference.user_id == user.id, NotificationPreference.channel == channel,
        NotificationPreference.kind.in_(kinds)))
    return all(rows)


def kinds_off(session: Session, user_id: int) -> dict[str, set[str]]:
    """Per channel, the kinds ``user_id`` switched off (the settings page's table)."""
    off: dict[str, set[str]] = {}
    rows = session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user_id,
                                                                NotificationPreference.kind != ALL_KINDS,
                                                                NotificationPreference.enabled.is_(False)))
    for row in rows:
        off.setdefault(row.channel, set()).add(row.kind)
    return off


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


def _set(session: Session, user_id: int, channel: str, kind: str, enabled: bool) -> None:
    pref = _preference(session, user_id, channel, kind)
    if pref is None:
        pref = NotificationPreference(user_id=user_id, channel=channel, kind=kind)
        session.add(pref)
    pref.enabled = enabled


def save(session: Session, user_id: int, *, switches: Mapping[PersonalChannel, bool], quiet_start: time | None,
         quiet_end: time | None, kinds: Mapping[PersonalChannel, tuple[Collection[str], Collection[str]]] | None = None) -> None:
    """Store the settings page: the channels' switches, per channel the kinds shown and those left on
    (``kinds[channel] = (shown, on)``; a kind switched back on loses its row), and the quiet hours (both times,
    or none to clear them)."""
    for channel, enabled in switches.items():
        _set(session, user_id, channel, ALL_KINDS, enabled)
    for channel, (shown, on) in (kinds or {}).items():
        for kind in shown:
            if kind in on:
                row = _preference(session, user_id, channel, kind)
                if row is not None:
                    session.delete(row)
            else:
                _set(session, user_id, channel, kind, False)
    hours = session.get(QuietHours, user_id)
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        if hours is not None:
            session.delete(hours)
    elif hours is None:
        session.add(QuietHours(user_id=user_id, start=quiet_start, end=quiet_end))
    else:
        hours.start, hours.end = quiet_start, quiet_end
    session.flush()
