"""The period a list's query string asks for: its own start and end, the list's default where one is missing or
not a date (the school's last days, today included), and never more than a year, or than the list's default when
that is longer."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask

from webapp.shared import LONGEST_PERIOD, query_period, query_recent_period

FIRST, AFTER = datetime(2026, 10, 23, 16, tzinfo=UTC), datetime(2026, 11, 22, 16, tzinfo=UTC)


def _period(query: str) -> tuple[datetime, datetime]:
    with Flask(__name__).test_request_context(f"/list?{query}"):
        return query_period(FIRST, AFTER)


@pytest.mark.parametrize(("query", "expected"), [
    ("", (FIRST, AFTER)),
    ("start=not-a-date&end=", (FIRST, AFTER)),
    ("start=2026-01-01T00:00:00%2B08:00&end=2026-02-01T00:00:00%2B08:00",
     (datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 1, 31, 16, tzinfo=UTC))),
    ("start=2026-01-01T00:00:00", (datetime(2026, 1, 1, tzinfo=UTC), AFTER)),
])
def test_a_period_is_the_querys_own_or_the_lists_default(query, expected):
    assert _period(query) == expected


def test_a_period_reaching_back_more_than_a_year_starts_a_year_before_its_end():
    assert _period("start=2000-01-01T00:00:00%2B00:00") == (AFTER - LONGEST_PERIOD, AFTER)
    assert _period("start=2020-01-01T00:00:00%2B00:00&end=2026-03-01T00:00:00%2B00:00") == (
        datetime(2025, 2, 28, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))  # 366 days


def test_a_lists_default_is_the_schools_last_days_today_included():
    with time_machine.travel(datetime(2026, 11, 22, 3, tzinfo=UTC), tick=False):  # 11:00 in Beijing
        with Flask(__name__).test_request_context("/list"):
            assert query_recent_period(7) == (datetime(2026, 11, 15, 16, tzinfo=UTC), datetime(2026, 11, 22, 16, tzinfo=UTC))
        with Flask(__name__).test_request_context("/list?start=2000-01-01T00:00:00%2B00:00"):
            assert query_recent_period(7) == (datetime(2026, 11, 22, 16, tzinfo=UTC) - LONGEST_PERIOD,
                                              datetime(2026, 11, 22, 16, tzinfo=UTC))


def test_a_default_longer_than_a_year_is_never_cut_and_cuts_a_link_to_its_length():
    first = datetime(2025, 10, 31, 16, tzinfo=UTC)  # 13 months before AFTER
    with Flask(__name__).test_request_context("/list"):
        assert query_period(first, AFTER) == (first, AFTER)
    with Flask(__name__).test_request_context("/list?start=2000-01-01T00:00:00%2B00:00"):
        assert query_period(first, AFTER) == (first, AFTER)
