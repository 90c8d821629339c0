"""How a report shows a value of each kind: the Excel cell (a real number, date or percentage with its number
format; words in the report's language) and the text the PDF prints ("98.5%", "12.5", "—").

Stored values never reach a reader as they are: a status, colour, urgency or appeal is its catalog word, a
flag is Yes/No, a rate is a percentage, a duration is in hours, a time is the school's clock, and rating rounds
count from 1 (round 0 is the first rating).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from workflows.assessment.labels import GRADE_WORDS
from workflows.colours import COLOUR_WORDS
from workflows.i18n import N_, Message, translate
from workflows.repair.labels import APPEAL_WORDS, STATUS_WORDS, URGENCY_WORDS


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"  # a fraction: 0.985 is 98.5 %
    HOURS = "hours"  # seconds or a timedelta, shown in hours
    MOMENT = "moment"  # an aware datetime, shown on the school's clock
    DAY = "day"  # a date or an ISO date string
    SCORE = "score"
    ROUND = "round"  # stored from 0
    YES_NO = "yes_no"
    STATUS = "status"
    COLOUR = "colour"
    URGENCY = "urgency"
    APPEAL = "appeal"
    POINTS = "points"  # assessment points, to two decimals
    GRADE = "grade"  # an assessment grade


NUMBER_FORMATS = {Kind.COUNT: "0", Kind.PERCENT: "0.0%", Kind.HOURS: "0.0", Kind.MOMENT: "yyyy-mm-dd hh:mm",
                  Kind.DAY: "yyyy-mm-dd", Kind.SCORE: "0", Kind.ROUND: "0",
                  Kind.POINTS: "0.0#"}
_WORDS: dict[Kind, Mapping[Any, Message]] = {Kind.STATUS: STATUS_WORDS, Kind.COLOUR: COLOUR_WORDS,
                                         Kind.URGENCY: URGENCY_WORDS, Kind.APPEAL: APPEAL_WORDS, Kind.GRADE: GRADE_WORDS}
_YES_NO = {True: N_("Yes"), False: N_("No")}
NOTHING = "—"


def figure_kind(key: str) -> Kind:
    """The kind of a dashboard figure, from its key: ``…_rate`` is a fraction, ``…_seconds`` a duration."""
    if key.endswith("_rate"):
        return Kind.PERCENT
    if key.endswith("_seconds"):
        return Kind.HOURS
    return Kind.COUNT


def cell(kind: Kind, value: Any, locale: str, zone: ZoneInfo) -> Any:
    """``value`` as an Excel cell holds it (None stays an empty cell)."""
    if value is None:
        return None
    if kind in _WORDS:
        words = _WORDS[kind]
        return translate(words[value], locale) if value in words else str(value)
    if kind is Kind.YES_NO:
        return translate(_YES_NO[bool(value)], locale)
    if kind is Kind.HOURS:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        return round(seconds / 3600, 2)
    if kind is Kind.MOMENT:
        return value.astimezone(zone).replace(tzinfo=None)  # Excel has no time zones: the school's wall clock
    if kind is Kind.DAY:
        return value if isinstance(value, date) else date.fromisoformat(value)
    if kind is Kind.ROUND:
        return int(value) + 1
    return value


def printed(kind: Kind, value: Any, locale: str, zone: ZoneInfo) -> str:
    """``value`` as the PDF prints it."""
    shown = cell(kind, value, locale, zone)
    if shown is None:
        return NOTHING
    if kind is Kind.PERCENT:
        return f"{shown * 100:.1f}%"
    if kind is Kind.HOURS:
        return f"{shown:.1f}"
    if isinstance(shown, datetime):
        return shown.strftime("%Y-%m-%d %H:%M")
    if isinstance(shown, date):
        return shown.isoformat()
    return str(shown)
