"""Helpers every area of the web app shares: the school of the signed-in user, the role names people read, dates
written with their weekday, the period a list's query string asks for (of the last days or months by default), what a
figure's drill-down list reads from its link, and the id a choice list sends."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import abort, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.clock import now
from webapp.i18n import locale_code, school_tz
from workflows.dashboard import local_day_bounds
from workflows.i18n import Message, translate
from workflows.months import add_months
from workflows.people.enums import Role

ROLE_LABELS: dict[str, Any] = {  # keyed by Role, read with role names too (a Role is its name)
    Role.requester: _l("Requester"), Role.clerk: _l("Service hall clerk"), Role.auditor: _l("Auditor"),
    Role.worker: _l("Maintenance worker"), Role.repair_centre: _l("Repair centre"), Role.deputy_leader: _l("Deputy leader"),
    Role.main_leader: _l("Main leader"), Role.supervisor: _l("Supervisor"), Role.school_leader: _l("School leader"),
    Role.process_owner: _l("Process owner"), Role.admin: _l("Administrator"),
}
LONGEST_PERIOD = timedelta(days=366)  # a list reaches back a year from its end at most


def school_id() -> int:
    """The signed-in user's school; 403 for a platform account, which has none."""
    if current_user.school_id is None:
        abort(403)
    return current_user.school_id


def format_when(moment: datetime | None, zone: str | None = None) -> str:
    """A date and time with the weekday, in ``zone`` (the user's school's time zone by default)."""
    if moment is None:
        return "—"
    tz = ZoneInfo(zone) if zone else school_tz()
    return format_datetime(moment, "yyyy-MM-dd HH:mm EEEE", tzinfo=tz, locale=get_locale())


def query_instant(name: str, default: datetime) -> datetime:
    """The instant the query argument ``name`` gives in ISO 8601 (a drill-down link's period), in UTC when it names
    no zone; ``default`` when it is missing or not a date."""
    try:
        value = datetime.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def query_period(first: datetime, after: datetime) -> tuple[datetime, datetime]:
    """The period from the ``start`` to the ``end`` query argument (``first`` and ``after`` when missing), cut to
    :data:`LONGEST_PERIOD` (or the default period, when that is longer) before its end: a link reaching further back
    cannot make a list read years of rows."""
    end = query_instant("end", after)
    return max(query_instant("start", first), end - max(LONGEST_PERIOD, after - first)), end


@dataclass(frozen=True)
class WholeMonths:
    """A list's default period in months: this month so far and the whole months before it, ``count`` in all (a
    month's rows are never cut), where others count days."""
    count: int


def query_recent_period(recent: int | WholeMonths) -> tuple[datetime, datetime]:
    """:func:`query_period` of a list whose default is the school's last ``recent`` days, today included, or its
    last :class:`WholeMonths`."""
    today = now().astimezone(school_tz()).date()
    if isinstance(recent, WholeMonths):
        first = add_months(today, 1 - recent.count)
    else:
        first = today - timedelta(days=recent - 1)
    return query_period(*local_day_bounds(first, today, school_tz()))


@dataclass(frozen=True)
class FigureScope:
    """A figure's drill-down list as its link asks for it: the figure (``show``, a key of ``conditions``), its period
    and its name in the page's language (``label``): what the list queries and what its page says of it."""
    show: str
    start: datetime
    end: datetime
    label: str
    conditions: Mapping[str, tuple[Message, Any]]

    def page(self) -> dict[str, Any]:
        """What the page's heading and ``_figure_filter.html`` are given."""
        return {"show": self.show, "start": self.start, "end": self.end, "label": self.label,
                "conditions": self.conditions}


def figure_scope(conditions: Mapping[str, tuple[Message, Any]], show: str | None, *,
                 recent: int | WholeMonths = 30) -> FigureScope:
    """The figure ``show`` among the list's ``conditions`` (404 for one the list does not count) over the period
    the link asks for: by default the school's last ``recent`` days, today included (a month unless the list keeps
    a shorter one), or its last :class:`WholeMonths`, a year at most unless that default is longer."""
    if show is None or show not in conditions:
        abort(404)
    start, end = query_recent_period(recent)
    return FigureScope(show, start, end, translate(conditions[show][0], locale_code()), conditions)


def optional_int(value: object) -> int | None:
    """A choice list's id, None for its empty choice (sent as "", or "None" when the list offers None): the coercion
    of a select that may be left empty."""
    return int(str(value)) if value not in (None, "", "None") else None
