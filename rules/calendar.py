"""Working-day calendars: durations counted in working hours or working days.

A school works Monday to Friday within office hours, except holidays, plus make-up working days
(调休: a Saturday or Sunday worked instead of a holiday). Time outside office hours does not count,
so an order accepted on Friday at 18:00 starts counting on Monday morning (or on the make-up
Sunday, if there is one).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkCalendar:
    timezone: str = "Asia/Shanghai"
    opens: time = time(8, 30)
    closes: time = time(17, 30)
    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> WorkCalendar:
        return cls(timezone=raw.get("timezone", "Asia/Shanghai"),
                   opens=time.fromisoformat(raw.get("opens", "08:30")), closes=time.fromisoformat(raw.get("closes", "17:30")),
                   holidays=frozenset(date.fromisoformat(d) for d in raw.get("holidays", [])),
                   makeup_days=frozenset(date.fromisoformat(d) for d in raw.get("makeup_days", [])))

    def to_dict(self) -> dict[str, Any]:
        return {"timezone": self.timezone, "opens": self.opens.strftime("%H:%M"), "closes": self.closes.strftime("%H:%M"),
                "holidays": sorted(d.isoformat() for d in self.holidays),
                "makeup_days": sorted(d.isoformat() for d in self.makeup_days)}

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    @property
    def day_length(self) -> timedelta:
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)

    def _next_opening(self, local: datetime) -> datetime:
        """The first working instant at or after ``local``."""
        day = local.date()
        if self.is_working_day(day) and local.time() < self.closes:
            return max(local, datetime.combine(day, self.opens, local.tzinfo))
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, local.tzinfo)

    def add(self, start: datetime, working: timedelta) -> datetime:
        """``start`` plus ``working`` time counted only within office hours of working days."""
        zone = ZoneInfo(self.timezone)
        current = self._next_opening(start.astimezone(zone))
        remaining = working
        while True:
            closing = datetime.combine(current.date(), self.closes, zone)
            left_today = closing - current
            if remaining <= left_today:
                return (current + remaining).astimezone(start.tzinfo)
            remaining -= left_today
            current = self._next_opening(closing + timedelta(seconds=1))

    def add_days(self, start: datetime, days: int) -> datetime:
        """``days`` working days later at the same office time (counting from the next opening)."""
        return self.add(start, self.day_length * days)
