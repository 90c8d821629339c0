"""Dashboard figures, computed in the database (no per-order Python loops) for orders *received* in a date range.

Every count is built from a named condition (``_ORDER``, ``_RATING``, ...) that the drill-down list reuses, so the
list behind a figure always has exactly as many rows as the figure says. The definitions the page shows are data
(:data:`DEFINITIONS`), written once and translated in the catalog, so leaders and auditors read the same number.

Times are stored in UTC; days (trend, date range) are local days in the school's time zone
(:mod:`workflows.people.timezone`).
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Label, Select, and_, case, exists, func, not_, or_, select, true, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from engine.clock import now
from engine.paging import PER_PAGE, paged
from workflows.catalogue.models import Building, CatalogueItem
from workflows.colours import ESCALATION
from workflows.dashboard.models import COUNT_COLUMNS, SUM_COLUMNS, DailyFigure, DailyFigureState
from workflows.i18n import N_
from workflows.people.models import Campus, OrgUnit, User
from workflows.people.timezone import DEFAULT_TZ, school_zone
from workflows.repair.enums import OPEN_STATUSES, AppealStatus, Status
from workflows.repair.models import Callback, Rating, Rectification, WorkOrder

TOP = 10
WILSON_Z = 1.96  # 95 % confidence


@dataclass(frozen=True)
class Scope:
    """Whose orders: one school, optionally one campus and one service unit, received in ``[start, end)``."""

    school_id: int
    start: datetime
    end: datetime
    campus_id: int | None = None
    unit_id: int | None = None

    def conditions(self) -> list:
        conds = [WorkOrder.school_id == self.school_id, WorkOrder.created_at >= _utc(self.start),
                 WorkOrder.created_at < _utc(self.end)]
        if self.campus_id is not None:
            conds.append(WorkOrder.campus_id == self.campus_id)
        if self.unit_id is not None:
            conds.append(WorkOrder.unit_id == self.unit_id)
        return conds

    def rating_conditions(self) -> list:
        """:meth:`conditions` for ratings joined to their order, plus what always holds for such a rating (same
        school, given after the order came in): the same rows, but PostgreSQL narrows ratings by their own index
        instead of reading every rating there is."""
        return [*self.conditions(), Rating.school_id == self.school_id, Rating.created_at >= _utc(self.start)]


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the dashboard")
    return value.astimezone(UTC)


def local_day_bounds(first: date, last: date, zone: ZoneInfo = DEFAULT_TZ) -> tuple[datetime, datetime]:
    """``[first 00:00, day after last 00:00)`` in ``zone`` (the school's time zone), as UTC datetimes."""
    start = datetime.combine(first, time(0), zone)
    end = datetime.combine(last + timedelta(days=1), time(0), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# --- dialect helpers ----------------------------------------------------------------------------------------

_Timestamp = ColumnElement[Any] | InstrumentedAttribute[Any]  # a timestamp column or a scalar subquery of one


def _seconds(session: Session, begin: _Timestamp, finish: _Timestamp) -> ColumnElement[Any]:
    """``finish - begin`` in seconds, as an SQL expression."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(finish) - func.julianday(begin)) * 86400.0
    return func.extract("epoch", finish - begin)


def _local_day(session: Session, column: _Timestamp, zone: ZoneInfo) -> ColumnElement[str]:
    """The calendar day in ``zone`` of a UTC timestamp, as ``YYYY-MM-DD`` text. SQLite (development) shifts by the
    zone's offset now, which is exact for zones without daylight saving."""
    if session.get_bind().dialect.name == "sqlite":
        offset = now().astimezone(zone).utcoffset()
        assert offset is not None  # an aware datetime always has one
        return func.date(column, f"{offset // timedelta(minutes=1):+d} minutes")
    return func.to_char(func.timezone(str(zone), column), "YYYY-MM-DD")


# --- the conditions behind the figures ---------------------------------------------------------------------

COUNTED = or_(Rating.appeal_status.is_(None), Rating.appeal_status != AppealStatus.upheld)
_CALLBACK_DONE = exists().where(Callback.order_id == Rating.order_id, Callback.round == Rating.round,
                                Callback.kind == "callback")

# counted on work orders
_ORDER: dict[str, Callable[..., ColumnElement[bool]]] = {  # `...`: mypy cannot fit `lambda c=c:` to Callable[[], ...]
    "received": lambda: true(),
    "completed": lambda: WorkOrder.completed_at.is_not(None),
    "reviewed": lambda: WorkOrder.accepted_at.is_not(None),
    "worked": lambda: and_(WorkOrder.accepted_at.is_not(None), WorkOrder.completed_at.is_not(None)),
    **{f"open_{c}": (lambda c=c: and_(WorkOrder.status.in_([str(s) for s in OPEN_STATUSES]),
                                      WorkOrder.completed_at.is_(None), WorkOrder.colour == c))
       for c in ESCALATION},  # being chased now: the colour clock stops when the job is done
    **{f"solved_{c}": (lambda c=c: and_(WorkOrder.status == Status.closed, WorkOrder.colour == c)) for c in ESCALATION},
}
# counted on ratings of the orders
_RATING: dict[str, Callable[[], ColumnElement[bool]]] = {
    "good_ratings": lambda: and_(COUNTED, not_(Rating.is_default), not_(Rating.is_bad)),
    "bad_ratings": lambda: and_(COUNTED, not_(Rating.is_default), Rating.is_bad),
    "default_good": lambda: and_(COUNTED, Rating.is_default),
    "callbacks_pending": lambda: and_(COUNTED, Rating.is_bad, not_(_CALLBACK_DONE)),
    "ratings_excluded": lambda: not_(COUNTED),
}
_CALLBACK: dict[str, Callable[[], ColumnElement[bool]]] = {
    "callbacks_done": lambda: Callback.kind == "callback",
    "callbacks_explained": lambda: and_(Callback.kind == "callback", Callback.real_problem.is_(False)),
}


def _rectification(session: Session) -> dict[str, ColumnElement[bool]]:
    on_time = and_(Rectification.due_at.is_not(None), Rectification.completed_at <= Rectification.due_at)
    return {"rectifications_on_time": on_time, "rectifications_late": not_(on_time)}


def _repeat_locations(scope: Scope) -> Select[int | None, str | None]:
    """(building, room) of the scope with two or more orders."""
    return (select(WorkOrder.building_id, WorkOrder.room).where(*scope.conditions(), WorkOrder.building_id.is_not(None),
                                                                WorkOrder.room.is_not(None))
            .group_by(WorkOrder.building_id, WorkOrder.room).having(func.count(WorkOrder.id) >= 2))


FIGURE_KEYS = (*_ORDER, *_RATING, *_CALLBACK, "rectifications_on_time", "rectifications_late", "repeat_faults")


# --- figures -----------------------------------------------------------------------------------------------

def additive_counts(session: Session, scope: Scope, group: tuple = ()) -> dict[tuple, dict[str, float]]:
    """The figures that add up over orders (:data:`COUNT_COLUMNS` and :data:`SUM_COLUMNS`), counted live and
    grouped by ``group`` (SQL expressions over ``work_order``): ``{group values: {figure: value}}``.

    ``group=()`` gives one entry under ``()``; the daily refresh groups by day, campus and unit.
    """
    where = scope.conditions()
    out: dict[tuple, dict[str, float]] = {}

    def add(stmt: Select[*tuple[Any, ...]]) -> None:
        for row in session.execute(stmt.group_by(*group)):
            values = out.setdefault(tuple(row[:len(group)]), dict.fromkeys((*COUNT_COLUMNS, *SUM_COLUMNS), 0))
            for key, value in row._asdict().items():
                if key in values:
                    values[key] += float(value or 0) if key in SUM_COLUMNS else int(value or 0)

    def summed(cond: ColumnElement[bool], key: str, value: int | ColumnElement[Any] = 1) -> Label[Any]:
        return func.coalesce(func.sum(case((cond, value), else_=0)), 0).label(key)

    reviewed = _seconds(session, WorkOrder.created_at, WorkOrder.accepted_at)
    worked = _seconds(session, WorkOrder.accepted_at, WorkOrder.completed_at)
    add(select(*group, *[summed(cond(), key) for key, cond in _ORDER.items()],
               summed(_ORDER["reviewed"](), "review_seconds", reviewed),
               summed(_ORDER["worked"](), "complete_seconds", worked)).where(*where))
    add(select(*group, *[summed(cond(), key) for key, cond in _RATING.items()])
        .select_from(Rating).join(WorkOrder, WorkOrder.id == Rating.order_id).where(*scope.rating_conditions()))
    add(select(*group, *[summed(cond(), key) for key, cond in _CALLBACK.items()])
        .select_from(Callback).join(WorkOrder, WorkOrder.id == Callback.order_id).where(*where))
    add(select(*group, *[summed(cond, key) for key, cond in _rectification(session).items()])
        .select_from(Rectification).join(WorkOrder, WorkOrder.id == Rectification.order_id).where(*where))
    if group == () and () not in out:
        out[()] = dict.fromkeys((*COUNT_COLUMNS, *SUM_COLUMNS), 0)
    return out


def _whole_stored_days(session: Session, scope: Scope) -> tuple[date, date] | None:
    """The whole local days of the scope that the daily table holds (``None`` when there are none)."""
    through = session.scalar(select(DailyFigureState.through).where(DailyFigureState.school_id == scope.school_id))
    if through is None:
        return None
    zone = school_zone(session, scope.school_id)
    start, end = scope.start.astimezone(zone), scope.end.astimezone(zone)
    first = start.date() if start.timetz().replace(tzinfo=None) == time(0) else start.date() + timedelta(days=1)
    last = min(end.date() - timedelta(days=1), through)
    return (first, last) if first <= last else None


def _counts(session: Session, scope: Scope) -> dict[str, float]:
    """:func:`additive_counts` for the scope: whole refreshed days from the daily table, the rest live."""
    days = _whole_stored_days(session, scope)
    if days is None:
        return additive_counts(session, scope)[()]
    table_start, table_end = local_day_bounds(*days, school_zone(session, scope.school_id))
    conds = [DailyFigure.school_id == scope.school_id, DailyFigure.day >= days[0], DailyFigure.day <= days[1]]
    if scope.campus_id is not None:
        conds.append(DailyFigure.campus_id == scope.campus_id)
    if scope.unit_id is not None:
        conds.append(DailyFigure.unit_id == scope.unit_id)
    keys = (*COUNT_COLUMNS, *SUM_COLUMNS)
    row = session.execute(select(*[func.coalesce(func.sum(getattr(DailyFigure, k)), 0).label(k) for k in keys])
                          .where(*conds)).one()
    counts = {k: row._asdict()[k] for k in keys}
    for part in (replace(scope, end=table_start), replace(scope, start=table_end)):
        if part.start < part.end:
            for key, value in additive_counts(session, part)[()].items():
                counts[key] += value
    return counts


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, campus_id: int | None = None,
            unit_id: int | None = None, trend_by: str = "day") -> dict:
    """All dashboard figures for orders received in ``[start, end)``: see :data:`DEFINITIONS`.

    Counts over whole days come from the daily table once it is refreshed (see :mod:`workflows.dashboard.daily`);
    ``trend_by`` is ``day``, ``week`` or ``month``.
    """
    scope = Scope(school_id, start, end, campus_id, unit_id)
    raw = _counts(session, scope)
    whole = {key: int(raw[key]) for key in COUNT_COLUMNS}
    counts: dict[str, int | float | None] = dict(whole)
    rated = whole["good_ratings"] + whole["bad_ratings"]
    counts["completion_rate"] = whole["completed"] / whole["received"] if whole["received"] else None
    counts["good_rate"] = whole["good_ratings"] / rated if rated else None
    for name, total, n in (("review", "review_seconds", "reviewed"), ("complete", "complete_seconds", "worked")):
        counts[f"{name}_avg_seconds"] = round(float(raw[total]) / whole[n], 1) if whole[n] else None
    counts.update(_p90(session, scope))

    locations = _repeat_faults(session, scope)
    counts["repeat_faults"] = sum(loc["orders"] for loc in locations)
    counts["repeat_locations"] = len(locations)
    return {"figures": counts, "repeat_locations": locations[:TOP], "rankings": _rankings(session, scope),
            "trend": _trend(session, scope, trend_by), "categories": _categories(session, scope),
            "campuses": _campuses(session, scope)}


def _p90(session: Session, scope: Scope) -> dict[str, float | None]:
    """90th percentile (nearest rank) in seconds of created → accepted and accepted → completed."""
    result: dict[str, float | None] = {}
    for name, begin, finish, key in (("review", WorkOrder.created_at, WorkOrder.accepted_at, "reviewed"),
                                     ("complete", WorkOrder.accepted_at, WorkOrder.completed_at, "worked")):
        seconds = _seconds(session, begin, finish)
        where = [*scope.conditions(), _ORDER[key]()]
        n = session.scalar(select(func.count(WorkOrder.id)).where(*where))
        result[f"{name}_p90_seconds"] = None
        if n:
            rank = math.ceil(0.9 * n)
            p90 = session.execute(select(seconds).where(*where).order_by(seconds).limit(1).offset(rank - 1)).scalar_one()
            result[f"{name}_p90_seconds"] = round(float(p90), 1)
    return result


def _repeat_faults(session: Session, scope: Scope) -> list[dict]:
    # the groups of _repeat_locations with their building's name, in one pass over the scope's orders
    stmt = (select(WorkOrder.building_id, Building.name, WorkOrder.room, func.count(WorkOrder.id).label("n"))
            .join(Building, Building.id == WorkOrder.building_id)
            .where(*scope.conditions(), WorkOrder.room.is_not(None))
            .group_by(WorkOrder.building_id, Building.name, WorkOrder.room).having(func.count(WorkOrder.id) >= 2)
            .order_by(func.count(WorkOrder.id).desc(), Building.name, WorkOrder.room))
    return [{"building_id": b, "building": name, "room": room, "orders": n} for b, name, room, n in session.execute(stmt)]


def rate_at_least(good: int, bad: int) -> float:
    """The good-rating rate that ``good`` of ``good + bad`` ratings show with 95 % confidence (Wilson's lower bound):
    one good rating out of one is not a better record than 40 out of 41, though its rate is higher. 0 with none."""
    rated = good + bad
    if not rated:
        return 0.0
    rate, z2 = good / rated, WILSON_Z ** 2
    spread = WILSON_Z * math.sqrt(rate * (1 - rate) / rated + z2 / (4 * rated * rated))
    return (rate + z2 / (2 * rated) - spread) / (1 + z2 / rated)


def _rankings(session: Session, scope: Scope) -> dict[str, list[dict]]:
    """Workers and teams by the good-rating rate they can be trusted to have (:func:`rate_at_least`; then good
    ratings, then volume), and workers with bad ratings."""
    where = scope.conditions()
    good = func.coalesce(func.sum(case((_RATING["good_ratings"](), 1), else_=0)), 0)
    bad = func.coalesce(func.sum(case((_RATING["bad_ratings"](), 1), else_=0)), 0)

    def ranked(group: InstrumentedAttribute[int | None],
               names: Callable[[set[int | None]], Select[int, str]]) -> list[dict[str, Any]]:
        volume = {key: n for key, n in session.execute(select(group, func.count(WorkOrder.id))
                                                        .where(*where, group.is_not(None), WorkOrder.completed_at.is_not(None))
                                                        .group_by(group))}
        ratings = {key: (int(g), int(b)) for key, g, b in session.execute(
            select(group, good, bad).select_from(Rating).join(WorkOrder, WorkOrder.id == Rating.order_id)
            .where(*scope.rating_conditions(), group.is_not(None)).group_by(group))}
        ids = set(volume) | set(ratings)
        labels: dict[int | None, str] = {key: name for key, name in session.execute(names(ids))} if ids else {}
        rows = []
        for key in ids:
            g, b = ratings.get(key, (0, 0))
            rows.append({"id": key, "name": labels.get(key, str(key)), "completed": int(volume.get(key, 0)),
                         "good": g, "bad": b, "good_rate": g / (g + b) if g + b else None})
        return rows

    def order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: (-rate_at_least(r["good"], r["bad"]), -r["good"], -r["completed"], r["name"]))

    workers = ranked(WorkOrder.worker_id, lambda ids: select(User.id, User.display_name).where(User.id.in_(ids)))
    teams = ranked(WorkOrder.team_id, lambda ids: select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids)))
    with_bad = sorted((r for r in workers if r["bad"]), key=lambda r: (-r["bad"], r["good_rate"] or 0, r["name"]))
    return {"workers": order(workers)[:TOP], "teams": order(teams)[:TOP], "bad_workers": with_bad[:TOP]}


