"""The person on duty's phone pages in Chromium, read in Chinese: the duty home, checking in by the post's code,
patrolling by a point's code, reporting an issue (its photo box worded in Chinese too) and the handover page; each
screenshotted."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _on_duty_now(data_dir: Path) -> tuple[str, str]:
    """The worker on duty at the night desk from now: (the post's token, a point's token)."""
    import webapp
    import webapp.config
    from engine.clock import now
    from engine.db import unit_of_work
    from workflows.duty.models import Point, Post, Route, Shift
    from workflows.people.models import User

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with unit_of_work(runtime.host.session_factory) as session:
            worker = session.scalar(select(User).where(User.username == "worker"))
            post = session.scalar(select(Post).where(Post.code == "D1"))
            for shift in session.scalars(select(Shift).where(Shift.user_id == worker.id)):
                shift.user_id = None  # only the shift below is the worker's
            session.add(Shift(school_id=worker.school_id, post_id=post.id, user_id=worker.id, rostered_id=worker.id,
                              starts_at=now() - timedelta(minutes=1), ends_at=now() + timedelta(hours=8),
                              status="planned", presence_plan=[]))
            point = session.scalar(select(Point).join(Route).where(Route.post_id == post.id))
            return post.token, point.token
    finally:
        runtime.db_engine.dispose()


def test_the_person_on_duty_checks_in_patrols_and_reports_from_the_phone(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    post, point = _on_duty_now(live_server.data_dir)
    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    phone.goto(f"{live_server.url}/m/duty/post/{post}")
    phone.locator("input[name=username]").fill("worker")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    expect(phone.get_by_test_id("duty-post")).to_be_visible()
    phone.screenshot(path=str(artifacts / "duty-phone-post.png"), full_page=True)
    phone.get_by_role("button", name="签到").click()
    expect(phone.get_by_test_id("check-in")).to_contain_text("签到")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.screenshot(path=str(artifacts / "duty-phone-home.png"), full_page=True)
    phone.goto(f"{live_server.url}/m/duty/scan/{point}")
    phone.screenshot(path=str(artifacts / "duty-phone-scan.png"), full_page=True)
    phone.get_by_role("button", name="在此处登记巡查").click()
    expect(phone.locator(".flash.success")).to_be_visible()
    phone.goto(f"{live_server.url}/m/duty/issue")
    phone.locator("textarea[name=description]").fill("三楼消防通道堆放杂物")
    expect(phone.get_by_role("button", name="选择照片")).to_be_visible()  # not the browser's own "Choose Files"
    expect(phone.get_by_test_id("duty-issue")).to_contain_text("尚未选择")
    phone.screenshot(path=str(artifacts / "duty-phone-issue.png"), full_page=True)
    phone.get_by_role("button", name="提交上报").click()
    expect(phone.locator(".flash.success")).to_contain_text("已上报问题")
    phone.goto(f"{live_server.url}/m/duty/handover")
    expect(phone.get_by_test_id("duty-handover")).to_be_visible()
    phone.screenshot(path=str(artifacts / "duty-phone-handover.png"), full_page=True)


def test_the_office_reads_the_duty_pages_in_chinese(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    desk = new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk.goto(f"{live_server.url}/duty/anomalies?lang=zh_CN")
    desk.locator("input[name=username]").fill("supervisor")
    desk.locator("input[name=password]").fill(DEMO_PASSWORD)
    desk.locator("form button[type=submit]").click()
    expect(desk.get_by_test_id("anomalies")).to_contain_text("运行数据超限")
    desk.screenshot(path=str(artifacts / "duty-anomalies.png"), full_page=True)
    desk.locator("[data-testid=anomalies] a").first.click()
    expect(desk.get_by_test_id("facts")).to_be_visible()
    desk.screenshot(path=str(artifacts / "duty-anomaly.png"), full_page=True)
    for path, name, shown in (("/duty/roster", "duty-roster.png", "roster"), ("/duty/equipment", "duty-equipment.png", "equipment"),
                              ("/duty/patrols", "duty-patrols.png", "patrols")):
        desk.goto(f"{live_server.url}{path}")
        expect(desk.get_by_test_id(shown)).to_be_visible()
        desk.screenshot(path=str(artifacts / name), full_page=True)
