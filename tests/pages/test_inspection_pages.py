"""Inspection pages: the office writes a checklist, an inspector carries out a spot check on the phone page (a
failed item without its required photo is refused with nothing stored, then recorded with photos; problems seen
beside the checklist are added, and bad ones refused), the place's page answers whether last time's problems were
fixed, a re-check by someone else is refused, and another school's inspector finds nothing."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from websupport import PDF, png_bytes

from engine.models import HumanTask
from forms.uploads import Upload
from webapp.inspections import phone
from workflows.catalogue.models import Building
from workflows.i18n import N_
from workflows.inspections.models import InspectionFinding, InspectionResult, InspectionRound, InspectionTemplate
from workflows.inspections.rounds import MAX_SPOT, RoundError
from workflows.people.enums import Role, UnitKind
from workflows.people.models import OrgUnit
from workflows.tasklist import keep_file


def _ids(site) -> tuple[int, int]:
    with site.db() as session:
        return (session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == UnitKind.service_unit)),
                session.scalar(select(Building.id).where(Building.school_id == site.school_id, Building.name == "第一食堂")))


def _checklist(site) -> int:
    office = site.client("supervisor")
    response = office.submit("/inspections/checklists/new", {
        "name": "食堂卫生检查", "service_type": "canteen", "active": "y",
        "items-0-text": "操作台面清洁", "items-0-standard": "台面无油污、无食物残渣", "items-0-scoring": "pass_fail",
        "items-0-points": "10", "items-0-photo_required": "y",
        "items-1-text": "餐具消毒记录完整", "items-1-standard": "每餐消毒并登记", "items-1-scoring": "points", "items-1-points": "20",
        "items-2-text": "", "items-2-scoring": "pass_fail", "items-2-points": "10"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with site.db() as session:
        return session.scalar(select(InspectionTemplate.id).where(InspectionTemplate.name == "食堂卫生检查"))


def _spot_check(site, template_id: int) -> str:
    unit, place = _ids(site)
    response = site.client("supervisor").submit("/m/inspections", {"template_id": str(template_id), "building_id": str(place),
                                                                    "unit_id": str(unit), "spot": "二楼操作间"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _sheet(**extra) -> dict:
    return {"items-0-passed": "no", "items-0-note": "操作台有油污", "items-0-severity": "major",
            "items-1-deduction": "5", "items-1-note": "周三消毒未登记", "items-1-severity": "minor", **extra}


def test_the_office_writes_a_checklist_and_edits_it_keeping_the_items(site):
    template_id = _checklist(site)
    with site.db() as session:
        template = session.get(InspectionTemplate, template_id)
        assert [(i.text, i.scoring, i.points, i.photo_required) for i in template.items] == [
            ("操作台面清洁", "pass_fail", 10, True), ("餐具消毒记录完整", "points", 20, False)]
        first = template.items[0].id
    office = site.client("supervisor")
    page = office.page(f"/inspections/checklists/{template_id}")
    assert "台面无油污" in page
    refused = office.submit(f"/inspections/checklists/{template_id}", {
        "name": "食堂卫生检查", "service_type": "canteen", "items-0-item_id": str(first), "items-0-text": "操作台面清洁",
        "items-0-scoring": "pass_fail", "items-0-points": "500"})
    assert refused.status_code == 200 and "100" in refused.get_data(as_text=True).split('role="alert"', 1)[1][:80]
    with site.db() as session:
        assert session.get(InspectionTemplate, template_id).items[0].points == 10  # nothing changed
    assert site.client("worker").get("/inspections/checklists").status_code == 403


def test_an_inspector_carries_out_a_spot_check_on_the_phone_and_the_place_shows_what_is_open(site):
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    refused = inspector.submit(f"/m/inspections/{number}", _sheet())  # the failed item needs its photo
    assert refused.status_code == 200 and "needs a photo" in refused.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
        assert session.scalar(select(func.count(InspectionFinding.id))) == 0
        assert session.scalar(select(InspectionRound.status).where(InspectionRound.number == number)) == "planned"

    done = inspector.submit(f"/m/inspections/{number}", _sheet(**{
        "items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")], "confirmed": "y", "confirmed_by": "食堂主管 李强"}))
    assert done.status_code == 302, done.get_data(as_text=True)
    with site.db() as session:
        row = session.scalar(select(InspectionRound).where(InspectionRound.number == number))
        assert (row.status, row.score, row.confirmed_by) == ("done", 50, "食堂主管 李强")  # 15 of 30 points
        found = list(session.scalars(select(InspectionFinding).where(InspectionFinding.round_id == row.id)))
        place = row.building_id
    assert [f.severity for f in found] == ["major", "minor"] and len(found[0].photos) == 1
    round_page = inspector.page(f"/inspections/rounds/{number}")
    assert "食堂主管 李强" in round_page and found[0].number in round_page
    assert 'class="photos small kept-files" data-testid="item-photos"' in round_page  # the failed item's photo
    finding_page = inspector.page(f"/inspections/findings/{found[0].number}")
    assert "操作台有油污" in finding_page and "台面无油污" in finding_page  # what was found, the standard it broke
    photo = f"/inspections/{found[0].number}/photos/{found[0].photos[0]['stored']}"
    assert f'<a href="{photo}"><img src="{photo}?thumb=1" alt="{found[0].photos[0]["name"]}"' in finding_page
    assert 'class="photos small kept-files" data-testid="finding-photos"' in finding_page  # the shared kept-files list
    assert inspector.get(photo).status_code == 200
    place_page = inspector.page(f"/inspections/places/{place}")
    assert found[0].number in place_page and found[1].number in place_page
    # the next round at the place lists what is still open first
    second = _spot_check(site, row.template_id)
    sheet = inspector.page(f"/m/inspections/{second}")
    assert sheet.index(found[0].number) < sheet.index("餐具消毒记录完整")
    # the unit sees its finding; the findings list groups per unit and severity
    assert site.client("deputy").get(f"/inspections/findings/{found[0].number}").status_code == 200
    listing = site.client("schoolboss").page("/inspections/findings")
    assert found[0].number in listing and 'data-testid="per-unit-severity"' in listing




def test_an_items_photo_is_a_picture_and_a_pdf_is_refused_saying_so(site):
    """An item's photos show what is wrong there: a PDF, which the shared check of kept files takes elsewhere, is
    refused next to the item, in the page's language, and nothing is stored."""
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    for lang, says in (("en", "“report.pdf” is not a picture (JPEG, PNG or WebP) of at most 8 MB."),
                       ("zh_CN", "“report.pdf”不是不超过 8 MB 的图片（JPEG、PNG 或 WebP）。")):
        refused = inspector.submit(f"/m/inspections/{number}?lang={lang}",
                                   _sheet(**{"items-0-photos": [(io.BytesIO(PDF), "report.pdf")]}))
        page = refused.get_data(as_text=True)
        assert refused.status_code == 200 and says in page.split('data-item="0"', 1)[1].split('data-item="1"', 1)[0], lang
    with site.db() as session:
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
        assert session.scalar(select(InspectionRound.status).where(InspectionRound.number == number)) == "planned"
    assert site.stored_files() == []


