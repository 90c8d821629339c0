"""The scheme arithmetic on its own: thresholds either way round, caps per rule and per item, grade bands, and a
computed item without thresholds taking its indicator's own scale."""
from __future__ import annotations

import pytest

from workflows.assessment import schemes, scoring
from workflows.bootstrap import build_modules

INDICATORS = build_modules().indicators


def test_linear_points_between_thresholds_whichever_way_is_better():
    rate = {"weight": 20, "zero_at": 80, "full_at": 98}
    assert [scoring.computed_points(rate, v) for v in (70, 80, 89, 98, 100, None)] == [0, 0, 10, 20, 20, 20]
    fewer = {"weight": 10, "zero_at": 8, "full_at": 0}
    assert [scoring.computed_points(fewer, v) for v in (0, 2, 8, 12)] == [10, 7.5, 0, 0]


def test_deductions_are_capped_per_rule_and_per_item():
    item = {"weight": 20, "cap": 12, "rules": [{"code": "R1", "deduct": 2, "cap": 6}, {"code": "R2", "deduct": 5, "cap": None}]}
    assert scoring.scored_points(item, [{"rule": "R1", "count": 5}]) == 14  # 10 capped at 6
    assert scoring.scored_points(item, [{"rule": "R1", "count": 5}, {"rule": "R2", "count": 2}]) == 8  # 16 capped at 12
    assert scoring.scored_points({**item, "cap": None}, [{"rule": "R2", "count": 9}]) == 0  # never below 0


def test_grades_take_the_first_band_reached():
    bands = schemes.clean_bands(schemes.DEFAULT_BANDS)
    assert [scoring.grade_of(t, bands) for t in (95, 90, 89.99, 60, 59.5, 0)] == [
        ("excellent", 0), ("excellent", 0), ("good", 0), ("passed", 3), ("failed", 10), ("failed", 10)]
    with pytest.raises(schemes.SchemeError, match="the lowest at 0"):
        schemes.clean_bands([{"grade": "excellent", "min": 90}, {"grade": "good", "min": 60}])


def test_a_computed_item_without_thresholds_uses_its_indicators_scale():
    items = schemes.clean_items([{"name": "好评率", "weight": 100, "kind": "computed", "indicator": "repair_good_rate"}],
                                INDICATORS)
    assert (items[0]["zero_at"], items[0]["full_at"]) == (80.0, 98.0)
    with pytest.raises(schemes.SchemeError, match="indicator 1: choose what it is computed from"):
        schemes.clean_items([{"name": "x", "weight": 100, "kind": "computed", "indicator": "nothing"}], INDICATORS)
