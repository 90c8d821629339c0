"""What a rostered shift came to, from its times and the person's check-ins: on time or late, early leave, absent,
missing check-out, or not over yet.

A shift runs from its start on the roster's day to its end, on the next day when the end is at or before the
start (a night shift 22:00–06:00). Check-ins count for a shift from ``opens_before`` its start until
``closes_after`` its end; the first is the arrival, the last (when there are two or more) the departure. Until the
window closes a shift with an arrival and no departure is ``ongoing``; after, it is a missing check-out. Grace
minutes come from the rules (``attendance.shift.late_after``, ``attendance.shift.early_before``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workflows.attendance.enums import Mark


@dataclass(frozen=True)
class Grace:
    late_after: timedelta
    early_before: timedelta
    opens_before: timedelta
    closes_after: timedelta


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    def counts(self, grace: Grace) -> tuple[datetime, datetime]:
        """The check-ins that belong to this shift fall in [first, last]."""
        return self.start - grace.opens_before, self.end + grace.closes_after


@dataclass(frozen=True)
class Outcome:
    window: Window
    arrived: datetime | None
    left: datetime | None
    marks: frozenset[Mark]

    @property
    def present(self) -> bool:
        """Came to the shift (late or not): what the on-post rate counts."""
        return self.arrived is not None

    @property
    def started(self) -> bool:
        return Mark.upcoming not in self.marks


def window(day: date, starts: time, ends: time, zone: ZoneInfo) -> Window:
    """The shift of ``day`` as UTC instants; an end at or before the start is on the next day."""
    start = datetime.combine(day, starts, zone).astimezone(UTC)
    end_day = day + timedelta(days=1) if ends <= starts else day
    return Window(start, datetime.combine(end_day, ends, zone).astimezone(UTC))


def outcome(shift: Window, checkins: list[datetime], at: datetime, grace: Grace) -> Outcome:
    """The shift's outcome at the instant ``at``, from the person's check-ins (any; those outside count nowhere)."""
    first, last = shift.counts(grace)
    times = sorted(t for t in checkins if first <= t <= last and t <= at)
    arrived = times[0] if times else None
    left = times[-1] if len(times) > 1 else None
    marks: set[Mark] = set()
    if arrived is None:
        marks.add(Mark.upcoming if at < shift.start else Mark.ongoing if at < shift.end else Mark.absent)
        return Outcome(shift, None, None, frozenset(marks))
    marks.add(Mark.late if arrived > shift.start + grace.late_after else Mark.on_time)
    if left is not None and left < shift.end - grace.early_before:
        marks.add(Mark.early_leave)
    if left is None:
        marks.add(Mark.ongoing if at < last else Mark.missing_checkout)
    return Outcome(shift, arrived, left, frozenset(marks))
