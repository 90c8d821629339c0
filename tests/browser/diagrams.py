"""Moving around the shipped repair diagram in the browser's editor and viewer as an owner does."""
from __future__ import annotations


def open_colour_timers(page) -> None:
    """Drill into the repair work, where the colour timers sit on the job (dispatch, take, repair)."""
    page.locator('.djs-overlays[data-container-id="repair_work"] .bjs-drilldown').click()
    page.locator('g.djs-element[data-element-id="escalate_red"]').wait_for()
