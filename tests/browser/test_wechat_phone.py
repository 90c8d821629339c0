"""A student scans the room code posted on a dormitory door with WeChat: WeChat's own browser (its user agent, a
phone screen, touch) opens the phone report page, asks them to log in, comes back to the same page with the
campus, building and room filled in, and sends the request; the order page follows. Read in Chinese."""
from __future__ import annotations

import pytest
from prepared import a_building

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560"
          "(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64")


def test_a_room_code_scanned_in_wechat_reports_with_the_room_filled_in(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    campus, building, name = a_building(live_server.data_dir)
    link = f"/m/report?campus={campus}&building={building}&room=302"
    phone = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True,
                     user_agent=WECHAT)
    phone.goto(f"{live_server.url}{link}")
    phone.locator("input[name=username]").fill("requester")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    expect(phone.locator("input[name=room]")).to_have_value("302")  # back on the page the code opened
    expect(phone.locator("select[name=building_id] option:checked")).to_have_text(name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.screenshot(path=str(artifacts / "wechat-room-code-report.png"), full_page=True)
    phone.locator("input[name=contact_phone]").fill("139 1234 5678")
    phone.locator("select[name=catalogue_item_id]").select_option(index=1)
    phone.locator("textarea[name=description]").fill("宿舍卫生间水龙头一直滴水")
    phone.get_by_role("button", name="提交报修").click()
    expect(phone.locator(".flash.success")).to_be_visible()
    expect(phone.get_by_test_id("stepper")).to_be_visible()
    phone.screenshot(path=str(artifacts / "wechat-order-page.png"), full_page=True)
