"""A school leader opens the leaders' big screen in Chinese in Chromium at 1920×1080 (the demo assessments seeded
by ``houqin serve``): the cards and the unit ranking show, the page has no scrollbars, and its figures refresh in
place (the page is not reloaded).
Screenshot: ``test-artifacts/browser/big-screen.png``."""
from __future__ import annotations

import pytest

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_leader_opens_the_big_screen(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/login")
    page.get_by_label("用户名").fill("schoolboss")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/leaders/big?refresh=5")
    expect(page.locator("[data-testid=unit-ranking] li").first).to_contain_text("后勤服务公司")
    expect(page.locator("[data-card=received]")).to_be_visible()
    expect(page.locator("[data-card=assessment_published]")).to_be_visible()
    expect(page.locator("h1")).to_have_text("后勤服务一屏可见")
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert sizes[0] <= 1920 and sizes[1] <= 1080
    page.screenshot(path=str(artifacts / "big-screen.png"))
    page.evaluate("() => { window.notReloaded = true; document.querySelector('[data-value=received]').textContent = '?'; }")
    expect(page.locator("[data-value=received]")).not_to_have_text("?", timeout=15000)  # the next round rewrites it
    assert page.evaluate("() => window.notReloaded === true")
