"""The header, error pages and the rating page in Chinese, in Chromium, measured rather than eyeballed:

the administrator's header (the role with the most menus) stays on one row at 1366×768 and 1280×800 (in English
too), its menus open
by click and keyboard and close with Escape or a click elsewhere; on a 390×844 phone the header is one row with a
menu button that opens and closes the menu; an oversized upload gets the 413 page and its way back; the requester
rates a repair by tapping stars. Screenshots: ``test-artifacts/browser/chrome-*.png``."""
from __future__ import annotations

import pytest
from menus import follow_menu
from prepared import order_awaiting_rating

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

WIDE = [{"width": 1366, "height": 768}, {"width": 1280, "height": 800}]
PHONE = {"width": 390, "height": 844}
ONE_ROW = 64  # px: the header's height when nothing wraps (56 px drawn, some room for fonts)


def log_in(page, url: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/login?lang=zh_CN")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{url}/")
    expect(page.locator("main h1")).to_be_visible()  # the inbox is drawn


def header_rows(page) -> dict:
    """The header's height and how many distinct rows its visible parts sit on (by their vertical centres)."""
    return page.evaluate("""() => {
        const parts = [...document.querySelectorAll('.topbar .brand, .topbar .menus > li, .topbar .bell,'
                                                    + ' .topbar .account, .topbar .menu-toggle')]
            .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
        const centres = [...new Set(parts.map(r => Math.round((r.top + r.bottom) / 8)))];
        return {height: document.querySelector('.topbar').getBoundingClientRect().height, rows: centres.length,
                parts: parts.length, sideways: document.documentElement.scrollWidth > window.innerWidth};
    }""")


def shot(page, artifacts, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(artifacts / f"chrome-{name}.png"), full_page=full)


@pytest.mark.parametrize("viewport", WIDE, ids=lambda v: f"{v['width']}")
def test_the_administrators_header_stays_on_one_row_and_its_menus_open(new_page, live_server, artifacts, viewport):
    from playwright.sync_api import expect

    page = new_page(viewport=viewport)
    log_in(page, live_server.url, "admin")
    measured = header_rows(page)
    assert measured["parts"] == 10 and measured["rows"] == 1 and measured["height"] <= ONE_ROW, measured
    assert not measured["sideways"]
    expect(page.locator("[data-menu-toggle]")).to_be_hidden()

    admin = page.get_by_role("button", name="系统管理")
    menu = page.locator("#menu-admin")
    expect(menu).to_be_hidden()
    admin.click()
    expect(admin).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link")).to_have_count(11)
    shot(page, artifacts, f"header-admin-{viewport['width']}")
    page.get_by_role("button", name="报修服务").click()  # one dropdown at a time
    expect(menu).to_be_hidden()
    expect(page.locator("#menu-repairs")).to_be_visible()
    page.locator("main h1").click()  # a click elsewhere closes it
    expect(page.locator("#menu-repairs")).to_be_hidden()

    figures = page.get_by_role("button", name="统计考核")  # by keyboard: Enter opens, Escape closes and stays
    figures.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#menu-figures")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#menu-figures a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#menu-figures")).to_be_hidden()
    expect(figures).to_be_focused()

    follow_menu(page, "/admin/people/")
    expect(page.get_by_role("heading", name="人员")).to_be_visible()
    expect(page.locator('[data-menu="admin"]')).to_have_class("menu-item has-menu current")
    assert header_rows(page)["rows"] == 1
    page.goto(f"{live_server.url}/?lang=en")  # the English words are longer: still one row, nothing sideways
    measured = header_rows(page)
    assert measured["rows"] == 1 and measured["height"] <= ONE_ROW and not measured["sideways"], measured
    shot(page, artifacts, f"header-admin-{viewport['width']}-en")


