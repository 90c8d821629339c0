"""What a figure's drill-down list reads from its link: the figure among the list's own (404 for another), the
period (the list's default days or whole months unless the link gives one) and the figure's name in the page's
language."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask
from flask_babel import Babel
from werkzeug.exceptions import NotFound

from webapp.shared import WholeMonths, figure_scope
from workflows.plans.figures import CONDITIONS

TODAY_ENDS = datetime(2026, 11, 22, 16, tzinfo=UTC)  # the end of 22 November in Beijing


def _scope(query: str, show: str | None, locale: str = "zh_CN", **period: int):
    app = Flask(__name__)
    Babel(app, locale_selector=lambda: locale)
    with time_machine.travel(datetime(2026, 11, 22, 3, tzinfo=UTC), tick=False):  # 11:00 in Beijing
        with app.test_request_context(f"/list?{query}"):
            return figure_scope(CONDITIONS, show, **period)


def test_a_figures_list_is_of_the_schools_last_month_by_default_and_names_the_figure():
    scope = _scope("", "plan_overdue")
    assert (scope.show, scope.start, scope.end) == ("plan_overdue", datetime(2026, 10, 23, 16, tzinfo=UTC), TODAY_ENDS)
    assert scope.label == "逾期未完成计划"
    assert scope.page() == {"show": "plan_overdue", "start": scope.start, "end": scope.end, "label": "逾期未完成计划",
                            "conditions": CONDITIONS}
    assert _scope("", "plan_overdue", locale="en").label == "Plan occurrences overdue"


def test_a_list_keeps_its_own_default_period_and_a_link_its_own():
    assert _scope("", "plan_overdue", recent=7).start == datetime(2026, 11, 15, 16, tzinfo=UTC)
    linked = _scope("start=2026-01-01T00:00:00%2B08:00&end=2026-02-01T00:00:00%2B08:00", "plan_closed", recent=7)
    assert (linked.start, linked.end) == (datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 1, 31, 16, tzinfo=UTC))


def test_a_list_of_whole_months_starts_on_the_first_of_its_first_month_and_reaches_back_no_further():
    thirteen = datetime(2025, 10, 31, 16, tzinfo=UTC)  # 1 November 2025 in Beijing: this month and the twelve before
    default = _scope("", "plan_overdue", recent=WholeMonths(13))
    assert (default.start, default.end) == (thirteen, TODAY_ENDS)
    assert _scope("", "plan_overdue", recent=WholeMonths(1)).start == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert _scope("start=2000-01-01T00:00:00%2B00:00", "plan_overdue", recent=WholeMonths(13)).start == thirteen


@pytest.mark.parametrize("show", [None, "", "received", "__class__"])
def test_a_figure_the_list_does_not_count_is_not_found(show):
    with pytest.raises(NotFound):
        _scope("", show)
