"""The generic forms' live parts in a real Chromium, in Chinese, against the real ``houqin serve``:

- dispatching a cleaning job, the cleaning team is chosen already and only its workers are offered, each with the
  jobs in hand; choosing the plumbing team offers the plumbers instead;
- the worker's completion form words its photo field as photos (选择照片, 最多 6 张照片) and shows thumbnails of the
  chosen photos with remove buttons; a phone's portrait photo (pixels stored sideways, EXIF orientation 6) is shown
  upright on the order afterwards;
- assigning a delegated task, the person picker finds a worker by typing and by role, on a phone-sized screen,
  and the report's evidence, which may be a PDF too, is worded as files: a chosen PDF shows a drawn page, "PDF" and
  its name (no emoji, which Debian's Chromium with only fonts-wqy-microhei shows as an empty box); the photo shows as
  a thumbnail before and after sending.

Screenshots: ``test-artifacts/browser/pickers-*.png``.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import signing_in
from images import wait_until_shown
from PIL import Image
from websupport import png_bytes

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PHOTO = (320, 240)  # a photo's size, in pixels
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VISIBLE_OPTIONS = "select => [...select.options].filter(o => !o.hidden && o.value).map(o => o.textContent.trim())"


def sideways_portrait() -> bytes:
    """What a phone held upright writes: landscape pixels (red on the left, blue on the right) and EXIF orientation
    6, "turn 90° clockwise to show", so that upright the red half is on top."""
    image = Image.new("RGB", (400, 300), (30, 60, 220))
    image.paste((220, 30, 30), (0, 0, 200, 300))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def add_workers(data_dir: Path, workers: list[tuple[str, str, str]]) -> None:
    """Accounts written straight into the server's database: (username, name, the name its team starts with)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from workflows.bootstrap import import_models
    from workflows.people.enums import Role
    from workflows.people.models import OrgUnit, School
    from workflows.people.service import create_user

    import_models()
    engine = create_engine(f"sqlite:///{data_dir / 'houqin.db'}")
    try:
        with Session(engine) as session:
            school = session.scalar(select(School.id).where(School.code == "demo"))
            for username, name, team in workers:
                unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school, OrgUnit.name.startswith(team)))
                create_user(session, username=username, password=DEMO_PASSWORD, display_name=name, school_id=school,
                            roles=[(Role.worker, unit)])
            session.commit()
    finally:
        engine.dispose()


def log_in(page, url: str, username: str) -> None:
    """Signed in where the site's own default language (Chinese) applies."""
    from playwright.sync_api import expect

    signing_in.log_in(page, url, username, lang=None)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def shot(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"pickers-{name}.png"), full_page=True)


def has_glyphs(text: str) -> bool:
    """Only letters the test browser's fonts draw: Latin, CJK and their punctuation, no emoji or pictographs."""
    return all(ord(ch) < 0x2000 or 0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF for ch in text)


def offered(select) -> set[str]:
    """The workers a select offers now, each "name（在办 n）" checked and its name kept."""
    labels = select.evaluate(VISIBLE_OPTIONS)
    assert all(re.fullmatch(r".+（在办 \d+）", label) for label in labels), labels
    return {label.rsplit("（", 1)[0] for label in labels}


