"""An inspector walks a spot check on a phone, in Chinese: picks the checklist and the place, marks one item failed
without its photo (refused, the sheet says why), adds the photo, has the cleaning supervisor confirm on site, and
reads the round's score and its finding; the finding's page shows the photo. On another round they add problems
seen beside the checklist one by one, remove one before sending, and the other becomes a finding."""
from __future__ import annotations

import pytest
from images import wait_until_shown
from prepared import a_building, a_checklist

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}


def test_an_inspector_completes_a_round_on_a_phone_with_photos(new_page, live_server, artifacts, tmp_path):
    from playwright.sync_api import expect
    from websupport import png_bytes

    checklist = a_checklist(live_server.data_dir)
    _campus, _building, place = a_building(live_server.data_dir)
    photo = tmp_path / "corridor.png"
    photo.write_bytes(png_bytes(size=(640, 480), colour=(120, 110, 90)))

    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/m/inspections")
    phone.locator("input[name=username]").fill("supervisor")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    expect(phone.get_by_test_id("inspection-home")).to_be_visible()
    phone.locator("select[name=template_id]").select_option(label=checklist)
    phone.locator("select[name=building_id]").select_option(label=place)
    phone.locator("select[name=unit_id]").select_option(label="后勤服务公司")
    phone.locator("input[name=spot]").fill("三楼东侧走廊")
    phone.get_by_role("button", name="开始抽查").click()

    sheet = phone.get_by_test_id("round-sheet")
    expect(sheet).to_contain_text("楼道地面干净无垃圾")
    phone.locator("input[name='items-0-passed'][value=yes]").check()
    phone.locator("input[name='items-1-passed'][value=no]").check()
    phone.locator("fieldset[data-item='1'] summary").click()
    phone.locator("textarea[name='items-1-note']").fill("三楼走廊有纸屑和饮料瓶未清理")
    phone.locator("select[name='items-1-severity']").select_option("major")
    phone.get_by_role("button", name="提交巡查结果").click()
    expect(phone.locator("fieldset[data-item='1'] .error:not([hidden])")).to_contain_text("必须上传照片")  # refused, nothing kept
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"

    phone.locator("input[name='items-0-passed'][value=yes]").check()
    phone.locator("input[name='items-1-passed'][value=no]").check()
    phone.locator("input[name='items-1-photos']").set_input_files(str(photo))
    phone.locator("input[name='items-2-deduction']").fill("5")
    phone.locator("fieldset[data-item='2'] summary").click()
    phone.locator("textarea[name='items-2-note']").fill("东侧垃圾桶已满溢")
    phone.locator("input[name=confirmed]").check()
    phone.locator("input[name=confirmed_by]").fill("保洁主管 陈红")
    phone.screenshot(path=str(artifacts / "inspection-phone-sheet.png"), full_page=True)
    phone.get_by_role("button", name="提交巡查结果").click()

    expect(phone.locator(".flash.success")).to_contain_text("发现 2 个问题")
    expect(phone.get_by_test_id("score")).to_have_text("63")  # 10 + 0 + 15 of 40 points: 62.5, rounded up
    expect(phone.get_by_test_id("round-facts")).to_contain_text("保洁主管 陈红")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.screenshot(path=str(artifacts / "inspection-phone-round.png"), full_page=True)

    phone.locator("section.card a[href*='/inspections/findings/']").first.click()
    expect(phone.get_by_test_id("finding-facts")).to_contain_text("三楼走廊有纸屑和饮料瓶未清理")
    thumbnail = phone.locator("ul.photos img").first
    wait_until_shown(thumbnail)
    phone.screenshot(path=str(artifacts / "inspection-phone-finding.png"), full_page=True)
    phone.get_by_role("link", name="此地点的巡查情况").click()
    expect(phone.get_by_test_id("last-time")).to_contain_text("三楼走廊有纸屑和饮料瓶未清理")
    phone.screenshot(path=str(artifacts / "inspection-phone-place.png"), full_page=True)


def _spot_check_in_chinese(new_page, live_server, checklist: str, place: str):
    from playwright.sync_api import expect

    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/m/inspections")
    phone.locator("input[name=username]").fill("supervisor")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    phone.locator("select[name=template_id]").select_option(label=checklist)
    phone.locator("select[name=building_id]").select_option(label=place)
    phone.locator("select[name=unit_id]").select_option(label="后勤服务公司")
    phone.get_by_role("button", name="开始抽查").click()
    expect(phone.get_by_test_id("round-sheet")).to_be_visible()
    return phone