def test_the_phone_header_is_one_row_with_a_menu_button(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(page, live_server.url, "admin")
    measured = header_rows(page)
    assert measured["parts"] == 3 and measured["rows"] == 1 and measured["height"] <= ONE_ROW, measured
    toggle = page.get_by_role("button", name="菜单")
    panel = page.locator("#site-menu")
    expect(panel).to_be_hidden()
    expect(page.locator("[data-testid=bell-count]")).to_be_hidden()  # nothing unread: no badge
    shot(page, artifacts, "phone-header")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    page.get_by_role("button", name="系统管理").click()
    expect(page.locator("#menu-admin").get_by_role("link")).to_have_count(11)
    assert not header_rows(page)["sideways"]
    shot(page, artifacts, "phone-menu-open", full=True)
    toggle.click()
    expect(panel).to_be_hidden()

    toggle.focus()  # by keyboard: Enter opens, Escape closes and returns to the button
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="待办")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(toggle).to_be_focused()

    follow_menu(page, "/admin/changes/")
    expect(page).to_have_url(f"{live_server.url}/admin/changes/")
    expect(panel).to_be_hidden()  # a new page starts with the menu closed


def test_an_oversized_upload_shows_the_413_page_and_leads_back(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport=WIDE[0])
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/import/people")
    page.locator("input[type=file]").first.set_input_files(files=[
        {"name": "people.xlsx", "mimeType": "application/octet-stream", "buffer": b"x" * (17 * 1024 * 1024)}])
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name="发送的内容太大")).to_be_visible()
    expect(page.locator(".error-text")).to_contain_text("每次提交的内容最多 16 MB")
    shot(page, artifacts, "413")
    page.get_by_role("link", name="返回上一页").click()
    expect(page).to_have_url(f"{live_server.url}/admin/import/people")

    page.goto(f"{live_server.url}/no-such-page")
    expect(page.get_by_role("heading", name="页面不存在")).to_be_visible()
    expect(page).to_have_title("页面不存在 · 智慧后勤服务平台")
    shot(page, artifacts, "404")


def test_the_requester_rates_a_repair_by_tapping_stars(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    number = order_awaiting_rating(live_server.data_dir)
    desk = new_page(viewport=WIDE[0])
    log_in(desk, live_server.url, "requester")
    desk.goto(f"{live_server.url}/orders/{number}")
    expect(desk.locator("[data-testid=rating-link] img.qr")).to_be_visible()  # a computer shows the code too

    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, live_server.url, "requester")
    phone.goto(f"{live_server.url}/orders/{number}")
    card = phone.locator("[data-testid=rating-link]")
    expect(card.locator("img.qr")).to_be_hidden()  # the phone gets the button, not a code to scan
    shot(phone, artifacts, "rating-order-phone", full=True)
    card.get_by_role("link", name="去评价").click()

    expect(phone.get_by_role("heading", name="为 刘建军 的「水管漏水」维修评价")).to_be_visible()
    stars = {name: phone.locator(f"[data-stars={name}]") for name in ("overall", "quality", "efficiency", "attitude")}
    for name, value in (("overall", 4), ("quality", 5), ("efficiency", 3), ("attitude", 2)):
        star = stars[name].locator(".star").nth(value - 1)
        box = star.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
        star.tap()
    expect(stars["overall"].locator(".stars-said")).to_have_text("4 星 · 满意", use_inner_text=True)
    expect(stars["attitude"].locator(".stars-said")).to_have_text("2 星 · 不满意", use_inner_text=True)
    expect(stars["overall"].get_by_role("radio", name="4 星 · 满意")).to_be_checked()
    filled = stars["quality"].locator(".star-icon").evaluate_all("icons => icons.map(i => getComputedStyle(i).fill)")
    assert len(set(filled)) == 1  # all five stars lit for 5

    stars["efficiency"].get_by_role("radio", name="3 星 · 一般").focus()  # the keyboard moves between values
    phone.keyboard.press("ArrowRight")
    expect(stars["efficiency"].get_by_role("radio", name="4 星 · 满意")).to_be_checked()
    expect(stars["efficiency"].locator(".stars-said")).to_have_text("4 星 · 满意", use_inner_text=True)

    submit = phone.get_by_role("button", name="提交评价")
    box = submit.bounding_box()
    assert box["height"] >= 48 and box["width"] >= PHONE["width"] * 0.75
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, artifacts, "rating-stars-tapped", full=True)
    submit.click()
    expect(phone.get_by_role("heading", name="感谢您的评价")).to_be_visible()
