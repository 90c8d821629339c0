"""Dashboard figures on a small hand-built set of orders, every number worked out by hand below."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from workflows.catalogue.models import Building, CatalogueItem
from workflows.dashboard import DEFINITIONS, FIGURE_KEYS, drilldown, figures
from workflows.dashboard.figures import rate_at_least
from workflows.i18n import translate
from workflows.people.models import Campus, User
from workflows.repair.models import Appeal, Callback, ColourChange, Rating, Rectification, WorkOrder

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 11, 8, tzinfo=UTC)
H = timedelta(hours=1)


def _build(site) -> dict:
    """Ten orders in [START, END) and one just before; returns ids the assertions need."""
    with site.db() as s:
        sid = site.school_id
        users = dict(s.execute(select(User.username, User.id).where(User.school_id == sid)).all())
        a, b, req = users["worker"], users["clerk"], users["requester"]
        campus = s.scalar(select(Campus.id).where(Campus.school_id == sid))
        item = s.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == sid, CatalogueItem.parent_id.is_not(None)))
        building = s.scalar(select(Building.id).where(Building.school_id == sid))
        ids = {}

        def order(name, created, *, review=None, work=None, status="closed", colour="none", worker=a, room=None,
                  building_id=None):
            accepted = created + review if review is not None else None
            completed = accepted + work if work is not None else None
            ids[name] = s.scalar(insert(WorkOrder).returning(WorkOrder.id).values(
                school_id=sid, number=f"T-{name}", channel="portal", requester_id=req, contact_name="x",
                contact_phone="1", campus_id=campus, catalogue_item_id=item, description="d", status=status,
                colour=colour, worker_id=worker, created_at=created, accepted_at=accepted, completed_at=completed,
                building_id=building_id, room=room))
            return ids[name], completed

        def rating(order_id, at, *, round=0, overall=5, bad=False, default=False, appeal=None, worker=a):
            return s.scalar(insert(Rating).returning(Rating.id).values(
                school_id=sid, order_id=order_id, round=round, requester_id=req, catalogue_item_id=item,
                worker_id=worker, overall=overall, is_bad=bad, is_default=default, appeal_status=appeal, created_at=at))

        def callback(order_id, at, *, round=0, kind="callback", real_problem=True):
            s.execute(insert(Callback).values(school_id=sid, order_id=order_id, round=round, kind=kind,
                                              requester_said="", real_problem=real_problem, created_at=at))

        def rectified(order_id, started, done):
            s.execute(insert(Rectification).values(school_id=sid, order_id=order_id, round=1, result_note="",
                                                   started_at=started, due_at=started + 48 * H, completed_at=done))

        day = lambda n, hour=2: START + timedelta(days=n, hours=hour)  # noqa: E731
        o1, c1 = order("o1", day(0), review=H, work=10 * H, building_id=building, room="101")
        rating(o1, c1 + H)
        o2, c2 = order("o2", day(0, 3), review=H / 2, work=96 * H, colour="green", building_id=building, room="101")
        rating(o2, c2 + H, overall=4)
        s.execute(insert(ColourChange).values(school_id=sid, order_id=o2, colour="green", at=day(3)))
        o3, c3 = order("o3", day(1), review=2 * H, work=192 * H, colour="yellow", worker=b, building_id=building,
                       room="102")
        rating(o3, c3 + 7 * 24 * H, default=True, worker=b)
        o4, c4 = order("o4", day(1, 5), review=H, work=4 * H, worker=b)
        rating(o4, c4 + H, overall=1, bad=True, worker=b)
        callback(o4, c4 + 2 * H)
        rectified(o4, c4 + 2 * H, c4 + 22 * H)  # 20 h after the callback: on time
        callback(o4, c4 + 23 * H, round=1, kind="followup")
        rating(o4, c4 + 24 * H, round=1, worker=b)
        o5, c5 = order("o5", day(2), review=H, work=H, status="callback", colour="yellow", worker=b)  # chased, then repaired
        rating(o5, c5 + H, overall=2, bad=True, worker=b)  # no callback yet: pending
        o6, c6 = order("o6", day(2, 4), review=H, work=2 * H)
        r6 = rating(o6, c6 + H, overall=1, bad=True, appeal="upheld")
        callback(o6, c6 + 2 * H, real_problem=False)  # nothing wrong found on the call; the auditor appealed
        s.execute(insert(Appeal).values(school_id=sid, rating_id=r6, filed_by_id=users["auditor"], reason="unfair",
                                        decision="upheld", decided_by_id=users["leader"], decided_at=c6 + 5 * H))
        order("o7", day(3), review=H, status="in_progress", colour="red")
        order("o8", day(3, 6), status="submitted")
        order("o9", day(4), status="rejected")
        o10, c10 = order("o10", day(4, 3), review=3 * H, work=6 * H, colour="red", worker=b)
        rating(o10, c10 + H, overall=1, bad=True, worker=b)
        callback(o10, c10 + 2 * H)
        rectified(o10, c10 + 2 * H, c10 + 62 * H)  # 60 h after the callback: late
        rating(o10, c10 + 63 * H, round=1, worker=b)
        before, cb = order("before", START - H, review=H, work=H)  # received before the range: never counted
        rating(before, cb + H, overall=1, bad=True)
        return {"school_id": sid, "a": a, "b": b, **ids}


@pytest.fixture
def built(site):
    return site, _build(site)


def test_figures_match_the_hand_count(built):
    site, ids = built
    with site.db() as s:
        result = figures(s, school_id=ids["school_id"], start=START, end=END)
    f = result["figures"]
    # o1..o10 received; o1-o6 and o10 have a completion time
    assert f["received"] == 10
    assert f["completed"] == 7
    assert f["completion_rate"] == pytest.approx(7 / 10)
    # good: o1, o2 and the re-ratings of o4 and o10; bad: o4, o5, o10 (o6's bad rating had its appeal upheld)
    assert f["good_ratings"] == 4
    assert f["bad_ratings"] == 3
    assert f["default_good"] == 1  # o3, not in good nor in the rate
    assert f["ratings_excluded"] == 1
    assert f["good_rate"] == pytest.approx(4 / (4 + 3))
    # o4's follow-up is not a callback; o6's call found no real problem; o5 waits
    assert (f["callbacks_done"], f["callbacks_explained"], f["callbacks_pending"]) == (3, 1, 1)
    assert (f["rectifications_on_time"], f["rectifications_late"]) == (1, 1)
    assert (f["open_green"], f["open_yellow"], f["open_red"]) == (0, 0, 1)  # o7; o5 is open but its repair is done
    assert (f["solved_green"], f["solved_yellow"], f["solved_red"]) == (1, 1, 1)  # o2, o3, o10
    # review: 1, .5, 2, 1, 1, 1, 1 (o7), 3 hours; p90 = 8th of 8 (nearest rank)
    assert f["review_avg_seconds"] == pytest.approx(10.5 * 3600 / 8, abs=0.1)
    assert f["review_p90_seconds"] == pytest.approx(3 * 3600, abs=0.1)
    # complete: 10, 96, 192, 4, 1, 2, 6 hours; p90 = ceil(6.3) = 7th of 7
    assert f["complete_avg_seconds"] == pytest.approx(311 * 3600 / 7, abs=0.1)
    assert f["complete_p90_seconds"] == pytest.approx(192 * 3600, abs=0.1)
    assert math.ceil(0.9 * 7) == 7
    # o1 and o2 in the same room; o3 alone in the next one
    assert (f["repeat_faults"], f["repeat_locations"]) == (2, 1)
    assert [(loc["room"], loc["orders"]) for loc in result["repeat_locations"]] == [("101", 2)]


def test_one_good_rating_does_not_outrank_forty_good_and_one_bad():
    """The rankings order by the rate the ratings show with 95 % confidence, not by the bare rate."""
    assert rate_at_least(40, 1) > rate_at_least(1, 0) > rate_at_least(0, 0) == 0.0
    assert rate_at_least(2, 0) > rate_at_least(2, 3)
    assert rate_at_least(100, 0) == pytest.approx(0.963, abs=0.001) and 0 < rate_at_least(1, 0) < 0.21


def test_rankings_trend_and_categories(built):
    site, ids = built
    with site.db() as s:
        result = figures(s, school_id=ids["school_id"], start=START, end=END)
    workers = result["rankings"]["workers"]
    # worker A: o1, o2, o6 completed, 2 good, o6's bad rating excluded; worker B: o3, o4, o5, o10, 2 good, 3 bad
    assert [(w["id"], w["completed"], w["good"], w["bad"]) for w in workers] == [(ids["a"], 3, 2, 0), (ids["b"], 4, 2, 3)]
    assert workers[0]["good_rate"] == 1.0 and workers[1]["good_rate"] == pytest.approx(2 / 5)
    assert [w["id"] for w in result["rankings"]["bad_workers"]] == [ids["b"]]
    trend = result["trend"]
    assert [d["day"] for d in trend][:2] == ["2026-11-01", "2026-11-02"] and len(trend) == 8  # local days
    assert sum(d["received"] for d in trend) == 10
    assert sum(d["bad"] for d in trend) == 3
    assert trend[0]["received"] == 2  # o1 and o2, 10:00 and 11:00 Beijing time on 1 November
    assert sum(c["received"] for c in result["categories"]) == 10
    assert sum(c["bad"] for c in result["categories"]) == 3


def test_every_drilldown_list_has_as_many_rows_as_its_figure(built):
    site, ids = built
    with site.db() as s:
        f = figures(s, school_id=ids["school_id"], start=START, end=END)["figures"]
        for key in FIGURE_KEYS:
            listed = drilldown(s, figure=key, school_id=ids["school_id"], start=START, end=END, per_page=5)
            assert listed["total"] == f[key], key
            assert len(listed["rows"]) == min(5, f[key]), key
        worker_b = drilldown(s, figure="bad_ratings", school_id=ids["school_id"], start=START, end=END,
                             worker_id=ids["b"])
        assert worker_b["total"] == 3
        with pytest.raises(KeyError):
            drilldown(s, figure="nonsense", school_id=ids["school_id"], start=START, end=END)


def test_definitions_are_written_in_both_languages():
    keys = [d["key"] for d in DEFINITIONS]
    assert len(keys) == len(set(keys))
    zh = {d["key"]: translate(d["text"], "zh_CN") for d in DEFINITIONS}
    assert all(zh[d["key"]] != d["text"] for d in DEFINITIONS), "every definition is in the Chinese catalog"
    by_key = {d["key"]: translate(d["text"], "en") for d in DEFINITIONS}
    assert "default-good excluded" in by_key["good_rate"] and "不含默认好评" in zh["good_rate"]
    assert "appeal was upheld" in by_key["ratings_excluded"]
    assert "its deadline" in by_key["rectifications"] and "期限内完成" in zh["rectifications"]