def _item_photo() -> dict:
    """The first item's photo, a fresh file for each post."""
    return {"items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")]}


PROBLEM_ROW = re.compile(r'<fieldset class="item-result extra-problem" data-problem([^>]*)>')


def _findings(site, number: str) -> list[InspectionFinding]:
    with site.db() as session:
        return list(session.scalars(select(InspectionFinding).join(InspectionRound, InspectionRound.id == InspectionFinding.round_id)
                                    .where(InspectionRound.number == number).order_by(InspectionFinding.id)))


def test_an_inspector_adds_problems_beside_the_checklist_and_they_are_followed_up_as_findings(site):
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    sheet = inspector.page(f"/m/inspections/{number}")
    rows = PROBLEM_ROW.findall(sheet)
    assert len(rows) == 10 and rows[0] == " data-spare" and all(r == " data-spare hidden disabled" for r in rows[1:])
    assert "Other problems" in sheet and "Add a problem" in sheet and 'name="extra-0-description"' in sheet

    done = inspector.submit(f"/m/inspections/{number}", _sheet(**{
        "items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")],
        "extra-0-description": "3号楼2层走廊灯不亮", "extra-0-severity": "major", "extra-0-spot": "2层东侧走廊",
        "extra-0-photos": [(io.BytesIO(png_bytes(colour=(20, 20, 20))), "lights.png")],
        "extra-1-description": "", "extra-1-severity": "minor", "extra-1-spot": "",  # an empty row is no problem
        "extra-2-description": "消防栓玻璃破损", "extra-2-severity": "critical"}))
    assert done.status_code == 302, done.get_data(as_text=True)
    found = _findings(site, number)
    assert [(f.number, f.item_id is None, f.severity) for f in found] == [
        (f"{number}-01", False, "major"), (f"{number}-02", False, "minor"),
        (f"{number}-03", True, "major"), (f"{number}-04", True, "critical")]
    lights = found[2]
    assert (lights.description, lights.spot, len(lights.photos), lights.status) == ("3号楼2层走廊灯不亮", "2层东侧走廊", 1, "rectifying")
    assert _open_task(site, lights.number, "rectify")

    round_page = inspector.page(f"/inspections/rounds/{number}")
    assert lights.number in round_page and "3号楼2层走廊灯不亮 · Not on the checklist" in round_page
    finding_page = inspector.page(f"/inspections/findings/{lights.number}")
    assert "Not on the checklist" in finding_page and "第一食堂 · 2层东侧走廊" in finding_page
    assert inspector.get(f"/inspections/{lights.number}/photos/{lights.photos[0]['stored']}").status_code == 200
    assert "3号楼2层走廊灯不亮" in inspector.page(f"/inspections/places/{lights.building_id}")
    leader = site.client("schoolboss")
    assert lights.number in leader.page("/inspections/findings?show=inspection_findings_open")
    assert 'data-testid="figure-inspection_findings">4<' in leader.page("/dashboard")
    rectify = site.client("deputy").page(f"/tasks/{_open_task(site, lights.number, 'rectify')}")
    shown = _shown(rectify, "item")  # the form's checklist item: none, said so
    assert "Not on the checklist" in shown and "—" not in shown and "3号楼2层走廊灯不亮" in rectify


