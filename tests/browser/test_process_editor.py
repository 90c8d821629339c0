"""A process owner opens the repair diagram in the bpmn-js editor in Chromium against the real ``houqin serve``,
changes the red escalation timer to another rule key in the properties panel, deploys, and sees version 2 listed;
the deployed diagram carries the new rule and keeps every form key; the running orders then move to version 2
with the progress bar filling up. Screenshots: ``test-artifacts/browser/process-editor.png``,
``process-migration.png`` and ``process-instance.png``."""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from diagrams import open_colour_timers
from menus import follow_menu

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
BPMN_JS = REPO / "webapp" / "static" / "vendor" / "bpmn-js" / "bpmn-modeler.production.min.js"


def _properties(xml: str) -> list[tuple[str, str]]:
    return sorted(re.findall(r'<spiffworkflow:property name="([^"]+)" value="([^"]*)"', xml))


def test_owner_changes_a_timer_rule_in_the_editor_and_deploys_a_new_version(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    if not BPMN_JS.is_file():
        pytest.fail(f"{BPMN_JS} is missing: scripts/setup copies it from the bpmn-js npm package", pytrace=False)
    page = new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/login?lang=en")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    follow_menu(page, "/processes/")
    page.locator("a[href=\"/processes/repair/editor\"]").click()
    expect(page.locator("#editor")).to_have_attribute("data-ready", "true")

    open_colour_timers(page)
    page.locator('g.djs-element[data-element-id="escalate_red"]').click()
    panel = page.get_by_test_id("properties")
    expect(panel.locator("h2")).to_have_text("Open 15 days: red")
    expect(panel.get_by_test_id("timer-expression")).to_have_text("rule_duration('repair.escalation.red.after')")
    panel.get_by_test_id("timer-rule").select_option("repair.escalation.yellow.after")
    expect(panel.get_by_test_id("timer-expression")).to_have_text("rule_duration('repair.escalation.yellow.after')")

    page.locator(".bjs-breadcrumbs li").first.click()  # back to the whole order
    page.locator('g.djs-element[data-element-id="review"]').click()
    expect(panel.get_by_test_id("prop-form")).to_have_value("repair_review")
    lane = page.locator('g.djs-element[data-element-id="Lane_requester"]')
    box = lane.bounding_box()
    lane.click(position={"x": box["width"] - 8, "y": 8})  # a blank corner: the palette covers the lane's label
    panel.get_by_test_id("prop-lane-role").select_option("supervisor")

    page.locator("#validate").click()
    expect(page.locator("#status")).to_have_text("No problem found.")
    page.screenshot(path=str(artifacts / "process-editor.png"))
    page.locator("#comment").fill("red escalation follows the yellow rule")
    page.locator("#deploy").click()

    expect(page).to_have_url(f"{live_server.url}/processes/repair/")
    row = page.locator('[data-testid=versions] tr[data-version="2"]')
    expect(row).to_contain_text("red escalation follows the yellow rule")
    expect(row).to_contain_text("active")

    cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    request = urllib.request.Request(f"{live_server.url}/processes/repair/v2/download", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        deployed = response.read().decode("utf-8")
    assert "rule_duration('repair.escalation.yellow.after')" in deployed
    assert "rule_duration('repair.escalation.red.after')" not in deployed
    shipped = (REPO / "bpmn" / "repair" / "repair.bpmn").read_text(encoding="utf-8")
    assert _properties(deployed) == _properties(shipped)  # every form key, role and due survived the editor
    assert '<bpmn:lane id="Lane_requester" name="supervisor">' in deployed

    page.goto(f"{live_server.url}/processes/repair/migrate?to=2")
    safe = page.locator("[data-testid=safe] input[name=instance]").count()
    assert safe > 0
    page.locator("#reason").fill("pick up the new red escalation")
    page.get_by_role("button", name="Move the selected instances").click()
    expect(page.locator("#progress-text")).to_have_text(f"Moved {safe} of {safe}", timeout=60_000)
    assert page.locator("#progress").evaluate("bar => bar.value === bar.max")
    page.screenshot(path=str(artifacts / "process-migration.png"), full_page=True)

    page.goto(f"{live_server.url}/processes/repair/")
    page.locator('[data-testid=instances] a').first.click()
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")
    expect(page.locator('g.djs-element.mark-completed').first).to_be_visible()
    page.screenshot(path=str(artifacts / "process-instance.png"), full_page=True)
