"""The diagram editor as a Chinese process owner sees it, in Chromium against the real ``houqin serve``: the
diagram opens fitted to the canvas and beside the palette (measured from bounding boxes), a timer is offered the
duration rules only, by their Chinese labels, and a task renamed in Chinese is shown by that name in the auditor's
inbox once deployed. Screenshots: ``test-artifacts/browser/process-editor-zh.png``, ``process-editor-zh-timer.png``
and ``process-editor-zh-inbox.png``."""
from __future__ import annotations

import pytest
from diagrams import open_colour_timers
from signing_in import log_in

from rules.book import is_duration_key, load_defaults

pytestmark = pytest.mark.browser

NEW_NAME = "核对报修单并派单"


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}


def _diagram_box(page) -> dict[str, float]:
    """The smallest box around every drawn element (shapes, flows and their labels) on the canvas."""
    boxes = page.locator("#canvas .djs-element:not(.djs-root) > .djs-visual").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect()).filter(r => r.width && r.height)"
        ".map(r => [r.left, r.top, r.right, r.bottom])")
    assert boxes
    return {"left": min(b[0] for b in boxes), "top": min(b[1] for b in boxes),
            "right": max(b[2] for b in boxes), "bottom": max(b[3] for b in boxes)}


def test_a_chinese_owner_renames_a_task_and_sees_the_timer_offer_durations_only(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1440, "height": 900})
    log_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/processes/repair/editor")
    expect(page.locator("#editor")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # fitted beside the palette: every element inside the canvas, none under the palette, and not shrunk to a stamp
    canvas, palette, diagram = _box(page.locator("#canvas")), _box(page.locator(".djs-palette")), _diagram_box(page)
    assert diagram["left"] >= palette["right"], (diagram, palette)
    assert canvas["top"] <= diagram["top"] and diagram["bottom"] <= canvas["bottom"] + 1, (diagram, canvas)
    assert diagram["right"] <= canvas["right"] + 1, (diagram, canvas)
    free_width, free_height = canvas["right"] - palette["right"], canvas["bottom"] - canvas["top"]
    assert max((diagram["right"] - diagram["left"]) / free_width, (diagram["bottom"] - diagram["top"]) / free_height) > 0.85
    page.screenshot(path=str(artifacts / "process-editor-zh.png"))
    # drawn in Chinese: each element by its Chinese name, each lane by its role's label; the model keeps English
    expect(page.locator('g.djs-element[data-element-id="review"] text')).to_have_text("受理审核")
    expect(page.locator('g.djs-element[data-element-id="Lane_auditor"] text')).to_have_text("审核员")

    # the red escalation timer: its rule is chosen among the duration rules, by label
    open_colour_timers(page)
    expect(page.locator(".bjs-breadcrumbs .bjs-crumb").last).to_have_text("维修处理")
    page.locator('g.djs-element[data-element-id="escalate_red"]').click()
    panel = page.get_by_test_id("properties")
    rule = panel.get_by_test_id("timer-rule")
    expect(rule).to_have_value("repair.escalation.red.after")
    offered = rule.locator("option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    durations = [key for key in load_defaults() if is_duration_key(key)]
    assert [value for value, _text in offered if value] == durations
    assert ["repair.escalation.yellow.after", "黄色催办时限"] in [list(o) for o in offered]
    assert "repair.rating.bad_below" not in {value for value, _text in offered}
    page.screenshot(path=str(artifacts / "process-editor-zh-timer.png"))

    # the review task renamed in Chinese; its English name (the catalog's msgid) is kept
    page.locator(".bjs-breadcrumbs li").first.click()
    page.locator('g.djs-element[data-element-id="review"]').click()
    expect(panel.get_by_test_id("prop-name-en")).to_have_value("Review the order")
    expect(panel.get_by_test_id("prop-name-zh")).to_have_value("受理审核")  # from the catalog
    panel.get_by_test_id("prop-name-zh").fill(NEW_NAME)
    panel.get_by_test_id("prop-name-zh").press("Tab")
    expect(panel.locator("h2")).to_have_text(NEW_NAME)
    page.locator("#validate").click()
    expect(page.locator("#status")).to_have_text("未发现问题。")
    page.locator("#comment").fill("受理审核改名")
    page.locator("#deploy").click()
    expect(page).to_have_url(f"{live_server.url}/processes/repair/")

    auditor = new_page(viewport={"width": 1280, "height": 900})
    log_in(auditor, live_server.url, "auditor")
    expect(auditor.locator("table.tasks").get_by_text(NEW_NAME).first).to_be_visible()
    auditor.screenshot(path=str(artifacts / "process-editor-zh-inbox.png"), full_page=True)