def test_bad_problems_beside_the_checklist_are_refused_on_the_phone_and_nothing_is_stored(site):
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    too_big = b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024)
    for problem, says in (
            ({"extra-0-spot": "2层走廊", "extra-0-photos": [(io.BytesIO(png_bytes()), "lights.png")]}, "Say what is wrong."),
            ({"extra-0-description": "走廊灯不亮", "extra-0-severity": "urgent"}, "Not a valid choice"),
            ({"extra-0-description": "走廊灯不亮", "extra-0-photos": [(io.BytesIO(b"just words"), "lights.png")]},
             "is not a picture (JPEG, PNG or WebP) of at most 8 MB"),
            ({"extra-0-description": "走廊灯不亮", "extra-0-photos": [(io.BytesIO(PDF), "lights.pdf")]},
             "is not a picture (JPEG, PNG or WebP) of at most 8 MB"),
            ({"extra-0-description": "走廊灯不亮", "extra-0-photos": [(io.BytesIO(too_big), "big.png")]},
             "is not a picture (JPEG, PNG or WebP) of at most 8 MB"),
            ({"extra-0-description": "走廊灯不亮", "extra-0-photos": [(io.BytesIO(png_bytes()), f"{n}.png") for n in range(5)]},
             "Attach at most 4 photos.")):
        refused = inspector.submit(f"/m/inspections/{number}", _sheet(**_item_photo(), **problem))
        page = refused.get_data(as_text=True)
        assert refused.status_code == 200 and says in page.split('name="extra-0-description"', 1)[1], says
        assert 'name="extra-0-description"' in page and PROBLEM_ROW.findall(page)[0] == "", says  # shown, not spare
    with site.db() as session:
        assert session.scalar(select(func.count(InspectionFinding.id))) == 0
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
        assert session.scalar(select(InspectionRound.status).where(InspectionRound.number == number)) == "planned"
    assert site.stored_files() == []  # the photos kept before the refusal went with it

    site.other_school_user("outsider", Role.supervisor)
    problem = {"extra-0-description": "走廊灯不亮", "extra-0-severity": "minor"}
    for someone, status in (("outsider", 404), ("worker", 403)):  # another school's inspector; not an inspector
        sent = site.client(someone).submit(f"/m/inspections/{number}", _sheet(**problem), form_page="/")
        assert sent.status_code == status, someone

    assert inspector.submit(f"/m/inspections/{number}", _sheet(**_item_photo(), **problem)).status_code == 302
    token_page = f"/inspections/rounds/{number}"
    again = inspector.submit(f"/m/inspections/{number}", _sheet(**{**problem, "extra-0-description": "又一处"}),
                             form_page=token_page, follow_redirects=True)
    assert "This round is already recorded" in again.get_data(as_text=True)
    assert [f.description for f in _findings(site, number)] == ["操作台有油污", "周三消毒未登记", "走廊灯不亮"]


