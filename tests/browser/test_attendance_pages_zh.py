"""The attendance pages in Chinese on a phone, as a supervisor and a service worker see them: who is on post, a
person's calendar and enrolment, the on-post rates with their shifts, and the worker's own check-in at a post's QR
code with a photo of their face. No sideways scrolling; screenshots in ``test-artifacts/browser/attendance-zh-*.png``."""
from __future__ import annotations

import re

import pytest
from prepared import attended_staff
from signing_in import log_in

from tests.faces import pictures

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
RAW = re.compile(r"\b(on_time|early_leave|missing_checkout|ongoing|upcoming|absent|kiosk|post_qr|terminal|waiting|ready|"
                 r"withdrawn|True|False|None)\b")


def visit(page, url: str, artifacts, name: str) -> str:
    page.goto(url)
    page.screenshot(path=str(artifacts / f"attendance-zh-{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name}: sideways scrolling"
    text = page.locator("main").inner_text()
    found = RAW.search(text)
    assert found is None, f"{name}: {found.group(0)!r} shown"
    return text


def test_the_supervisor_reads_attendance_on_a_phone(new_page, live_server, artifacts):
    prepared = attended_staff(live_server.data_dir)
    page = new_page(**PHONE)
    log_in(page, live_server.url, "supervisor")
    now = visit(page, f"{live_server.url}/attendance/now", artifacts, "now")
    assert "巴拉克" in now and "在岗 1 人" in now
    person = visit(page, f"{live_server.url}/attendance/staff/{prepared['staff_id']}", artifacts, "person")
    assert "已采集：1 张人脸照片可用于打卡。" in person and "缺勤" in person and "平板维修中，补录" in person
    rates = visit(page, f"{live_server.url}/attendance/rates", artifacts, "rates")
    assert "在岗率" in rates and "33%" in rates
    page.get_by_test_id("per-post").get_by_role("link").first.click()
    assert "计入的班次" in visit(page, page.url, artifacts, "rates-shifts")
    assert "一号楼大厅平板" in visit(page, f"{live_server.url}/attendance/points", artifacts, "points")


def test_the_worker_checks_in_with_their_own_phone_at_the_post_code(new_page, live_server, artifacts, tmp_path):
    from playwright.sync_api import expect

    prepared = attended_staff(live_server.data_dir)
    page = new_page(**PHONE)
    log_in(page, live_server.url, "worker")
    page.goto(f"{live_server.url}/m/checkin/{prepared['code']}")
    stranger = tmp_path / "stranger.jpg"
    stranger.write_bytes(pictures.photo_bytes("biden"))
    page.locator("input[type=file]").set_input_files(str(stranger))
    page.get_by_role("button", name="打卡").click()
    expect(page.get_by_test_id("refused")).to_contain_text("此人脸未在本校采集")
    me = tmp_path / "me.jpg"
    me.write_bytes(pictures.photo_bytes("obama3"))
    page.locator("input[type=file]").set_input_files(str(me))
    page.get_by_role("button", name="打卡").click()
    expect(page.get_by_test_id("checked-in")).to_contain_text("打卡成功：巴拉克")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "attendance-zh-phone-checkin.png"), full_page=True)


def test_bulk_enrolment_follows_its_encoding_in_place(new_page, live_server, artifacts, tmp_path):
    """The supervisor uploads photos named by staff number and watches them being encoded: the page reads the
    batch's figures itself (the background pass takes a few seconds) and stops following once all are done."""
    from playwright.sync_api import expect

    attended_staff(live_server.data_dir)
    page = new_page()
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/attendance/enrol")
    photo = tmp_path / "D001.jpg"
    photo.write_bytes(pictures.photo_bytes("obama2"))
    page.locator("input[type=file]").set_input_files(str(photo))
    page.locator("input[name=consent]").check()
    polls = []
    page.on("request", lambda request: polls.append(request.url) if request.url.endswith(".json") else None)
    page.get_by_role("button", name="采集").click()
    expect(page).to_have_url(re.compile(r"batch="))
    progress = page.get_by_test_id("progress")
    page.evaluate("window.drawnOnce = true")  # gone if the page were loaded again
    expect(progress.locator("[data-role=summary]")).to_have_text("已处理 1 / 1 人：采集成功 1 人，0 人无可用人脸。",
                                                                   timeout=60_000)
    expect(progress.locator("[data-role=following]")).to_have_count(0)
    assert page.evaluate("window.drawnOnce") is True and polls, "followed in place, by reading the batch's figures"
    assert progress.locator("progress").evaluate("bar => [bar.value, bar.max]") == [1, 1]
    page.screenshot(path=str(artifacts / "attendance-zh-bulk-done.png"), full_page=True)
