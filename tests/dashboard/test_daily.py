"""The daily table behind the dashboard: after a refresh the figures read whole days from it and still equal the
hand count; a later change to an old order is picked up by the next refresh; trends by week and month."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from test_figures import END, START, _build

from workflows.dashboard import figures
from workflows.dashboard.daily import refresh
from workflows.dashboard.models import DailyFigure, DailyFigureState
from workflows.repair.models import WorkOrder

REFRESHED = datetime(2026, 11, 15, 4, tzinfo=UTC)  # 12:00 Beijing time, a week after the range


@pytest.fixture
def built(site):
    return site, _build(site)


def _figures(site, ids, **kwargs):
    with site.db() as s:
        return figures(s, school_id=ids["school_id"], start=START, end=END, **kwargs)


def test_figures_after_a_refresh_equal_the_live_count_and_come_from_the_table(built):
    site, ids = built
    live = _figures(site, ids)
    with site.db() as s:
        days = refresh(s, school_id=ids["school_id"], at=REFRESHED)
    assert days[0].isoformat() == "2026-11-01" and days[-1].isoformat() == "2026-11-14"  # first order .. yesterday
    with site.db() as s:
        assert s.scalar(select(func.sum(DailyFigure.received)).where(DailyFigure.school_id == ids["school_id"])) == 11
        assert s.get(DailyFigureState, ids["school_id"]).through.isoformat() == "2026-11-14"
    assert _figures(site, ids) == live
    assert _figures(site, ids)["figures"]["received"] == 10
    # the range starts at 08:00 and ends at 08:00 Beijing time: 2–7 November are whole days, read from the table
    with site.db() as s:
        s.execute(update(DailyFigure).where(DailyFigure.day == datetime(2026, 11, 3).date())
                  .values(received=DailyFigure.received + 100))
    assert _figures(site, ids)["figures"]["received"] == 110


def test_a_later_change_to_an_old_order_is_picked_up_by_the_next_refresh(built):
    site, ids = built
    with site.db() as s:
        refresh(s, school_id=ids["school_id"], at=REFRESHED)
    later = REFRESHED + timedelta(hours=5)
    with site.db() as s:  # o8 (received 4 November) is accepted and completed after the refresh
        s.execute(update(WorkOrder).where(WorkOrder.id == ids["o8"])
                  .values(accepted_at=later - timedelta(hours=2), completed_at=later - timedelta(hours=1)))
    assert _figures(site, ids)["figures"]["completed"] == 7  # the table still says what it said
    with site.db() as s:
        days = refresh(s, school_id=ids["school_id"], at=later)
    # o8's day, and o3's (2 November): its default-good rating is dated 17 November, after the first refresh
    assert [d.isoformat() for d in days] == ["2026-11-02", "2026-11-04"]
    f = _figures(site, ids)["figures"]
    assert (f["completed"], f["completion_rate"]) == (8, pytest.approx(0.8))
    with site.db() as s:
        refreshed = figures(s, school_id=ids["school_id"], start=START, end=END)
    assert refreshed["figures"]["review_avg_seconds"] == pytest.approx((10.5 + 265) * 3600 / 9, abs=0.1)  # o8: 11 days and 1 hour


def test_trend_by_week_and_month(built):
    site, ids = built
    weeks = _figures(site, ids, trend_by="week")["trend"]
    # local days 1–8 November 2026: Sunday 1 belongs to the week of Monday 26 October
    assert [w["day"] for w in weeks] == ["2026-10-26", "2026-11-02"]
    assert sum(w["received"] for w in weeks) == 10 and weeks[0]["received"] == 2
    months = _figures(site, ids, trend_by="month")["trend"]
    # completions count on their own day: o3's (10 November) falls after the range
    assert months == [{"day": "2026-11", "received": 10, "completed": 6, "bad": 3}]
    with pytest.raises(ValueError):
        _figures(site, ids, trend_by="year")
