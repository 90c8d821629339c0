"""Operating data: batches of readings from devices (through the API) or entered at patrol points.

A batch is checked whole before anything is stored: an unknown device (another school's devices are unknown
here), an unknown metric, a value that is not a number or a time stamped further ahead than
``duty.readings.ahead_for`` refuses the batch with every problem by row, and nothing is stored. A reading already
stored (same device, metric and time) is skipped, so a batch sent twice stores nothing the second time.

Each device's metric has an *episode*: the first reading out of its range (the rules' ``duty.readings.<metric>``,
or the device's own limits) records one anomaly and starts one PDCA; later readings out of range add to that
anomaly's count; a reading back in range ends the episode, so the next one out of range is a new anomaly.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine.audit import record as audit
from engine.clock import as_utc, now
from engine.db import is_sqlite, locking
from engine.host import Host
from rules.book import RuleBook
from workflows.duty import anomalies
from workflows.duty.enums import AnomalyKind, DutyAction, Metric, ReadingSource
from workflows.duty.models import Anomaly, Equipment, Reading
from workflows.errors import FieldError
from workflows.i18n import N_

MAX_BATCH = 5000


class Problem(FieldError):
    """A refused reading's field; ``row`` is its 0-based index in the batch."""

    def __init__(self, row: int, field: str, message: str, **params: Any):
        super().__init__(field, message, **params)
        self.row = row


class ReadingsRefused(ValueError):
    """The batch had problems; nothing of it was stored."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"row {p.row}: {p.field}: {p}" for p in problems[:10]))
        self.problems = problems


@dataclass
class Ingested:
    stored: int = 0
    duplicates: int = 0
    anomalies: list[str] = field(default_factory=list)  # numbers of the anomalies this batch recorded


@dataclass(frozen=True)
class _Row:
    equipment: Equipment
    metric: str
    value: float
    taken_at: datetime


def limits(book: RuleBook, equipment: Equipment, metric: str) -> tuple[float, float]:
    """The range a metric of ``equipment`` must stay in: its own limits over the rules' for the metric."""
    own = (equipment.limits or {}).get(metric, {})
    low = own.get("min", book.value(f"duty.readings.{metric}.min"))
    high = own.get("max", book.value(f"duty.readings.{metric}.max"))
    return float(low), float(high)