TREND_PERIODS = ("day", "week", "month")


def _bucket(day: date, by: str) -> str:
    """The label of the day, ISO week (its Monday) or month a local day falls in."""
    if by == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return day.isoformat()[:7]
    return day.isoformat()


def _trend(session: Session, scope: Scope, by: str = "day") -> list[dict]:
    """Per local day (or week from Monday, or month) of the range: orders received, completed and bad ratings
    given then (each by its own time); a week or month cut by the range counts only its days in the range."""
    if by not in TREND_PERIODS:
        raise ValueError(f"unknown trend period {by!r}")
    buckets: dict[str, dict] = {}
    for row in _daily_trend(session, scope):
        bucket = buckets.setdefault(_bucket(date.fromisoformat(row["day"]), by),
                                    {"day": _bucket(date.fromisoformat(row["day"]), by), "received": 0,
                                     "completed": 0, "bad": 0})
        for key in ("received", "completed", "bad"):
            bucket[key] += row[key]
    return list(buckets.values())


def _daily_trend(session: Session, scope: Scope) -> list[dict]:
    """Per local day of the range: orders received, completed and bad ratings given that day (by their own time)."""
    days: dict[str, dict] = {}
    zone = school_zone(session, scope.school_id)
    day = scope.start.astimezone(zone).date()
    last = (scope.end.astimezone(zone) - timedelta(microseconds=1)).date()
    while day <= last:
        days[day.isoformat()] = {"day": day.isoformat(), "received": 0, "completed": 0, "bad": 0}
        day += timedelta(days=1)
    where = scope.conditions()
    received = _local_day(session, WorkOrder.created_at, zone)
    completed = _local_day(session, WorkOrder.completed_at, zone)
    rated = _local_day(session, Rating.created_at, zone)
    for key, stmt in (
        ("received", select(received, func.count(WorkOrder.id)).where(*where).group_by(received)),
        ("completed", select(completed, func.count(WorkOrder.id))
         .where(*where, WorkOrder.completed_at.is_not(None)).group_by(completed)),
        ("bad", select(rated, func.count(Rating.id)).join(WorkOrder, WorkOrder.id == Rating.order_id)
         .where(*scope.rating_conditions(), _RATING["bad_ratings"]()).group_by(rated)),
    ):
        for day_text, n in session.execute(stmt):
            if day_text in days:
                days[day_text][key] = int(n)
    return list(days.values())


