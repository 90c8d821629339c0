"""What a school sees of one order in a real browser, in Chinese: the staff order page tells the whole repair as
business events (who did what, with their notes, stars, colours and photos; reminders folded), and the requester's
phone page shows the stepper (报修 → 受理 → 派工 → 维修 → 整改 → 评价) above the latest events.

The order is taken through its steps by the page tests' ``Site`` (the real app on SQLite, the clock moved with
time-machine), then the same app is served on 127.0.0.1 from a thread for Chromium. Screenshots go to
``test-artifacts/browser/timeline-*.png``.
"""
from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from signing_in import log_in
from test_order_timeline import ENGINE_WORDS_ZH, whole_order
from test_repair_journey import DESKTOP, PHONE, no_sideways_scrolling
from websupport import open_site
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path):
    """The site with one whole order and one waiting for its rating after a rectification, served on a free port."""
    real_now = datetime.now(UTC)
    with open_site(tmp_path) as site:
        closed = whole_order(site)
        waiting = site.report("宿舍卫生间灯不亮", item_code="W04")
        site.do(waiting, "review", "auditor", decision="accept", reason="已核实")
        site.do(waiting, "dispatch", "auditor", team_id=str(site.order(waiting).team_id),
                worker_id=str(site.user("worker").id), note="带一支备用灯管")
        site.do(waiting, "accept_job", "worker", decision="accept")
        site.do(waiting, "complete_job", "worker", result="更换灯管", materials="LED 灯管 1 支")
        site.do(waiting, "rate", "requester", overall="1", quality="1", efficiency="2", attitude="3", comment="第二天又不亮了")
        site.do(waiting, "callback", "auditor", requester_said="开关接触不良", real_problem="yes")
        site.do(waiting, "rectify", "repair", result="更换开关面板")
        site.do(waiting, "followup", "auditor", requester_said="灯已正常")
        site.traveller.move_to(real_now)  # the browser keeps real time: the pages' times must not look stale
        server = make_server("127.0.0.1", 0, site.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", closed, waiting
        finally:
            server.shutdown()
            thread.join(timeout=10)


def open_context(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    return context


def test_the_staff_order_page_and_the_requesters_phone_page_in_chinese(browser, served, artifacts):
    from playwright.sync_api import expect

    url, closed, waiting = served
    staff = open_context(browser, viewport=DESKTOP)
    try:
        page = staff.new_page()
        log_in(page, url, "auditor")
        page.goto(f"{url}/orders/{closed}")
        expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
        timeline = page.get_by_test_id("timeline")
        expect(timeline.locator("li.event")).to_have_count(16)
        for words in ("提交报修", "情况属实，安排维修", "请带管钳", "维修工已接单", "更换三通阀", "三通阀 1 个", "差评",
                      "阀门接口仍在滴水，希望再来看看", "问题属实，转修缮中心整改", "重新缠生料带并紧固接口",
                      "整改后跟踪回访", "已不再滴水，满意", "这次修好了", "赵永红", "已电话督促班组长，今天完成"):
            expect(timeline).to_contain_text(words)
        expect(timeline.locator('[data-action="remind_worker"] .count')).to_contain_text("7 次")
        expect(timeline.locator('[data-action="remind_auditor"] .count')).to_contain_text("3 次")
        expect(timeline.locator(".stars").first).to_have_text("★★☆☆☆")
        expect(timeline.locator("img")).to_have_count(2)  # the result photo and the rectification photo
        text = timeline.inner_text()
        assert not [word for word in ENGINE_WORDS_ZH + ("Bad rating?", "Decision?", "auditor#") if word in text]
        expect(page.get_by_test_id("stepper").locator(".stage.done")).to_have_count(6)
        page.screenshot(path=str(artifacts / "timeline-01-staff-order-page.png"), full_page=True)
    finally:
        staff.close()

    phone = open_context(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        log_in(page, url, "requester")
        page.goto(f"{url}/m/orders/{waiting}")
        stepper = page.get_by_test_id("stepper")
        expect(stepper.locator(".stage .label")).to_have_text(["报修", "受理", "派工", "维修", "整改", "评价"])
        expect(stepper.locator(".stage.current .label")).to_have_text("评价")
        expect(page.get_by_test_id("now")).to_have_text("维修已完成，请您评价")
        expect(page.get_by_test_id("rate")).to_be_visible()
        history = page.get_by_test_id("timeline").locator("li.event")
        expect(history).to_have_count(4)
        expect(history.first).to_contain_text("整改后跟踪回访")
        expect(history.first).to_contain_text("灯已正常")
        no_sideways_scrolling(page)
        page.screenshot(path=str(artifacts / "timeline-02-phone-waiting-for-rating.png"), full_page=True)

        page.goto(f"{url}/m/orders/{closed}")
        expect(page.get_by_test_id("stepper").locator(".stage.done")).to_have_count(6)
        no_sideways_scrolling(page)
        page.screenshot(path=str(artifacts / "timeline-03-phone-closed.png"), full_page=True)
    finally:
        phone.close()