def open_task(page, url: str, number: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{url}/?q={number}")
    link = page.locator(f"table.tasks tr[data-key='{number}'] td:first-child a")
    expect(link).to_have_count(1)
    link.click()


def test_dispatch_offers_the_items_team_and_its_workers_and_photos_show_before_and_after_sending(
        new_page, live_server, artifacts, tmp_path):
    from playwright.sync_api import expect

    url = live_server.url
    add_workers(tmp_path / "data", [("t-cleaner", "保洁 马阿姨", "保洁绿化班"), ("t-cleaner2", "保洁 黄师傅", "保洁绿化班"),
                                    ("t-plumber", "水电 钱师傅", "水电维修班")])

    requester = new_page(viewport=DESKTOP)
    log_in(requester, url, "requester")
    requester.goto(f"{url}/report")
    requester.locator("input[name=contact_phone]").fill("13800001111")
    requester.locator("select[name=building_id]").select_option(label="图书馆")
    requester.locator("input[name=room]").fill("一楼大厅")
    requester.locator("select[name=catalogue_item_id]").select_option(label="公共区域保洁")
    requester.locator("textarea[name=description]").fill("一楼大厅地面有大片污渍，需要清洁。")
    requester.get_by_role("button", name="提交报修").click()
    number = requester.locator("h1 .number").inner_text()

    auditor = new_page(viewport=DESKTOP)
    log_in(auditor, url, "auditor")
    open_task(auditor, url, number)
    auditor.locator("input[name=decision][value=accept]").check()
    auditor.locator("form.generic-form button[type=submit]").click()
    expect(auditor.get_by_role("heading", name="派工")).to_be_visible()
    team, worker = auditor.locator("select[name=team_id]"), auditor.locator("select[name=worker_id]")
    expect(team.locator("option:checked")).to_have_text("保洁绿化班")  # the item's team
    cleaners = offered(worker)
    assert {"保洁 马阿姨", "保洁 黄师傅", "何秀英"} <= cleaners  # with the demo's own cleaning team
    assert not {"水电 钱师傅", "刘建军", "马俊"} & cleaners
    assert "保洁 马阿姨（在办 0）" in worker.evaluate(VISIBLE_OPTIONS)
    shot(auditor, artifacts, "01-dispatch-cleaning-team-chosen")

    worker.select_option(label="保洁 马阿姨（在办 0）")
    team.select_option(label="水电维修班")
    plumbers = offered(worker)
    assert {"水电 钱师傅", "刘建军", "马俊"} <= plumbers and not cleaners & plumbers
    expect(worker).to_have_value("")  # the cleaner chosen before is not kept for the plumbers
    shot(auditor, artifacts, "02-dispatch-plumbing-team-workers")
    worker.select_option(label=next(o for o in worker.evaluate(VISIBLE_OPTIONS) if o.startswith("刘建军")))
    auditor.locator("form.generic-form button[type=submit]").click()
    expect(auditor.locator(".flash.success")).to_contain_text("已完成")

    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, url, "worker")
    open_task(phone, url, number)
    phone.locator("input[name=decision][value=accept]").check()
    phone.locator("form.generic-form button[type=submit]").click()
    phone.locator("textarea[name=result]").fill("已清洁地面并打蜡。")
    photos = phone.locator("input[type=file][name=photos]")
    box = phone.locator("[data-upload]", has=photos)  # the definition's photo field: worded as photos, not files
    expect(box.get_by_role("button", name="选择照片")).to_be_visible()
    expect(box.locator(".limits")).to_have_text("最多 6 张照片，每张不超过 8 MB。")
    photos.set_input_files(files=[{"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": sideways_portrait()},
                                  {"name": "green.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO, colour=(40, 160, 90))},
                                  {"name": "extra.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO, colour=(200, 200, 40))}])
    previews = phone.locator("[data-upload-previews] li")
    expect(previews).to_have_count(3)
    expect(box.locator("[data-upload-status]")).to_have_text("已选择 3 张")
    expect(previews.nth(0).locator("img")).to_have_attribute("alt", "portrait.jpg")
    wait_until_shown(previews.nth(0).locator("img"))
    shot(phone, artifacts, "03-completion-thumbnails-phone")
    phone.get_by_role("button", name="移除 extra.png").click()
    expect(previews).to_have_count(2)
    assert photos.evaluate("input => [...input.files].map(f => f.name)") == ["portrait.jpg", "green.png"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("form.generic-form button[type=submit]").click()
    expect(phone.locator(".flash.success")).to_contain_text("已完成")

    phone.goto(f"{url}/orders/{number}")
    thumbs = phone.locator("[data-testid=photos] img")
    expect(thumbs).to_have_count(2)
    upright = thumbs.nth(0).evaluate("""img => new Promise(done => {
        const check = () => {
            const canvas = document.createElement('canvas');
            canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(img, 0, 0);
            const top = context.getImageData(img.naturalWidth / 2, 5, 1, 1).data;
            const bottom = context.getImageData(img.naturalWidth / 2, img.naturalHeight - 5, 1, 1).data;
            done({width: img.naturalWidth, height: img.naturalHeight, top: [...top].slice(0, 3), bottom: [...bottom].slice(0, 3)});
        };
        img.complete ? check() : img.addEventListener('load', check);
    })""")
    assert upright["height"] > upright["width"], upright  # a portrait, as it was held
    assert upright["top"][0] > 150 and upright["top"][2] < 100, upright  # red on top
    assert upright["bottom"][2] > 150 and upright["bottom"][0] < 100, upright  # blue below
    shot(phone, artifacts, "04-order-photos-upright")


def test_the_person_picker_finds_a_worker_by_typing_and_role_and_report_evidence_shows_thumbnails(
        new_page, live_server, artifacts, tmp_path):
    from playwright.sync_api import expect

    url = live_server.url
    add_workers(tmp_path / "data", [("t-liu", "木工 刘建华", "木工班"), ("t-cleaner", "保洁 马阿姨", "保洁绿化班")])

    leader = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(leader, url, "leader")
    leader.goto(f"{url}/tasks-supervision/new")
    expect(leader.locator("select[name=assignee_id]")).to_be_hidden()  # the plain list is behind the search
    leader.locator("input[name=title]").fill("图书馆书架加固")
    leader.locator("input[name=deadline]").fill("2030-06-30T17:00")
    search = leader.get_by_role("combobox", name="交给个人")
    expect(search).to_have_attribute("placeholder", "姓名、工号或手机尾号")
    search.fill("刘建")
    options = leader.get_by_role("listbox", name="交给个人").get_by_role("option")
    expect(options).to_have_count(2)
    expect(leader.locator(".picker-status")).to_have_text("找到 2 人")
    shot(leader, artifacts, "05-picker-typed-phone")
    leader.get_by_label("按单位筛选").select_option(label="木工班")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("木工 刘建华")
    leader.get_by_label("按单位筛选").select_option(value="")
    leader.get_by_label("按角色筛选").select_option(label="维修工")
    expect(options).to_have_count(2)
    with leader.expect_response(lambda answer: "/form-sources/" in answer.url):  # the list for "刘建", not the last one
        search.fill("刘建")
    expect(options).to_have_count(2)
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_contain_text("木工 刘建华")
    search.press("Enter")
    expect(leader.locator(".picker-chosen")).to_contain_text("已选：")
    expect(leader.locator(".picker-chosen strong")).to_have_text("木工 刘建华")
    assert leader.locator("select[name=assignee_id] option:checked").inner_text() == "木工 刘建华"
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(leader, artifacts, "06-picker-chosen-phone")
    leader.locator("form button.primary[type=submit]").click()
    expect(leader.locator("[data-testid=task-facts]")).to_contain_text("木工 刘建华")
    number = re.search(r"/tasks-supervision/([^/?#]+)$", leader.url).group(1)

    assignee = new_page(viewport=DESKTOP)
    log_in(assignee, url, "t-liu")
    assignee.goto(f"{url}/tasks-supervision/{number}")
    assignee.locator("input[name=report-percent]").fill("50")
    evidence = assignee.locator("[data-upload]", has=assignee.locator("input[name=report-evidence]"))
    expect(evidence.get_by_role("button", name="选择文件")).to_be_visible()  # it takes PDF files too
    assignee.locator("input[type=file][name=report-evidence]").set_input_files(
        files=[{"name": "shelf.png", "mimeType": "image/png", "buffer": png_bytes(size=PHOTO, colour=(120, 80, 40))},
               {"name": "加固验收单.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(evidence.locator("[data-upload-previews] img")).to_have_count(1)
    document = evidence.locator("[data-upload-previews] li").nth(1)
    expect(document.locator(".file-icon")).to_have_text("PDF")
    expect(document.locator(".file-name")).to_have_text("加固验收单.pdf")
    assert document.locator(".file-icon svg").bounding_box()["height"] > 20  # the page is drawn, not a font's glyph
    said = document.evaluate("item => item.textContent")
    assert said == "PDF加固验收单.pdf移除" and has_glyphs(said), said
    shot(assignee, artifacts, "07-report-evidence-photo-and-pdf")
    document.get_by_role("button", name="移除 加固验收单.pdf").click()
    expect(evidence.locator("[data-upload-previews] li")).to_have_count(1)
    assignee.get_by_role("button", name="汇报", exact=True).click()
    thumb = assignee.locator("[data-testid=report-evidence] img")
    expect(thumb).to_have_count(1)
    wait_until_shown(thumb)
    shot(assignee, artifacts, "08-report-evidence-stored")
