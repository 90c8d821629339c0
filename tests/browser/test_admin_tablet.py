"""An admin on a tablet (Chromium, 820×1180, the default Chinese UI) finds a person, appoints them acting deputy
leader of the service company for a holiday cover, and sees the appointment on the org chart; no admin page
scrolls sideways. Screenshots: ``test-artifacts/browser/admin-*.png``."""
from __future__ import annotations

import pytest

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 820, "height": 1180}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_admin_appoints_an_acting_deputy_on_a_tablet(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=TABLET, has_touch=True)
    page.goto(f"{live_server.url}/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="菜单").click()  # a tablet held upright shows the menu button
    page.get_by_role("button", name="系统管理").click()
    page.get_by_role("link", name="人员").click()
    expect(page.get_by_role("heading", name="人员")).to_be_visible()

    page.get_by_label("搜索").fill("周敏")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tr[data-user]")).to_have_count(1)
    assert _fits(page)
    page.screenshot(path=str(artifacts / "admin-people.png"), full_page=True)

    page.get_by_role("link", name="组织架构").click()
    page.locator("tr[data-unit^='后勤服务公司'] a").first.click()
    page.get_by_label("人员的用户名").fill("supervisor")
    page.get_by_label("职位").select_option("deputy_leader")
    page.get_by_label("开始日期（可选）").fill("2026-01-01")
    page.get_by_label("结束日期（可选）").fill("2099-12-31")
    page.get_by_label("代理对象（代理领导）").select_option(label="赵永红")
    page.get_by_role("button", name="任命").click()
    expect(page.locator("tr[data-leader='supervisor']")).to_contain_text("代理 赵永红")
    assert _fits(page)
    page.screenshot(path=str(artifacts / "admin-unit.png"), full_page=True)

    page.get_by_role("link", name="组织架构").click()
    expect(page.locator("tr[data-unit^='后勤服务公司']")).to_contain_text("周敏")
    assert _fits(page)
    page.screenshot(path=str(artifacts / "admin-org.png"), full_page=True)
