"""How a report shows each kind of value: words in the report's language, real numbers for Excel, text for the PDF."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workflows.reports.values import Kind, cell, figure_kind, printed

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("kind", "value", "zh", "en"), [
    (Kind.STATUS, "closed", "已办结", "Closed"),
    (Kind.COLOUR, "none", "未变色", "No colour"),
    (Kind.COLOUR, "red", "红色", "Red"),
    (Kind.URGENCY, "emergency", "特急", "Emergency"),
    (Kind.APPEAL, "dismissed", "申诉驳回", "Appeal dismissed"),
    (Kind.YES_NO, True, "是", "Yes"),
    (Kind.YES_NO, False, "否", "No"),
])
def test_stored_words_are_written_in_the_reports_language(kind, value, zh, en):
    assert (cell(kind, value, "zh_CN", SHANGHAI), cell(kind, value, "en", SHANGHAI)) == (zh, en)


def test_numbers_stay_numbers_in_excel_and_read_as_people_read_them_in_the_pdf():
    assert (cell(Kind.PERCENT, 0.985, "zh_CN", SHANGHAI), printed(Kind.PERCENT, 0.985, "zh_CN", SHANGHAI)) == (0.985, "98.5%")
    assert cell(Kind.HOURS, timedelta(minutes=90), "zh_CN", SHANGHAI) == 1.5
    assert printed(Kind.HOURS, 7 * 3600 + 360, "en", SHANGHAI) == "7.1"
    assert cell(Kind.ROUND, 0, "en", SHANGHAI) == 1  # the first rating is round 1
    moment = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 1 December 01:30 in Beijing
    assert cell(Kind.MOMENT, moment, "zh_CN", SHANGHAI) == datetime(2026, 12, 1, 1, 30)
    assert printed(Kind.MOMENT, moment, "zh_CN", SHANGHAI) == "2026-12-01 01:30"
    assert cell(Kind.DAY, "2026-11-03", "en", SHANGHAI) == date(2026, 11, 3)
    assert (cell(Kind.PERCENT, None, "en", SHANGHAI), printed(Kind.PERCENT, None, "en", SHANGHAI)) == (None, "—")


def test_a_figure_is_a_rate_a_duration_or_a_count_by_its_key():
    assert [figure_kind(k) for k in ("good_rate", "review_p90_seconds", "received")] == [
        Kind.PERCENT, Kind.HOURS, Kind.COUNT]
