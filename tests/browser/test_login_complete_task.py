"""A maintenance worker logs in, finds the demo quick jobs in the inbox and completes one, in Chinese, in a real
browser against the real ``houqin serve``. Screenshots go to ``test-artifacts/browser/``."""
from __future__ import annotations

import re

import pytest

from workflows.demo import DEMO_JOBS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NOTE = "已更换走廊灯管两支，现场测试照明正常。"


def log_in(page, url: str, username: str = "worker") -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/login")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{url}/")


def test_worker_logs_in_and_completes_a_task(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=DESKTOP)
    log_in(page, live_server.url)

    # the inbox, in Chinese; the team's tab holds the three demo quick jobs (the demo's live repair jobs given to the
    # worker are on the first tab)
    expect(page).to_have_title("待办 · 智慧后勤服务平台")
    expect(page.get_by_role("heading", name=re.compile("^我的待办"))).to_be_visible()
    page.locator("[data-tab=group]").click()
    rows = page.locator("table.tasks tbody tr", has_text="JOB-")
    expect(rows).to_have_count(3)
    open_count = int(page.locator("h1 .badge").inner_text())  # every task the worker may do, the demo's live jobs too
    assert open_count >= 3
    references = [f"JOB-{n:04d}" for n in range(1, len(DEMO_JOBS) + 1)]
    assert sorted(rows.locator("td:nth-child(2)").all_inner_texts()) == references
    expect(page.locator("table.tasks thead")).to_contain_text("任务")
    expect(rows.first.locator("td").nth(2)).to_have_text("维修工")
    page.screenshot(path=str(artifacts / "01-inbox-desktop.png"), full_page=True)

    # open one task
    link = rows.first.locator("td:first-child a")
    title = link.inner_text()
    reference = rows.first.locator("td:nth-child(2)").inner_text()
    link.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".meta")).to_contain_text(reference)
    note = page.get_by_label("处理说明")
    expect(note).to_be_visible()
    expect(page.locator(".help")).to_have_text("简要说明处理结果")

    # submitting without the required note: the server re-renders the form with an inline Chinese error
    page.get_by_role("button", name="提交").click()
    field = page.locator(".field.has-error")
    expect(field).to_have_count(1)
    expect(field.locator(".error")).to_have_text("此项必填")
    expect(page.locator(".flash")).to_have_count(0)
    page.screenshot(path=str(artifacts / "02-task-required-error.png"), full_page=True)

    # with the note: a success message, and the team's tab has one task fewer
    page.get_by_label("处理说明").fill(NOTE)
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".flash.success")).to_have_text(f"任务“{title}”已完成。")  # and on to the worker's next task
    page.goto(f"{live_server.url}/?tab=group")
    expect(rows).to_have_count(2)
    expect(page.locator("h1 .badge")).to_have_text(str(open_count - 1))
    assert sorted(rows.locator("td:nth-child(2)").all_inner_texts()) == [r for r in references if r != reference]
    page.screenshot(path=str(artifacts / "03-inbox-after-completion.png"), full_page=True)


def test_inbox_on_a_phone(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/?tab=group")  # the team's tab: the three demo quick jobs, whatever the demo's live orders
    rows = page.locator("table.tasks tbody tr", has_text="JOB-")
    expect(rows).to_have_count(3)
    for row in rows.all():
        expect(row.locator("td:first-child a")).to_be_visible()
    # nothing wider than the screen: no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "04-inbox-phone.png"), full_page=True)