def test_an_inspector_adds_problems_beside_the_checklist_and_removes_one_before_sending(new_page, live_server, artifacts,
                                                                                      tmp_path):
    from playwright.sync_api import expect
    from websupport import png_bytes

    checklist = a_checklist(live_server.data_dir)
    _campus, _building, place = a_building(live_server.data_dir)
    photo = tmp_path / "lights.png"
    photo.write_bytes(png_bytes(size=(640, 480), colour=(30, 30, 40)))
    phone = _spot_check_in_chinese(new_page, live_server, checklist, place)
    problems = phone.get_by_test_id("extra-problems")
    rows = problems.locator("fieldset[data-problem]:visible")
    expect(rows).to_have_count(0)  # the spare rows wait until asked for

    problems.get_by_role("button", name="添加问题").click()
    problems.get_by_role("button", name="添加问题").click()
    expect(rows).to_have_count(2)
    rows.nth(0).locator("textarea").fill("二楼饮水机漏水")
    rows.nth(1).locator("textarea").fill("3号楼2层走廊灯不亮")
    rows.nth(1).locator("select").select_option("major")
    rows.nth(1).locator("input[type=text]").fill("2层东侧走廊")
    rows.nth(1).locator("input[type=file]").set_input_files(str(photo))
    expect(rows.nth(1).locator(".upload-previews img")).to_have_count(1)
    rows.nth(0).get_by_role("button", name="移除").click()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator("legend")).to_have_text("问题 1")
    expect(rows.nth(0).locator("textarea")).to_have_value("3号楼2层走廊灯不亮")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.screenshot(path=str(artifacts / "inspection-phone-other-problems.png"), full_page=True)

    phone.locator("input[name='items-0-passed'][value=yes]").check()
    phone.locator("input[name='items-1-passed'][value=yes]").check()
    phone.get_by_role("button", name="提交巡查结果").click()
    expect(phone.locator(".flash.success")).to_contain_text("发现 1 个问题")
    findings = phone.locator("section.card a[href*='/inspections/findings/']")
    expect(findings).to_have_count(1)
    expect(phone.locator("main")).to_contain_text("3号楼2层走廊灯不亮 · 不在检查表内")
    expect(phone.locator("main")).not_to_contain_text("二楼饮水机漏水")
    findings.first.click()
    expect(phone.get_by_test_id("finding-facts")).to_contain_text("2层东侧走廊")
    wait_until_shown(phone.locator("ul.photos img").first)


def test_the_office_writes_a_checklist_in_chinese(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    page = new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/inspections/checklists/new")
    page.locator("input[name=username]").fill("supervisor")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.locator("input[name=name]").fill("校园安保巡查")
    page.locator("select[name=service_type]").select_option("security")
    page.locator("input[name='items-0-text']").fill("监控设备运行正常")
    page.locator("select[name='items-0-standard_ref']").select_option(index=1)  # the library's first item
    page.locator("textarea[name='items-0-standard']").fill("监控画面清晰，录像保存30天")
    page.locator("input[name='items-0-photo_required']").check()
    page.locator("input[name='items-1-text']").fill("门岗人员在岗")
    page.locator("select[name='items-1-scoring']").select_option("points")
    page.locator("input[name='items-1-points']").fill("20")
    page.screenshot(path=str(artifacts / "inspection-checklist-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("checklists")).to_contain_text("校园安保巡查")
    expect(page.get_by_test_id("checklists")).to_contain_text("安保")
    page.screenshot(path=str(artifacts / "inspection-checklists.png"), full_page=True)


def test_the_round_sheet_shows_the_standard_item_each_item_checks(new_page, live_server, artifacts):
    """The demo cleaning checklist's items name the demo cleaning standard's items: the phone sheet shows each one's
    number and text under the item, and its link opens the standard."""
    from playwright.sync_api import expect

    _campus, _building, place = a_building(live_server.data_dir)
    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/m/inspections")
    phone.locator("input[name=username]").fill("supervisor")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    phone.locator("select[name=template_id]").select_option(label="教学楼保洁检查")
    phone.locator("select[name=building_id]").select_option(label=place)
    phone.locator("select[name=unit_id]").select_option(label="后勤服务公司")
    phone.get_by_role("button", name="开始抽查").click()

    standards = phone.get_by_test_id("round-sheet").get_by_test_id("linked-standard")
    expect(standards).to_have_count(3)
    expect(standards.nth(1)).to_contain_text("BJ-01 1")
    expect(standards.nth(1)).to_contain_text("公共区域每日清扫两次")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.screenshot(path=str(artifacts / "inspection-phone-standards.png"), full_page=True)
    standards.nth(1).get_by_role("link").click()
    expect(phone.locator("body")).to_contain_text("公共区域保洁服务标准")
