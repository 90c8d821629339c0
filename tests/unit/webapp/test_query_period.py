"""The period a list's query string asks for: its own start and end, the list's default where one is missing or
not a date, and never more than a year."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask

from webapp.shared import LONGEST_PERIOD, query_period

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
