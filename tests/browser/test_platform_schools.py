"""The platform administrator's schools page in a real browser, in Chinese: the list of schools and the form that
adds one. Screenshot: ``test-artifacts/browser/platform-schools.png``."""
from __future__ import annotations

import pytest
from test_repair_journey import log_in

pytestmark = pytest.mark.browser


def test_the_platform_administrator_sees_the_schools_in_chinese(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    url = live_server.url
    page = new_page(viewport={"width": 1366, "height": 900})
    log_in(page, url, "platform")
    page.goto(f"{url}/admin/schools/?lang=zh_CN")
    expect(page.locator("h1")).to_have_text("学校")
    expect(page.get_by_test_id("schools").locator("tr[data-school='demo']")).to_be_visible()
    page.get_by_role("button", name="系统管理").click()  # in the header's menu, for accounts above every school
    expect(page.get_by_role("link", name="学校")).to_be_visible()
    page.screenshot(path=str(artifacts / "platform-schools.png"), full_page=True)
