"""The rules pages as a Chinese school administrator sees them, in Chromium against the real ``houqin serve``: slip
recipients are ticked by name, every mistake shows at once with a summary at the top linking to its field, and
"which rule applies" for an order lists the repair rules only. Screenshots: ``test-artifacts/browser/rules-edit-zh.png``,
``rules-edit-errors-zh.png`` and ``rules-explain-zh.png``."""
from __future__ import annotations

import re

import pytest
from signing_in import log_in

pytestmark = pytest.mark.browser


def test_a_chinese_admin_ticks_recipients_sees_every_mistake_at_once_and_an_orders_rules(new_page, live_server,
                                                                                        artifacts):
    from playwright.sync_api import expect

    url = live_server.url
    admin = new_page(viewport={"width": 1280, "height": 900})
    log_in(admin, url, "admin")
    admin.goto(f"{url}/admin/rules/edit")
    red_slip = admin.locator('tr[data-key="delegation.slip.red.to"]')
    red_slip.scroll_into_view_if_needed()
    expect(red_slip.get_by_label("主要领导", exact=True).first).to_be_checked()
    expect(red_slip.get_by_label("派发人", exact=True).first).not_to_be_checked()
    admin.screenshot(path=str(artifacts / "rules-edit-zh.png"))

    red_slip.get_by_label("主要领导", exact=True).first.uncheck()
    admin.locator("#s_repair__escalation__green__after_amount").fill("0")
    admin.get_by_role("button", name="预览修改").click()
    summary = admin.get_by_test_id("error-summary")
    expect(summary).to_contain_text("未保存：请先改正以下 3 处错误。")
    expect(summary.locator("li")).to_have_count(3)
    expect(summary).to_contain_text("时长必须大于零。")
    expect(summary).to_contain_text("请至少选择一个接收人。")
    expect(summary).to_contain_text("请填写修改规则的原因。")
    assert summary.bounding_box()["y"] < admin.locator("table.rules-edit").bounding_box()["y"]
    expect(red_slip).to_contain_text("请至少选择一个接收人。")  # beside the field as well
    admin.screenshot(path=str(artifacts / "rules-edit-errors-zh.png"))
    summary.get_by_role("link").first.click()
    expect(admin.locator("#s_repair__escalation__green__after_amount")).to_be_in_viewport()

    auditor = new_page(viewport={"width": 1280, "height": 900})
    log_in(auditor, url, "auditor")
    number = re.search(r"BX\d+", auditor.locator("table.tasks").inner_text()).group(0)
    admin.goto(f"{url}/admin/rules/explain")
    admin.get_by_label("工单、计划执行或交办任务的编号").fill(number)
    admin.get_by_role("button", name="查询").click()
    expect(admin.get_by_test_id("subject")).to_contain_text("报修工单")  # the answer page, before reading its rows
    rows = admin.locator("table.rules-explain tbody tr")
    keys = rows.evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys and all(key.startswith("repair.") for key in keys)
    expect(admin.locator("table.rules-explain")).not_to_contain_text("repair.")
    admin.screenshot(path=str(artifacts / "rules-explain-zh.png"), full_page=True)