def _categories(session: Session, scope: Scope) -> list[dict]:
    """Orders received, completed and bad ratings per service category (the item's parent in the catalogue)."""
    item, parent = aliased(CatalogueItem), aliased(CatalogueItem)
    category = func.coalesce(parent.id, item.id)
    where = scope.conditions()
    rows = {cid: {"id": cid, "name_zh": zh, "name_en": en, "received": int(r), "completed": int(c), "bad": 0}
            for cid, zh, en, r, c in session.execute(
                select(category, func.coalesce(parent.name_zh, item.name_zh), func.coalesce(parent.name_en, item.name_en),
                       func.count(WorkOrder.id), func.coalesce(func.sum(case((_ORDER["completed"](), 1), else_=0)), 0))
                .join(item, item.id == WorkOrder.catalogue_item_id).outerjoin(parent, parent.id == item.parent_id)
                .where(*where).group_by(category, func.coalesce(parent.name_zh, item.name_zh),
                                        func.coalesce(parent.name_en, item.name_en)))}
    for cid, n in session.execute(select(category, func.count(Rating.id))
                                  .select_from(Rating).join(WorkOrder, WorkOrder.id == Rating.order_id)
                                  .join(item, item.id == WorkOrder.catalogue_item_id)
                                  .outerjoin(parent, parent.id == item.parent_id)
                                  .where(*scope.rating_conditions(), _RATING["bad_ratings"]()).group_by(category)):
        if cid in rows:
            rows[cid]["bad"] = int(n)
    return sorted(rows.values(), key=lambda r: (-r["received"], r["name_en"]))


