"""Plan and delegated-task steps in the inbox and on the task page of a real browser, in Chinese: each row says
what its task is about, and each task page shows its own process's panel (the plan occurrence with its checklist,
the delegated task with its assigner and criteria), through the process-module contract. Screenshots go to
``test-artifacts/browser/panels-*.png``."""
from __future__ import annotations

import pytest
from test_repair_journey import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}


def test_the_technicians_plan_and_delegated_task_show_their_own_panels_in_chinese(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    url = live_server.url
    page = new_page(viewport=DESKTOP)
    log_in(page, url, "technician")
    page.goto(f"{url}/?lang=zh_CN&tab=mine")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    delegated = page.locator("tr[data-task]", has_text="学生公寓1号楼门锁排查")
    expect(delegated).to_have_count(1)
    plan = page.locator("tr[data-task]", has_text="设备维护保养")
    expect(plan.first).to_be_visible()
    page.screenshot(path=str(artifacts / "panels-01-inbox.png"), full_page=True)

    delegated.locator("a").first.click()
    panel = page.get_by_test_id("task-panel")
    expect(panel).to_contain_text("交办任务")
    expect(panel).to_contain_text("学生公寓1号楼门锁排查")
    number = panel.locator("a.number")
    expect(number).to_have_attribute("href", f"/tasks-supervision/{number.inner_text()}")
    page.screenshot(path=str(artifacts / "panels-02-delegated-task.png"), full_page=True)

    page.goto(f"{url}/?lang=zh_CN&tab=mine")
    plan.first.locator("a").first.click()
    panel = page.get_by_test_id("task-panel")
    expect(panel).to_contain_text("计划执行")
    expect(panel).to_contain_text("水泵运行检查")
    page.screenshot(path=str(artifacts / "panels-03-plan-occurrence.png"), full_page=True)