def parse_instant(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("give the time zone")
    return parsed.astimezone(UTC)  # UTC: SQLite keeps no offset


def _row_problems(index: int, item: Any, devices: dict[str, Equipment], latest: datetime) -> _Row | list[Problem]:
    """The reading as a row, or what is wrong with it."""
    if not isinstance(item, dict):
        return [Problem(index, "reading", N_("each reading is an object"))]
    problems = []
    equipment = devices.get(str(item.get("device", "")))
    if equipment is None or not equipment.active:
        problems.append(Problem(index, "device", N_("unknown device %(device)r"), device=item.get("device")))
    metric = item.get("metric")
    if metric not in set(Metric):
        problems.append(Problem(index, "metric", N_("unknown metric %(metric)r"), metric=metric))
    value = item.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(Problem(index, "value", N_("the value must be a number")))
    taken_at = None
    try:
        taken_at = parse_instant(item.get("at"))
    except (TypeError, ValueError):
        problems.append(Problem(index, "at", N_("give the time as ISO 8601 with its time zone")))
    if taken_at is not None and taken_at > latest:
        problems.append(Problem(index, "at", N_("the time is in the future")))
    if problems or equipment is None or taken_at is None:
        return problems
    return _Row(equipment, str(metric), float(value), taken_at)  # type: ignore[arg-type]


def _checked(session: Session, book: RuleBook, school_id: int, batch: Sequence[dict[str, Any]]) -> list[_Row]:
    if not batch:
        raise ReadingsRefused([Problem(0, "readings", N_("the batch is empty"))])
    if len(batch) > MAX_BATCH:
        raise ReadingsRefused([Problem(0, "readings", N_("at most %(n)d readings per batch"), n=MAX_BATCH)])
    codes = {str(item.get("device", "")) for item in batch if isinstance(item, dict)}
    devices = {e.code: e for e in session.scalars(select(Equipment).where(Equipment.school_id == school_id,
                                                                          Equipment.code.in_(codes)))}
    latest = now() + book.duration("duty.readings.ahead_for")
    rows, problems = [], []
    for index, item in enumerate(batch):
        found = _row_problems(index, item, devices, latest)
        if isinstance(found, _Row):
            rows.append(found)
        else:
            problems.extend(found)
    if problems:
        raise ReadingsRefused(problems)
    return rows


def _insert(session: Session, school_id: int, rows: list[_Row], source: str,
            flags: list[bool]) -> set[tuple[int, str, datetime]]:
    """Insert what is new; the (device, metric, time) of the rows actually stored."""
    insert = sqlite_insert if is_sqlite(session) else pg_insert
    received = now()
    values = [{"school_id": school_id, "equipment_id": r.equipment.id, "metric": r.metric, "value": r.value,
               "taken_at": r.taken_at, "received_at": received, "source": source, "out_of_range": flag}
              for r, flag in zip(rows, flags, strict=True)]
    stmt = insert(Reading.__table__).on_conflict_do_nothing(  # type: ignore[arg-type]
        index_elements=["equipment_id", "metric", "taken_at"]).returning(
        Reading.__table__.c.equipment_id, Reading.__table__.c.metric, Reading.__table__.c.taken_at)
    # Core "insert many values": one statement per few hundred rows, compiled once, no ORM objects
    return {(e, m, as_utc(t)) for e, m, t in session.connection().execute(stmt, values)}  # type: ignore[misc]


def _episode(session: Session, equipment: Equipment, metric: str) -> Anomaly | None:
    return session.scalar(locking(session, select(Anomaly).where(
        Anomaly.equipment_id == equipment.id, Anomaly.metric == metric, Anomaly.episode_open.is_(True))))


def _follow(session: Session, host: Host, book: RuleBook, school_id: int, rows: list[_Row], flags: list[bool],
            result: Ingested) -> None:
    """Walk each device's metric in time order: open, extend or end its episode."""
    series: dict[tuple[int, str], list[tuple[_Row, bool]]] = defaultdict(list)
    for row, flag in zip(rows, flags, strict=True):
        series[(row.equipment.id, row.metric)].append((row, flag))
    open_now = _open_episodes(session, {device for device, _metric in series})
    for (device, metric), readings in series.items():
        if not any(flag for _r, flag in readings) and (device, metric) not in open_now:
            continue
        readings.sort(key=lambda pair: pair[0].taken_at)
        open_one = _episode(session, readings[0][0].equipment, metric)
        for row, out in readings:
            if out and open_one is None:
                low, high = limits(book, row.equipment, metric)
                open_one = anomalies.record(session, host, book, school_id=school_id, found=anomalies.Found(
                    kind=AnomalyKind.reading, subject=f"reading:{row.equipment.id}:{metric}:{row.taken_at.isoformat()}",
                    occurred_at=row.taken_at, equipment_id=row.equipment.id, metric=metric,
                    post_id=row.equipment.post_id, unit_id=row.equipment.unit_id, episode_open=True,
                    description=f"{row.equipment.name}: {row.value:g} ({low:g}–{high:g})",
                    evidence={"value": row.value, "at": row.taken_at.isoformat(), "min": low, "max": high,
                              "repeats": 0}))
                if open_one is not None:
                    result.anomalies.append(open_one.number)
            elif out and open_one is not None:
                open_one.evidence = {**open_one.evidence, "repeats": int(open_one.evidence.get("repeats", 0)) + 1,
                                     "last_value": row.value, "last_at": row.taken_at.isoformat()}
            elif not out and open_one is not None:
                open_one.episode_open = False
                open_one.evidence = {**open_one.evidence, "back_in_range_at": row.taken_at.isoformat()}
                open_one = None


def _open_episodes(session: Session, devices: set[int]) -> set[tuple[int, str]]:
    """(device, metric) of the episodes still open among ``devices``: one query a batch."""
    rows = session.execute(select(Anomaly.equipment_id, Anomaly.metric).where(
        Anomaly.equipment_id.in_(devices), Anomaly.episode_open.is_(True)))
    return {(int(device), str(metric)) for device, metric in rows if device is not None}


def ingest(session: Session, host: Host, book: RuleBook, *, school_id: int, batch: Sequence[dict[str, Any]],
           source: ReadingSource = ReadingSource.device, actor: str = "api") -> Ingested:
    """Store a batch of readings and follow their episodes; ReadingsRefused (nothing stored) for bad input."""
    rows = _checked(session, book, school_id, batch)
    flags = [not (low <= r.value <= high) for r in rows for low, high in [limits(book, r.equipment, r.metric)]]
    stored = _insert(session, school_id, rows, source, flags)
    fresh = [(r, f) for r, f in zip(rows, flags, strict=True) if (r.equipment.id, r.metric, r.taken_at) in stored]
    result = Ingested(stored=len(stored), duplicates=len(rows) - len(stored))
    if fresh:
        _follow(session, host, book, school_id, [r for r, _ in fresh], [f for _, f in fresh], result)
    audit(session, action=DutyAction.READINGS_INGESTED, actor=actor, school_id=school_id,
          details={"stored": result.stored, "duplicates": result.duplicates, "anomalies": result.anomalies})
    return result
