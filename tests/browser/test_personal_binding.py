"""A worker binds their WeCom on the notification settings page: a one-time QR code on the desktop, opened by a
phone that goes through the platform's sign-in (the local WeCom stand-in) and lands on the confirmation page; the
settings page then shows the binding and the per-kind table. In Chinese, against the real ``houqin serve``.
Screenshots: ``test-artifacts/browser/binding-*.png``."""
from __future__ import annotations

import pytest
from channels.platforms import AGENT_ID, APP_ID, CORP_ID, TEMPLATE_ID, WECHAT_SECRET, WECOM_SECRET, serve
from test_login_complete_task import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def platforms(monkeypatch):
    """The WeCom / WeChat stand-in, and the environment that makes the server use it (set before it starts)."""
    stand_in, server, thread = serve()
    for name, value in {"WECOM_CORP_ID": CORP_ID, "WECOM_AGENT_ID": str(AGENT_ID), "WECOM_SECRET": WECOM_SECRET,
                        "WECOM_API_BASE": stand_in.base_url, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": WECHAT_SECRET,
                        "WECHAT_TEMPLATE_ID": TEMPLATE_ID, "WECHAT_API_BASE": stand_in.base_url,
                        "WEIXIN_OPEN_BASE": stand_in.base_url}.items():
        monkeypatch.setenv(name, value)
    yield stand_in
    server.shutdown()
    server.server_close()
    thread.join(5)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_worker_binds_wecom_by_scanning_a_one_time_code(platforms, new_page, live_server, artifacts):
    from playwright.sync_api import expect

    platforms.members.add("li.si")
    platforms.phone("wecom", "li.si")
    desk = new_page(viewport=DESKTOP)
    log_in(desk, live_server.url)
    desk.goto(f"{live_server.url}/notifications/settings")
    expect(desk.get_by_role("heading", name="通知设置")).to_be_visible()
    expect(desk.get_by_test_id("unbound-wecom")).to_have_text("未绑定")
    desk.screenshot(path=str(artifacts / "binding-settings.png"), full_page=True)

    desk.get_by_test_id("bind-wecom").click()
    expect(desk.get_by_role("heading", name="绑定企业微信")).to_be_visible()
    expect(desk.locator(".qr svg")).to_be_visible()
    desk.screenshot(path=str(artifacts / "binding-qr.png"), full_page=True)
    code_url = desk.locator(".qr").get_attribute("data-url")

    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(code_url)
    expect(phone.get_by_test_id("binding-result")).to_have_attribute("data-ok", "yes")
    expect(phone.get_by_test_id("binding-result")).to_contain_text("绑定成功")
    assert _fits(phone)
    phone.screenshot(path=str(artifacts / "binding-phone-done.png"), full_page=True)
    phone.goto(code_url)  # the same code again
    expect(phone.get_by_test_id("binding-result")).to_contain_text("此二维码已被使用")

    desk.get_by_test_id("binding-done").click()
    expect(desk.get_by_test_id("bound-wecom")).to_have_text("已绑定")
    expect(desk.get_by_test_id("bindings")).to_contain_text("企业微信账号：li.si")
    expect(desk.get_by_test_id("kinds")).to_contain_text("企业微信")
    assert _fits(desk)
    desk.screenshot(path=str(artifacts / "binding-settings-bound.png"), full_page=True)


def test_the_admin_sees_every_outgoing_message_with_its_recipient(platforms, new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=DESKTOP)
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/outbox/?show=all")
    expect(page.get_by_role("heading", name="外发消息")).to_be_visible()
    rows = page.locator("table[data-testid=outbox] tbody tr[data-id]")
    expect(rows.first).to_be_visible()
    expect(rows.first.locator("[data-testid=recipient]")).not_to_be_empty()
    page.screenshot(path=str(artifacts / "binding-admin-outbox.png"), full_page=False)
