"""Each school's time zone: the one place local days and local times come from.

Times are stored in UTC. What people read as a day or a clock time — the date in an order number, "today" for
appointments and acting cover, the dashboard's and the reports' days, quiet hours, the times pages and e-mails
show — is in the school's time zone: ``school.timezone``, an IANA name (default :data:`DEFAULT_ZONE`) that the
school's administrator sets on the org-chart page. It is read with a plain query each time (the session's
identity map keeps the row for the rest of the request or job), so a change applies at once in every process.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy.orm import Session

from engine.clock import now
from workflows.people.models import DEFAULT_TIMEZONE, School

DEFAULT_ZONE = DEFAULT_TIMEZONE
DEFAULT_TZ = ZoneInfo(DEFAULT_ZONE)


def school_zone(session: Session, school_id: int | None) -> ZoneInfo:
    """The school's time zone; the default one for no school (accounts above every school) or an unknown id."""
    school = session.get(School, school_id) if school_id is not None else None
    return ZoneInfo(school.timezone) if school is not None else DEFAULT_TZ


def local_date(at: datetime, zone: ZoneInfo) -> date:
    """The calendar day in ``zone`` of the aware instant ``at``."""
    return at.astimezone(zone).date()


def local_today(session: Session, school_id: int | None) -> date:
    """The school's calendar day now."""
    return local_date(now(), school_zone(session, school_id))


def zone_names() -> list[str]:
    """The time zones a school can be in: IANA names such as ``Asia/Shanghai``, sorted."""
    return sorted(available_timezones() - {"localtime"})  # "localtime" is the server's own zone, not a place


def is_zone(name: str) -> bool:
    return name in zone_names()
