"""Every plan and delegated-task page in Chinese, as a leader of the demo school first sees it: no stored value
(status, recurrence, True/False), no "每 N 周" and no 工号/学号 on any of them, the recurrence said in words, and
only coming dates reading 待生成. Screenshots go to ``test-artifacts/browser/plans-zh-*.png``."""
from __future__ import annotations

import re

import pytest
from signing_in import log_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
RAW = re.compile(r"\b(scheduled|reminded|under_review|rectifying|not_generated|upcoming|weekly|monthly|yearly|seasonal|"
                 r"once|True|False|None|open|sent_back|submitted|high|urgent)\b|每 N|工号|学号")


def _log_in_chinese(page, url: str, username: str) -> None:
    from playwright.sync_api import expect

    log_in(page, url, username)
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^zh"))

def _visit(page, url: str, artifacts, name: str) -> str:
    page.goto(url)
    page.screenshot(path=str(artifacts / f"plans-zh-{name}.png"), full_page=True)
    text = page.locator("main").inner_text()
    found = RAW.search(text)
    assert found is None, f"{name}: {found.group(0)!r} shown"
    return text


def test_every_plan_and_task_page_reads_in_chinese(new_page, live_server, artifacts):
    url = live_server.url
    page = new_page(viewport=DESKTOP)
    _log_in_chinese(page, url, "leader")

    listed = _visit(page, f"{url}/plans", artifacts, "01-list")
    assert "每年" in listed and "每周" in listed and "每月" in listed  # the demo plans' recurrences in words
    _visit(page, f"{url}/plans/calendar", artifacts, "02-calendar")
    _visit(page, f"{url}/plans/calendar?view=week", artifacts, "03-week")
    page.goto(f"{url}/plans/calendar?view=week")
    states = set(page.locator(".plan-status").evaluate_all("nodes => nodes.map(n => n.dataset.state)"))
    assert states <= {"not_started", "in_progress", "overdue", "under_review", "completed", "not_generated"}
    occurrence = page.locator(".plan-entry a").first.get_attribute("href")
    _visit(page, f"{url}/plans/new", artifacts, "04-new")
    _visit(page, f"{url}/plans/import", artifacts, "05-import")
    page.goto(f"{url}/plans")
    edit = page.locator("[data-testid=plans] a", has_text="编辑").first.get_attribute("href")
    _visit(page, f"{url}{edit}", artifacts, "06-edit")
    facts = _visit(page, f"{url}{occurrence}", artifacts, "07-occurrence")
    assert "计划编号" in facts and "周期" in facts

    board = _visit(page, f"{url}/tasks-supervision", artifacts, "08-board")
    assert "迎新季宿舍设施专项检修" in board
    task = page.locator("[data-testid=task-tree] a", has_text="迎新季宿舍设施专项检修").get_attribute("href")
    detail = _visit(page, f"{url}{task}", artifacts, "09-task")
    assert "任务编号" in detail
    _visit(page, f"{url}/tasks-supervision/new", artifacts, "10-assign")