def test_the_round_sheet_and_a_finding_beside_the_checklist_read_in_chinese(site):
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    sheet = inspector.page(f"/m/inspections/{number}?lang=zh_CN")
    for words in ("其他问题", "添加问题", "存在的问题", "问题等级", "具体位置（选填）", "移除", "现场发现、但检查表中没有的问题"):
        assert words in sheet, words
    refused = inspector.submit(f"/m/inspections/{number}", _sheet(**{"extra-0-spot": "2层走廊"}, **{
        "items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")]}))
    assert "请说明存在的问题。" in refused.get_data(as_text=True)
    inspector.submit(f"/m/inspections/{number}", _sheet(**{
        "items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")], "extra-0-description": "走廊灯不亮"}))
    extra = _findings(site, number)[-1]
    page = inspector.page(f"/inspections/findings/{extra.number}")
    assert "检查项" in page and "不在检查表内" in page and "走廊灯不亮" in page
    rectify = site.client("deputy").page(f"/tasks/{_open_task(site, extra.number, 'rectify')}?lang=zh_CN")
    assert "不在检查表内" in _shown(rectify, "item")


def _finding(site) -> InspectionFinding:
    number = _spot_check(site, _checklist(site))
    site.client("supervisor").submit(f"/m/inspections/{number}", _sheet(**{
        "items-0-photos": [(io.BytesIO(png_bytes()), "grease.png")]}))
    with site.db() as session:
        return session.scalar(select(InspectionFinding).order_by(InspectionFinding.id))


def test_a_recheck_by_someone_who_is_not_the_inspector_is_refused(site):
    """The fix is shown straight through the engine (the task page wants real photos); the re-check goes through
    the task page as anyone would try it."""
    finding = _finding(site)
    with site.db() as session:
        from engine.advance import complete_task
        from workflows.people.models import User
        from workflows.people.service import actor_for

        task = session.scalar(select(HumanTask).where(HumanTask.business_key == finding.number, HumanTask.task_name == "rectify"))
        deputy = session.scalar(select(User).where(User.username == "deputy"))
        complete_task(site.runtime.host, session, task_id=task.id, actor=actor_for(session, deputy),
                      data={"rectification": {"note": "已清洁", "photos": []}})
    with site.db() as session:
        recheck = session.scalar(select(HumanTask.id).where(HumanTask.business_key == finding.number,
                                                            HumanTask.task_name == "recheck"))
    for someone in ("deputy", "worker"):
        client = site.client(someone)
        assert client.get(f"/tasks/{recheck}").status_code in (403, 404)
        response = client.post(f"/tasks/{recheck}", {"passed": "yes", "comment": ""})
        assert response.status_code in (400, 403, 404)
    with site.db() as session:
        assert session.scalar(select(InspectionFinding.status).where(InspectionFinding.id == finding.id)) == "rechecking"


def test_another_schools_inspector_finds_none_of_the_pages(site):
    finding = _finding(site)
    round_number = finding.number.rsplit("-", 1)[0]
    site.other_school_user("outsider", Role.supervisor)
    outsider = site.client("outsider")
    for path in (f"/inspections/rounds/{round_number}", f"/inspections/findings/{finding.number}",
                 f"/m/inspections/{round_number}", f"/inspections/places/{finding.building_id}",
                 f"/inspections/checklists/{finding.item_id}"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.get(f"/inspections/{finding.number}/photos/{finding.photos[0]['stored']}").status_code == 404


def test_the_dashboard_cards_drill_down_to_the_findings_and_rounds_they_count(site):
    finding = _finding(site)
    leader = site.client("schoolboss")
    dashboard = leader.page("/dashboard")
    assert 'data-testid="figure-inspection_findings">2<' in dashboard  # the major and the minor one
    assert 'data-testid="figure-inspection_spot_checks">1<' in dashboard
    listing = leader.page("/inspections/findings?show=inspection_findings_open")
    assert finding.number in listing and 'data-testid="per-unit-severity"' in listing
    assert finding.number not in leader.page("/inspections/findings?show=inspection_fixed_on_time")
    assert finding.number.rsplit("-", 1)[0] in leader.page("/inspections/rounds?show=inspection_spot_checks")
    assert leader.get("/inspections/rounds?show=nothing").status_code == 404


def test_the_rounds_and_findings_lists_reach_back_a_year_at_most(site):
    leader = site.client("schoolboss")
    for path in ("/inspections/rounds", "/inspections/findings"):
        listing = leader.page(f"{path}?start=2000-01-01T00:00:00%2B00:00&end=2026-03-01T00:00:00%2B00:00")
        assert 'name="start" value="2025-02-28T00:00:00+00:00"' in listing, path  # 366 days before the end


def _shown(page: str, field: str) -> str:
    """What a display field of the task's form shows."""
    return page.split(f'data-field="{field}"', 1)[1].split("</div>", 1)[0]


def _open_task(site, number: str, name: str) -> str:
    with site.db() as session:
        task = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == name))
        assert task is not None, f"no open {name} on {number}"
        return task