def _campuses(session: Session, scope: Scope) -> list[dict]:
    """Orders received, completed and bad ratings per campus, every campus of the school listed (zeros too)."""
    where = scope.conditions()
    rows = {cid: {"id": cid, "name": name, "received": 0, "completed": 0, "bad": 0}
            for cid, name in session.execute(select(Campus.id, Campus.name).where(Campus.school_id == scope.school_id)
                                             .order_by(Campus.id))
            if scope.campus_id is None or cid == scope.campus_id}
    for cid, received, completed in session.execute(
            select(WorkOrder.campus_id, func.count(WorkOrder.id),
                   func.coalesce(func.sum(case((_ORDER["completed"](), 1), else_=0)), 0))
            .where(*where).group_by(WorkOrder.campus_id)):
        rows[cid].update(received=int(received), completed=int(completed))
    for cid, n in session.execute(select(WorkOrder.campus_id, func.count(Rating.id)).select_from(Rating)
                                  .join(WorkOrder, WorkOrder.id == Rating.order_id)
                                  .where(*scope.rating_conditions(), _RATING["bad_ratings"]())
                                  .group_by(WorkOrder.campus_id)):
        rows[cid]["bad"] = int(n)
    return list(rows.values())


# --- drill-down ----------------------------------------------------------------------------------------------

