"""A work plan in a real browser against the real ``houqin serve``: the supervisor enters a plan, sees it on the
unit's calendar, and the responsible worker carries out its occurrence with a photo, which then shows on the
occurrence page. Screenshots go to ``test-artifacts/browser/plan-*.png``."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from images import wait_until_shown
from menus import follow_menu
from test_repair_journey import PHOTO, log_in
from websupport import png_bytes

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"plan-{name}.png"), full_page=True)


def test_create_a_plan_see_it_on_the_calendar_and_complete_an_occurrence_with_a_photo(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    url = live_server.url
    starts = date.today() + timedelta(days=1)  # the server runs on the real clock: reminded at once, 3 days ahead
    supervisor = new_page(viewport=DESKTOP)
    log_in(supervisor, url, "supervisor")
    follow_menu(supervisor, "/plans/calendar")
    supervisor.get_by_role("link", name="New plan").click()
    supervisor.get_by_label("Title").fill("锅炉房月检")
    supervisor.get_by_label("Service unit").select_option(label="后勤服务公司")
    supervisor.get_by_role("combobox", name="Responsible person").fill("刘建军")  # the person picker searches
    supervisor.get_by_role("listbox", name="Responsible person").get_by_role("option").filter(has_text="刘建军").click()
    expect(supervisor.locator("select[name=responsible_id] option:checked")).to_have_text("刘建军")
    supervisor.get_by_label("Places").fill("图书馆\n学生食堂")
    supervisor.get_by_label("Recurrence").select_option("monthly")
    supervisor.get_by_label("First date").fill(starts.isoformat())
    supervisor.get_by_label("Checklist").fill("灭火器压力正常\n消防栓水带完好")
    supervisor.get_by_label("Photos").check()
    shot(supervisor, artifacts, "01-new-plan")
    supervisor.get_by_role("button", name="Save the plan").click()

    expect(supervisor.locator(".flash.success")).to_have_text("Plan “锅炉房月检” saved.")
    day = supervisor.locator(f"td[data-day='{starts.isoformat()}']")
    entry = day.locator(".plan-entry", has_text="锅炉房月检")  # the demo plans may fall on the same day
    expect(entry.locator("a")).to_have_text("锅炉房月检")
    expect(entry.locator(".plan-status")).to_have_attribute("data-state", "not_started")
    shot(supervisor, artifacts, "02-calendar")

    worker = new_page(viewport=DESKTOP)
    log_in(worker, url, "worker")
    occurrence_url = url + entry.locator("a").get_attribute("href")
    worker.goto(occurrence_url)
    worker.get_by_role("link", name="Carry out the plan").click()
    worker.get_by_label("Every checklist item is done").check()
    worker.locator("textarea[name=note]").fill("两处消防器材均已检查。")
    worker.locator("input[type=file][name=photos]").set_input_files(
        files=[{"name": "extinguisher.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO, colour=(200, 40, 40))}])
    shot(worker, artifacts, "03-carry-out")
    worker.get_by_role("button", name="Submit").click()
    expect(worker.locator(".flash.success")).to_have_text("Task “Carry out the plan” completed.")

    worker.goto(occurrence_url)
    photo = worker.locator("[data-testid=evidence] img")
    expect(photo).to_have_count(1)
    expect(worker.locator(".plan-status").first).to_have_attribute("data-state", "under_review")
    wait_until_shown(photo)
    shot(worker, artifacts, "04-occurrence-with-photo")

    supervisor.reload()
    expect(entry.locator(".plan-status")).to_have_attribute("data-state", "under_review")
