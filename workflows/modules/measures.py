"""Small arithmetic the modules' assessment indicators share (see :class:`workflows.modules.contract.Indicator`)."""
from __future__ import annotations

from datetime import datetime

from workflows.modules.contract import Measured


def percent(part: int, whole: int) -> Measured:
    """``part`` of ``whole`` as a percentage, nothing to measure when ``whole`` is 0."""
    return Measured(round(100.0 * part / whole, 2) if whole else None, whole)


def months_in(start: datetime, end: datetime) -> float:
    """How many whole months ``[start, end)`` spans, for indicators counted per month (at least one)."""
    return max(1.0, float(round((end - start).days / 30.44)))