def test_the_unit_shows_its_fix_on_the_task_page_and_the_inspector_closes_it(site):
    finding = _finding(site)
    deputy = site.client("deputy")
    task = _open_task(site, finding.number, "rectify")
    page = deputy.page(f"/tasks/{task}")
    assert "操作台有油污" in page and "台面无油污" in page  # the finding beside the task: what, the standard
    refused = deputy.submit(f"/tasks/{task}", {"note": "已清洁"})  # the fix needs its photos
    assert refused.status_code == 200
    with site.db() as session:
        assert session.get(InspectionFinding, finding.id).status == "rectifying"
    fixed = deputy.submit(f"/tasks/{task}", {"note": "已用除油剂清洁台面",
                                             "photos": [(io.BytesIO(png_bytes(colour=(30, 160, 90))), "clean.png")]})
    assert fixed.status_code == 302, fixed.get_data(as_text=True)[-1500:]
    recheck = _open_task(site, finding.number, "recheck")
    done = site.client("supervisor").submit(f"/tasks/{recheck}", {"passed": "yes", "comment": "已整改到位"})
    assert done.status_code == 302, done.get_data(as_text=True)[-1500:]
    with site.db() as session:
        closed = session.get(InspectionFinding, finding.id)
        assert (closed.status, len(closed.fix_photos)) == ("closed", 1)
    page = site.client("supervisor").page(f"/inspections/findings/{finding.number}")
    assert "已用除油剂清洁台面" in page and "已整改到位" in page
    assert site.client("supervisor").get(
        f"/inspections/{finding.number}/photos/{closed.fix_photos[0]['stored']}").status_code == 200


def test_a_first_rectification_says_there_is_no_re_check_yet_and_a_second_shows_what_the_re_check_said(site):
    finding = _finding(site)
    deputy = site.client("deputy")
    task = _open_task(site, finding.number, "rectify")
    for lang, says in (("zh_CN", "尚无复查意见"), ("en", "No re-check yet")):
        shown = _shown(deputy.page(f"/tasks/{task}?lang={lang}"), "comment")
        assert says in shown and "—" not in shown, lang
    deputy.submit(f"/tasks/{task}", {"note": "已清洁", "photos": [(io.BytesIO(png_bytes()), "clean.png")]})
    recheck = _open_task(site, finding.number, "recheck")
    sent_back = site.client("supervisor").submit(f"/tasks/{recheck}", {"passed": "no", "comment": "台面边角仍有油污"})
    assert sent_back.status_code == 302, sent_back.get_data(as_text=True)[-1500:]
    again = _shown(deputy.page(f"/tasks/{_open_task(site, finding.number, 'rectify')}?lang=zh_CN"), "comment")
    assert "台面边角仍有油污" in again and "尚无复查意见" not in again


def test_the_office_schedules_weekly_rounds_and_a_wrong_schedule_is_refused(site):
    template_id = _checklist(site)
    unit, place = _ids(site)
    office = site.client("supervisor")
    form = {"template_id": str(template_id), "building_id": str(place), "unit_id": str(unit),
            "inspector_id": str(site.user("supervisor").id), "recurrence": "weekly", "interval": "1", "weekdays": "1",
            "starts_on": "2030-01-01"}
    refused = office.submit("/inspections/schedules", {**form, "until": "2029-12-01"})
    assert refused.status_code == 200 and "The end comes before the start." in refused.get_data(as_text=True)
    not_an_inspector = office.submit("/inspections/schedules", {**form, "inspector_id": str(site.user("worker").id)})
    assert not_an_inspector.status_code == 200  # the worker is not offered: not a valid choice
    with site.db() as session:
        from workflows.inspections.models import InspectionSchedule

        assert session.scalar(select(func.count(InspectionSchedule.id))) == 0
    assert office.submit("/inspections/schedules", form).status_code == 302
    page = office.page("/inspections/schedules")
    assert "第一食堂" in page and "Every N weeks" in page


