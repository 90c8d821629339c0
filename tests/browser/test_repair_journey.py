"""One repair order from the phone to the callback, in a real browser against the real ``houqin serve``:

a requester reports on a phone-sized screen with a photo; the auditor reviews and dispatches from the inbox; the
worker takes the job and records it with a result photo; the requester rates it 2 stars through the link behind the
order's rating button (no login); the auditor finds the callback task and the bell count. Every page is saved to
``test-artifacts/browser/journey-*.png``. The pages are read in English (``?lang=en``), as the other page tests do.
"""
from __future__ import annotations

import re

import pytest
import signing_in
from images import wait_until_shown
from websupport import png_bytes

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PHOTO = (640, 480)  # a photo's size, in pixels


def log_in(page, url: str, username: str) -> None:
    """Signed in, then switched to English (the journey's assertions read English words)."""
    from playwright.sync_api import expect

    signing_in.log_in(page, url, username, lang=None)
    page.goto(f"{url}/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def shot(page, artifacts, name: str) -> None:
    page.screenshot(path=str(artifacts / f"journey-{name}.png"), full_page=True)


def search(page, words: str) -> None:
    """Find tasks by order number with the inbox's search box."""
    from playwright.sync_api import expect

    page.get_by_placeholder("Order number or requester").fill(words)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("[data-testid=match-count]")).to_be_visible()


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_repair_from_the_phone_to_the_callback(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    url = live_server.url

    # 1. the requester reports on the phone page with a photo from the camera
    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, url, "requester")
    phone.goto(f"{url}/m/report")
    expect(phone.get_by_role("heading", name="Report a problem")).to_be_visible()
    phone.get_by_label("Contact phone").fill("138 0000 1111")
    phone.locator("select[name=building_id]").select_option(label="图书馆")
    phone.get_by_label("Room or place").fill("302")
    phone.locator("select[name=catalogue_item_id]").select_option(label="Water leak")
    phone.get_by_label("What is wrong?").fill("三楼卫生间水管漏水，地面积水。")
    phone.locator("input[type=file][name=photos]").set_input_files(
        files=[{"name": "leak.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO)}])
    no_sideways_scrolling(phone)
    shot(phone, artifacts, "01-requester-reports-on-the-phone")
    phone.get_by_role("button", name="Send the request").click()
    expect(phone.locator(".flash.success")).to_contain_text("Order number:")
    number = phone.locator("h1 .number").inner_text()
    assert re.fullmatch(r"[A-Z]+\d+", number), number
    expect(phone.get_by_test_id("stepper").locator(".stage.current")).to_have_attribute("data-stage", "accepted")
    expect(phone.locator("[data-action='instance.started'] ul.photos img")).to_have_count(1)  # the photo as reported
    no_sideways_scrolling(phone)
    shot(phone, artifacts, "02-requester-order-page")

    # 2. the auditor reviews from the inbox, and goes straight on to dispatch
    auditor = new_page(viewport=DESKTOP)
    log_in(auditor, url, "auditor")
    expect(auditor.locator("[data-tab=group]")).to_have_attribute("aria-current", "page")
    shot(auditor, artifacts, "03-auditor-inbox")  # the demo's open orders are there too: find ours by its number
    search(auditor, number)
    row = auditor.locator(f"table.tasks tr[data-key='{number}']")
    expect(auditor.locator("table.tasks tbody tr")).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("Auditor")
    shot(auditor, artifacts, "04-auditor-inbox-search")
    row.locator("td:first-child a").click()
    expect(auditor.get_by_role("heading", name="Review the order")).to_be_visible()
    facts = auditor.locator("[data-testid=order-facts]")
    expect(facts).to_contain_text("三楼卫生间水管漏水")
    expect(facts).to_contain_text("Water leak")
    thumb = facts.locator("[data-testid=photos] ul.photos img")
    expect(thumb).to_have_count(1)
    wait_until_shown(thumb)  # served to the auditor
    shot(auditor, artifacts, "05-auditor-review-task")
    auditor.get_by_label("Accept").check()
    auditor.get_by_role("button", name="Submit").click()
    expect(auditor.locator(".flash.success")).to_have_text("Task “Review the order” completed.")
    expect(auditor.get_by_role("heading", name="Dispatch to a team or worker")).to_be_visible()
    auditor.locator("select[name=team_id]").select_option(label="水电维修班")
    worker_option = auditor.locator("select[name=worker_id] option", has_text="刘建军")  # only the team's workers
    auditor.locator("select[name=worker_id]").select_option(value=worker_option.get_attribute("value"))
    shot(auditor, artifacts, "06-auditor-dispatch-task")
    auditor.get_by_role("button", name="Submit").click()
    expect(auditor).to_have_url(f"{url}/")
    expect(auditor.locator(".flash.success")).to_have_text("Task “Dispatch to a team or worker” completed.")
    expect(auditor.locator(f"tr[data-key='{number}']")).to_have_count(0)

    # 3. the worker takes the job, then records the repair with a photo of the result
    worker = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(worker, url, "worker")
    expect(worker.locator("[data-tab=mine]")).to_have_attribute("aria-current", "page")
    search(worker, number)
    job = worker.locator(f"tr[data-key='{number}'] td:first-child a")
    expect(job).to_have_text("Take the job")
    no_sideways_scrolling(worker)
    shot(worker, artifacts, "07-worker-inbox-phone")
    job.click()
    worker.locator("input[name=decision][value=accept]").check()
    worker.get_by_role("button", name="Submit").click()
    expect(worker.get_by_role("heading", name="Do the repair")).to_be_visible()
    worker.locator("textarea[name=result]").fill("更换了三楼卫生间的进水阀门，已试水无渗漏。")
    worker.get_by_label("Materials used").fill("进水阀门 1 个")
    worker.locator("input[type=file][name=photos]").set_input_files(
        files=[{"name": "fixed.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO, colour=(40, 160, 90))}])
    no_sideways_scrolling(worker)
    shot(worker, artifacts, "08-worker-records-the-repair")
    worker.get_by_role("button", name="Submit").click()
    expect(worker.locator(".flash.success")).to_have_text("Task “Do the repair” completed.")  # then the next job

    # the auditor keeps the inbox open meanwhile; its clock is ours to move, to see the 30 s "new tasks" hint
    auditor.clock.install()
    auditor.goto(f"{url}/")
    hint = auditor.locator("[data-inbox-hint]")
    expect(hint).to_be_hidden()
    # read just before the rating: the demo's own hourly reminders may reach the auditor earlier in the journey
    bell_before = int(auditor.locator("[data-testid=bell-count]").inner_text())

    # 4. the requester opens the order: on the phone a button to the rating form, no QR code pushed at them; the
    #    link behind it rates 2 stars, tapped, without logging in
    phone.goto(f"{url}/orders/{number}")
    card = phone.locator("[data-testid=rating-link]")
    rate = card.get_by_role("link", name="Rate this repair")
    expect(rate).to_be_visible()
    expect(card.locator("img.qr")).to_be_hidden()
    expect(phone.locator("[data-testid=photos] ul.photos img")).to_have_count(2)  # reported and after the repair
    shot(phone, artifacts, "09-requester-order-with-rating-button")
    link = rate.get_attribute("href")
    assert "/r/" in link

    scanned = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    scanned.goto(f"{link}?lang=en")
    expect(scanned.get_by_role("heading", name="Rate 刘建军’s repair: “Water leak”")).to_be_visible()
    for name in ("overall", "quality", "efficiency", "attitude"):
        scanned.locator(f"[data-stars={name}] .star").nth(1).tap()
        expect(scanned.locator(f"input[name={name}][value='2']")).to_be_checked()
    scanned.locator("textarea[name=comment]").fill("第二天又开始漏水了。")
    no_sideways_scrolling(scanned)
    shot(scanned, artifacts, "10-rating-by-link")
    scanned.get_by_role("button", name="Send the rating").click()
    expect(scanned.get_by_role("heading", name="Thank you")).to_be_visible()
    shot(scanned, artifacts, "11-rating-thanks")

    # 5. the auditor's open inbox tells of the new task within 30 s and counts it on the bell; the bell leads to it
    auditor.clock.fast_forward("00:31")
    expect(hint).to_be_visible()
    expect(hint.locator("[data-new-count]")).to_have_text("1")
    expect(auditor.locator("[data-testid=bell-count]")).to_have_text(str(bell_before + 1))
    shot(auditor, artifacts, "12-auditor-inbox-new-task-hint")
    hint.get_by_role("link").click()
    search(auditor, number)
    callback = auditor.locator(f"tr[data-key='{number}'] td:first-child a")
    expect(callback).to_have_text("Call the requester back")
    expect(auditor.locator(f"tr[data-key='{number}'] .colour-badge")).to_have_count(0)
    shot(auditor, artifacts, "13-auditor-inbox-with-callback-and-bell")
    auditor.locator(".bell").click()
    item = auditor.locator("li.notification[data-kind='repair.bad_rating']", has_text=number)  # the demo's own too
    expect(item).to_contain_text(f"Bad rating (2 of 5) on order {number}: call the requester back.")
    shot(auditor, artifacts, "14-auditor-notifications")
    item.get_by_role("button").first.click()
    expect(auditor.get_by_role("heading", name="Call the requester back")).to_be_visible()
    expect(auditor.locator("[data-testid=bell-count]")).to_have_text(str(bell_before))
    expect(auditor.locator(".display[data-field=overall] .value")).to_have_text("2")
    expect(auditor.locator(".display[data-field=comment] .value")).to_have_text("第二天又开始漏水了。")
    expect(auditor.locator(".instructions li")).to_have_count(3)
    expect(auditor.locator(".instructions")).to_contain_text("Phone the requester")
    shot(auditor, artifacts, "15-auditor-callback-task")