def drilldown(session: Session, *, figure: str, school_id: int, start: datetime, end: datetime,
              campus_id: int | None = None, unit_id: int | None = None, worker_id: int | None = None,
              team_id: int | None = None, building_id: int | None = None, room: str | None = None,
              page: int = 1, per_page: int = PER_PAGE) -> dict:
    """The rows behind ``figure`` (same conditions), newest order first: ``{"total", "page", "pages", "rows"}``.

    A row is ``(order, at)``, where ``at`` is the time of the counted thing (rating, callback, rectification) or
    the order's creation. ``worker_id``/``team_id``/``building_id``+``room`` narrow it (rankings, repeat faults).
    """
    if figure not in FIGURE_KEYS:
        raise KeyError(figure)
    scope = Scope(school_id, start, end, campus_id, unit_id)
    where = scope.conditions()
    if worker_id is not None:
        where.append(WorkOrder.worker_id == worker_id)
    if team_id is not None:
        where.append(WorkOrder.team_id == team_id)
    if building_id is not None:
        where.append(WorkOrder.building_id == building_id)
        where.append(WorkOrder.room == room if room is not None else WorkOrder.room.is_(None))
    if figure in _ORDER:
        stmt = select(WorkOrder, WorkOrder.created_at.label("at")).where(*where, _ORDER[figure]())
    elif figure in _RATING:
        stmt = (select(WorkOrder, Rating.created_at.label("at")).select_from(Rating)
                .join(WorkOrder, WorkOrder.id == Rating.order_id).where(*where, _RATING[figure]()))
    elif figure in _CALLBACK:
        stmt = (select(WorkOrder, Callback.created_at.label("at")).select_from(Callback)
                .join(WorkOrder, WorkOrder.id == Callback.order_id).where(*where, _CALLBACK[figure]()))
    elif figure == "repeat_faults":
        stmt = select(WorkOrder, WorkOrder.created_at.label("at")).where(
            *where, tuple_(WorkOrder.building_id, WorkOrder.room).in_(_repeat_locations(scope)))
    else:
        stmt = (select(WorkOrder, Rectification.completed_at.label("at")).select_from(Rectification)
                .join(WorkOrder, WorkOrder.id == Rectification.order_id).where(*where, _rectification(session)[figure]))
    newest: Select[*tuple[Any, ...]] = (  # paged() is typed for one-column selects
        stmt.order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc()))
    one = paged(session, newest, page=page, per_page=per_page,
                whole_rows=True, shape=lambda rows: [(r[0], r[1]) for r in rows])
    return {"total": one.total, "page": one.page, "pages": one.pages, "rows": one.rows}