def test_a_stopped_schedule_plans_no_more_rounds_and_another_school_cannot_stop_it(site):
    from workflows.inspections.models import InspectionSchedule
    from workflows.inspections.schedules import plan_rounds

    template_id = _checklist(site)
    unit, place = _ids(site)
    office = site.client("supervisor")
    assert office.submit("/inspections/schedules", {
        "template_id": str(template_id), "building_id": str(place), "unit_id": str(unit),
        "inspector_id": str(site.user("supervisor").id), "recurrence": "weekly", "interval": "1",
        "weekdays": [str(d) for d in range(7)], "starts_on": "2020-01-01"}).status_code == 302
    with site.db() as session:
        schedule = session.scalar(select(InspectionSchedule.id))
    site.other_school_user("outsider", Role.supervisor)
    outsider = site.client("outsider")
    assert outsider.submit(f"/inspections/schedules/{schedule}/stop", {}, form_page="/inspections/schedules").status_code == 404
    assert office.submit(f"/inspections/schedules/{schedule}/stop", {}, form_page="/inspections/schedules").status_code == 302
    with site.db() as session:
        assert session.get(InspectionSchedule, schedule).active is False
        assert plan_rounds(session, site.runtime.rules) == 0
    assert "No longer planned" in office.page("/inspections/schedules")


def test_a_pdf_kept_with_a_finding_shows_as_a_link_by_its_name_not_as_a_broken_thumbnail(site):
    """A finding recorded before its photos had to be pictures may hold a PDF."""
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    done = inspector.submit(f"/m/inspections/{number}", _sheet(**_item_photo()))
    assert done.status_code == 302, done.get_data(as_text=True)
    with site.db() as session:
        finding = session.get(InspectionFinding, _findings(site, number)[0].id)
        kept = keep_file(session, site.runtime.uploads_dir / str(site.school_id), Upload("检测报告.pdf", PDF, "application/pdf"))
        finding.photos = [kept]
    stored = kept["stored"]
    page = inspector.page(f"/inspections/findings/{finding.number}")
    assert f'{stored}">检测报告.pdf</a>' in page and f"{stored}?thumb=1" not in page


def test_a_refusal_the_phone_page_has_no_words_of_its_own_for_is_said_in_the_pages_language(site, monkeypatch):
    """The phone page words the fields it knows; the service's refusal of any other field is said as the service
    words it, in the page's language."""
    template = _checklist(site)
    unit, place = _ids(site)

    def refuse(*_args, **_kwargs):
        raise RoundError("spot", N_("at most %(n)d characters"), n=MAX_SPOT)

    monkeypatch.setattr(phone, "start_spot_check", refuse)
    inspector = site.client("supervisor")
    inspector.page("/m/inspections?lang=zh_CN")
    page = inspector.submit("/m/inspections", {"template_id": str(template), "building_id": str(place),
                                               "unit_id": str(unit), "spot": "二楼操作间"}).get_data(as_text=True)
    assert f"最多 {MAX_SPOT} 个字符" in page and "characters" not in page


def test_a_photo_the_storage_refuses_says_why_in_the_pages_language(site):
    """A file that looks like a picture and cannot be read is refused by the photo storage, which says why; the
    phone page says it in Chinese, not the English of the log."""
    number = _spot_check(site, _checklist(site))
    inspector = site.client("supervisor")
    inspector.page(f"/m/inspections/{number}?lang=zh_CN")
    truncated = png_bytes((200, 200))[:60]  # a PNG signature, then nothing readable
    refused = inspector.submit(f"/m/inspections/{number}", _sheet(**{"items-0-photos": [(io.BytesIO(truncated), "half.png")]}))
    assert refused.status_code == 200 and "“half.png”不是可读取的图片" in refused.get_data(as_text=True)
    assert site.stored_files() == []
