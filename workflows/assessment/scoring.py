"""How an item's points, a campaign's total and its grade follow from a scheme version: pure arithmetic, so the
pages, the diagram's steps and the tests reckon alike.

- A **computed** item scores linearly between two thresholds of its indicator: ``zero_at`` gives no points,
  ``full_at`` the item's whole weight (``full_at`` below ``zero_at`` when lower is better, as for complaints);
  nothing to measure (no ratings in the month) gives the whole weight, since nothing counts against the unit.
- A **scored** item starts at its weight and loses each rule's deduction per finding, a rule never more than its
  own cap and the item never more than its cap (its weight unless smaller).
- The **grade** is the first band whose lower bound the total reaches, bands taken from the highest.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

PLACES = 2  # points are kept to two decimals


def _round(value: float) -> float:
    return round(value + 0.0, PLACES)


def computed_points(item: Mapping[str, Any], value: float | None) -> float:
    """The points of a computed item whose indicator measured ``value``."""
    weight = float(item["weight"])
    if value is None:
        return _round(weight)
    zero, full = float(item["zero_at"]), float(item["full_at"])
    share = (value - zero) / (full - zero)
    return _round(weight * min(1.0, max(0.0, share)))


def deduction(item: Mapping[str, Any], findings: Iterable[Mapping[str, Any]]) -> float:
    """What a scored item's findings take off: per rule deduction × findings, capped per rule, then per item."""
    rules = {rule["code"]: rule for rule in item.get("rules", [])}
    taken = 0.0
    for finding in findings:
        rule = rules.get(str(finding.get("rule")))
        if rule is None:
            continue
        lost = float(rule["deduct"]) * int(finding.get("count", 1))
        taken += min(lost, float(rule["cap"])) if rule.get("cap") not in (None, "") else lost
    cap = float(item.get("cap") or item["weight"])
    return min(taken, cap, float(item["weight"]))


def scored_points(item: Mapping[str, Any], findings: Iterable[Mapping[str, Any]]) -> float:
    return _round(float(item["weight"]) - deduction(item, findings))


def total(points: Iterable[float | None]) -> float:
    return _round(sum(p for p in points if p is not None))


def grade_of(score: float, bands: Sequence[Mapping[str, Any]]) -> tuple[str, float]:
    """(grade, payment deduction percent) of a total; the lowest band catches everything below the others."""
    ordered = sorted(bands, key=lambda band: float(band["min"]), reverse=True)
    for band in ordered:
        if score >= float(band["min"]):
            return str(band["grade"]), float(band.get("deduction", 0))
    lowest = ordered[-1]
    return str(lowest["grade"]), float(lowest.get("deduction", 0))