# --- definitions (shown on the page) -------------------------------------------------------------------------

def _d(key: str, text: str) -> dict[str, str]:
    return {"key": key, "text": text}


DEFINITIONS: list[dict[str, str]] = [  # shown on the dashboard and in the reports, translated where shown
    _d("scope", N_("Scope: the orders of the chosen school (campus, service unit) received on the chosen days "
                   "(Beijing time, both ends included); every figure below counts only these orders.")),
    _d("received", N_("Received: all orders in scope (rejected ones included).")),
    _d("completed", N_("Completed: orders with a recorded completion time (whenever they were completed).")),
    _d("completion_rate", N_("Completion rate = completed ÷ received.")),
    _d("good_ratings", N_("Good ratings: ratings that are neither default nor bad (every round counts, re-ratings "
                          "after a rectification included).")),
    _d("bad_ratings", N_("Bad ratings: ratings whose overall score is below the rule's threshold (3 of 5 by "
                         "default).")),
    _d("default_good", N_("Default-good: ratings recorded as good by the system because nobody rated in time; counted "
                          "separately, not in good ratings nor in the good-rating rate.")),
    _d("good_rate", N_("Good-rating rate = good ratings ÷ rated, where rated = good + bad ratings (default-good "
                       "excluded).")),
    _d("ratings_excluded", N_("Ratings whose appeal was upheld count in no rating figure (good, bad, default-good, good "
                              "rate, pending callbacks, rankings); their number is shown separately.")),
    _d("callbacks_done", N_("Callbacks done: callbacks made by an auditor after a bad rating (follow-ups after a "
                            "rectification excluded).")),
    _d("callbacks_explained", N_("Explained on the call: callbacks that found no real problem (the requester accepted "
                                 "the explanation); the others went to rectification or, the rounds used up, to the "
                                 "deputy leader.")),
    _d("callbacks_pending", N_("Callbacks pending: counted bad ratings with no callback recorded for them yet.")),
    _d("rectifications", N_("Rectification on time: completed by its deadline, set by the rules when the callback asked "
                            "for it (2 days by default); otherwise late.")),
    _d("open_colours", N_("Now green/yellow/red: accepted orders whose repair is not done yet, by their current "
                          "chasing colour (over 3/7/15 days since acceptance).")),
    _d("solved_colours", N_("Solved green/yellow/red: closed orders by their final colour, each order once (its highest "
                            "colour).")),
    _d("review_time", N_("Time to review: from submission to acceptance; average and 90th percentile (nearest rank).")),
    _d("complete_time", N_("Time to complete: from acceptance to completion; average and 90th percentile (nearest "
                           "rank).")),
    _d("repeat_faults", N_("Repeat-fault locations: the same building and room with 2 or more orders in scope; the "
                           "figure is the number of orders at such locations.")),
    _d("rankings", N_("Rankings: workers and teams by the good-rating rate their ratings show with 95 per cent "
                      "confidence (Wilson's lower bound: a few ratings count for less than many), then good ratings, "
                      "then orders completed; the rate shown is good ÷ rated. Workers with bad ratings are listed "
                      "apart.")),
    _d("trend", N_("Trend: the orders in scope counted on the day of their own event (received, completed, bad "
                   "rating); by week (from Monday) or by month, only the days in the range are summed.")),
    _d("campuses", N_("Campuses: the orders in scope by the campus of their location.")),
    _d("daily", N_("Figures for whole past days come from the daily table refreshed every 10 minutes; today "
                   "and partial days are counted live, so a change to an older order shows within 10 minutes.")),
]
