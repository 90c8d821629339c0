"""The dashboard page and its drill-down list: who may see them, and that the list shows the figure's orders."""
from __future__ import annotations

import re

import pytest
from websupport import START

from workflows.dashboard.daily import refresh
from workflows.demo_history import HistoryPlan, seed_history


def _number(html: str, testid: str) -> int:
    match = re.search(rf'data-testid="{testid}">(\d+)<', html)
    assert match, testid
    return int(match.group(1))


@pytest.mark.parametrize("username", ["schoolboss", "leader", "deputy", "supervisor", "admin"])
def test_leaders_see_the_dashboard(site, username):
    html = site.client(username).page("/dashboard")
    assert "Service dashboard" in html and 'data-testid="definitions"' in html
    assert 'href="/dashboard"' in html and 'href="/reports/"' in html  # the nav links


@pytest.mark.parametrize("username", ["requester", "worker"])
def test_others_are_refused(site, username):
    client = site.client(username)
    client.page("/dashboard", status=403)
    client.page("/dashboard/orders?figure=received", status=403)
    home = client.page("/")
    assert 'href="/dashboard"' not in home and 'href="/reports/"' not in home


def test_unknown_figure_is_not_found(site):
    site.client("schoolboss").page("/dashboard/orders?figure=nonsense", status=404)


def test_drilldown_list_counts_what_the_card_says(site):
    with site.db() as session:
        seed_history(session, site.runtime.rules.book(session, site.school_id), school_id=site.school_id,
                     plan=HistoryPlan(days=12, per_day=15, requesters=10, stories=()))
    client = site.client("schoolboss")
    span = f"start={(START.date().replace(day=1)).isoformat()}&end={START.date().isoformat()}"
    html = client.page(f"/dashboard?{span}")
    assert "How the figures are counted" in html and "default-good excluded" in html
    for key in ("received", "completed", "good_ratings", "bad_ratings", "solved_green", "default_good"):
        shown = _number(html, f"figure-{key}")
        assert f"/dashboard/orders?figure={key}&amp;start=" in html
        listed = client.page(f"/dashboard/orders?figure={key}&{span}")
        assert _number(listed, "drilldown-total") == shown, key
    assert _number(html, "figure-received") > 100
    page_two = client.page(f"/dashboard/orders?figure=received&{span}&page=2")
    assert 'rel="prev"' in page_two
    # the campus table: each campus's received orders open the same list, narrowed to the campus
    campuses = re.findall(r'href="(/dashboard/orders\?figure=received[^"]*campus=\d+[^"]*)">(\d+)<', html)
    assert campuses and sum(int(n) for _, n in campuses) == _number(html, "figure-received")
    for link, n in campuses:
        assert _number(client.page(link.replace("&amp;", "&")), "drilldown-total") == int(n)
    by_month = client.page(f"/dashboard?{span}&trend=month")
    assert '<option value="month" selected>' in by_month
    assert _number(by_month, "figure-received") == _number(html, "figure-received")
    assert '<option value="day" selected>' in client.page(f"/dashboard?{span}&trend=decade")  # unknown: by day

    assert 'data-testid="refreshed-at"' not in html  # never refreshed: all live
    with site.db() as session:
        refresh(session, school_id=site.school_id)
    refreshed = client.page(f"/dashboard?{span}")
    assert 'data-testid="refreshed-at"' in refreshed
    for key in ("received", "completed", "good_ratings", "bad_ratings", "solved_green", "default_good"):
        assert _number(refreshed, f"figure-{key}") == _number(html, f"figure-{key}"), key


def test_charts_need_the_library(site, monkeypatch):
    import webapp.reports.dashboard

    monkeypatch.setattr(webapp.reports.dashboard, "ECHARTS", webapp.reports.dashboard.Path("vendor") / "missing.js")
    html = site.client("schoolboss").page("/dashboard")
    assert 'data-testid="charts-missing"' in html and "Charts are unavailable" in html


def test_dates_and_numbers_out_of_any_range_fall_back_instead_of_failing(site):
    leader = site.client("leader")
    for query in ("start=9999-12-31&end=0001-01-01", "start=0001-01-01&end=9999-12-31", "campus=99999999999"):
        assert leader.get(f"/dashboard?{query}").status_code == 200, query
    assert leader.get("/dashboard/orders?figure=received&start=0001-01-01&end=9999-12-31").status_code == 200
