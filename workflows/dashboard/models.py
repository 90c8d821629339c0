"""Pre-aggregated dashboard figures: one row per school, local day of receipt, campus and service unit.

Every figure the dashboard counts on orders *received* in a range adds up over the days of receipt, so the sum of
these rows over whole days equals the live count. The periodic job ``daily_figures`` keeps them current;
:class:`DailyFigureState` says up to which day a school's rows are complete and when they were last refreshed.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, UtcDateTime

COUNT_COLUMNS = ("received", "completed", "reviewed", "worked", "open_green", "open_yellow", "open_red",
                 "solved_green", "solved_yellow", "solved_red", "good_ratings", "bad_ratings", "default_good",
                 "callbacks_pending", "ratings_excluded", "callbacks_done", "callbacks_explained", "rectifications_on_time",
                 "rectifications_late")
SUM_COLUMNS = ("review_seconds", "complete_seconds")  # totals behind the averages


class DailyFigure(Base):
    __tablename__ = "daily_figure"
    __table_args__ = (Index("ix_daily_figure_scope", "school_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    day: Mapped[date] = mapped_column(Date)
    campus_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    reviewed: Mapped[int] = mapped_column(Integer, default=0)
    worked: Mapped[int] = mapped_column(Integer, default=0)
    open_green: Mapped[int] = mapped_column(Integer, default=0)
    open_yellow: Mapped[int] = mapped_column(Integer, default=0)
    open_red: Mapped[int] = mapped_column(Integer, default=0)
    solved_green: Mapped[int] = mapped_column(Integer, default=0)
    solved_yellow: Mapped[int] = mapped_column(Integer, default=0)
    solved_red: Mapped[int] = mapped_column(Integer, default=0)
    good_ratings: Mapped[int] = mapped_column(Integer, default=0)
    bad_ratings: Mapped[int] = mapped_column(Integer, default=0)
    default_good: Mapped[int] = mapped_column(Integer, default=0)
    callbacks_pending: Mapped[int] = mapped_column(Integer, default=0)
    ratings_excluded: Mapped[int] = mapped_column(Integer, default=0)
    callbacks_done: Mapped[int] = mapped_column(Integer, default=0)
    callbacks_explained: Mapped[int] = mapped_column(Integer, default=0)
    rectifications_on_time: Mapped[int] = mapped_column(Integer, default=0)
    rectifications_late: Mapped[int] = mapped_column(Integer, default=0)
    review_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    complete_seconds: Mapped[float] = mapped_column(Float, default=0.0)


class DailyFigureState(Base):
    __tablename__ = "daily_figure_state"

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
    through: Mapped[date] = mapped_column(Date)  # rows are complete for every day up to this one
    refreshed_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the last refresh began
