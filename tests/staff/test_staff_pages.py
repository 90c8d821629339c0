"""The staff pages through the real app with CSRF: adding, editing and a leaving recorded on the person's page
(audited, kept in the list under "left"); the list's filters; an Excel import refused cell by cell and idempotent
by staff number; the dispatch page naming why an uncertified worker may not be chosen; a second school refused."""
from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select
from websupport import dashboard_cards

from engine.models import AuditEvent, HumanTask
from tests.statements import statements
from workflows.people.models import OrgUnit
from workflows.people.timezone import local_today
from workflows.staff import figures
from workflows.staff.certificates import EXPIRING_WITHIN
from workflows.staff.models import StaffMember


def _unit(site, name: str) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.name == name))


def _setup_posts(site) -> None:
    admin = site.client("admin")
    for what, code, zh, en in (("post", "electrician", "电工", "Electrician"), ("post", "cleaner", "保洁员", "Cleaner"),
                               ("type", "op-electric", "特种作业操作证-电工", "Electrician's certificate")):
        assert admin.submit(f"/staff/setup/{what}", {f"{what}-code": code, f"{what}-name_zh": zh, f"{what}-name_en": en},
                            form_page="/staff/setup").status_code == 302


def test_add_edit_and_leave_keep_the_person_and_their_history(site):
    _setup_posts(site)
    admin = site.client("admin")
    team = _unit(site, "保洁绿化班")
    form = admin.page("/staff/new")
    post = re.search(r"<option value=\"(\d+)\">Cleaner</option>", form).group(1)
    refused = admin.submit("/staff/new", {"number": "B01", "name": "马阿姨", "unit_id": str(team), "post_id": post,
                                          "kind": "outsourced", "contractor": "", "started_on": "2026-03-01"})
    assert refused.status_code == 200 and "Name the contractor company of an outsourced person." in refused.get_data(as_text=True)
    done = admin.submit("/staff/new", {"number": "B01", "name": "马阿姨", "unit_id": str(team), "post_id": post,
                                       "kind": "outsourced", "contractor": "洁美物业", "phone": "13800001111",
                                       "started_on": "2026-03-01"})
    assert done.status_code == 302
    staff_id = int(done.headers["Location"].rsplit("/", 1)[1])
    twice = admin.submit("/staff/new", {"number": "B01", "name": "另一人", "unit_id": str(team), "kind": "own",
                                        "started_on": "2026-03-01"})
    assert "another person has this staff number" in twice.get_data(as_text=True)  # not "…, or it is empty"
    assert "or it is empty" not in twice.get_data(as_text=True)

    assert admin.submit(f"/staff/{staff_id}/edit", {"number": "B01", "name": "马秀英", "unit_id": str(team), "post_id": post,
                                                    "kind": "outsourced", "contractor": "洁美物业", "phone": "13800001111",
                                                    "started_on": "2026-03-01"}).status_code == 302
    assert admin.submit(f"/staff/{staff_id}/leave", {"left_on": "2026-11-10", "reason": "合同到期"},
                        form_page=f"/staff/{staff_id}").status_code == 302
    page = admin.page(f"/staff/{staff_id}")
    assert "马秀英" in page and "2026-11-10" in page and "合同到期" in page
    late_start = admin.submit(f"/staff/{staff_id}/edit", {"number": "B01", "name": "马秀英", "unit_id": str(team),
                                                          "post_id": post, "kind": "outsourced", "contractor": "洁美物业",
                                                          "phone": "13800001111", "started_on": "2026-11-10"})
    assert late_start.status_code == 200
    assert "the start date must come before the leaving day" in late_start.get_data(as_text=True)
    with site.db() as session:
        person = session.get(StaffMember, staff_id)
        assert person.left_on == date(2026, 11, 10)
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.details["target"].as_string() == f"staff:{staff_id}"))
        assert sorted(actions) == ["admin.staff.create", "admin.staff.leave", "admin.staff.update"]
    assert "马秀英" not in admin.page("/staff")  # the list shows people in service by default …
    assert "马秀英" in admin.page("/staff?status=left")  # … and the leavers on asking
    assert "马秀英" in admin.page(f"/staff?status=all&unit={team}&kind=outsourced")
    assert "马秀英" not in admin.page("/staff?status=all&kind=own")


def test_someone_starting_next_month_is_listed_as_starting_not_in_service(site):
    admin = site.client("admin")
    done = admin.submit("/staff/new", {"number": "B02", "name": "周新来", "unit_id": str(_unit(site, "保洁绿化班")),
                                       "kind": "own", "started_on": "2026-12-01"})
    staff_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert 'data-staff="B02"' not in admin.page("/staff")  # not in service yet, so not among the people in service …
    starting = admin.page("/staff?status=starting")  # … but a choice of the filter of its own
    assert '<option value="starting" selected>Starting</option>' in starting
    assert re.search(r'<tr data-staff="B02">.*?<td data-label="Status">Starting</td>', starting, re.S)
    assert "starts on 2026-12-01" in admin.page(f"/staff/{staff_id}")
    assert re.search(r'<td data-label="状态">待入职</td>', admin.page("/staff?status=all&lang=zh_CN"))


def _sheet(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["工号", "姓名", "单位", "岗位", "用工性质", "外包公司", "电话", "入职日期"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_excel_import_names_each_refused_cell_and_importing_again_changes_nothing(site):
    _setup_posts(site)
    admin = site.client("admin")
    data = _sheet([["E01", "王师傅", "水电维修班", "电工", "自有", "", "13800002222", "2026-01-05"],
                   ["E02", "李师傅", "水电维修班", "锅炉工", "自有", "", "", "2026-01-05"],  # row 3: no such post
                   ["E03", "赵师傅", "水电维修班", "电工", "外包", "", "", "2026-01-05"],  # row 4: no contractor
                   ["E04", "钱师傅", "不存在的班组", "电工", "自有", "", "", "2026-13-01"],  # row 5: unit and date
                   ["E01", "重复", "水电维修班", "电工", "自有", "", "", "2026-01-05"]])  # row 6: number again
    preview = admin.submit("/admin/import/staff", {"sheet": (io.BytesIO(data), "staff.xlsx")}).get_data(as_text=True)
    cells = set(re.findall(r'data-row="(\d+)" data-column="(\w+)"', preview))
    assert cells == {("3", "post"), ("4", "contractor"), ("5", "unit"), ("5", "started_on"), ("6", "number")}
    assert "No active post has this name." in preview and "Not a date (2026-03-01)." in preview
    upload = re.search(r'name="upload" type="hidden" value="([^"]+)"|type="hidden" name="upload" value="([^"]+)"|'
                       r'id="upload" name="upload" type="hidden" value="([^"]+)"', preview)
    staged = next(g for g in upload.groups() if g)
    assert admin.submit("/admin/import/staff/confirm", {"upload": staged}, form_page="/admin/import/staff").status_code == 302
    with site.db() as session:
        assert session.scalar(select(func.count(StaffMember.id))) == 1
    again = admin.submit("/admin/import/staff", {"sheet": (io.BytesIO(data), "staff.xlsx")}).get_data(as_text=True)
    assert "0 changes will be made; 1 rows are already up to date" in again


def test_the_dispatch_page_says_why_an_uncertified_worker_may_not_be_chosen(site):
    _setup_posts(site)
    admin = site.client("admin")
    setup = admin.page("/staff/setup")
    item = re.search(r'<option value="(item:\d+)">Service item: W03 ', setup).group(1)
    kind = re.search(r'name="req-type_ids" value="(\d+)"', setup).group(1)
    assert admin.submit("/staff/setup/requirement", {"req-target": item, "req-type_ids": kind},
                        form_page="/staff/setup").status_code == 302
    number = site.report("配电箱跳闸", item_code="W03")
    site.do(number, "review", "auditor", decision="accept")
    with site.db() as session:
        task = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == "dispatch"))
    auditor = site.client("auditor")
    page = auditor.page(f"/tasks/{task}")
    worker = str(site.user("worker").id)
    workers = re.search(r'<select[^>]*name="worker_id"[^>]*>(.*?)</select>', page, re.S).group(1)
    option = re.search(rf'<option[^>]*value="{worker}"[^>]*>[^<]*</option>', workers).group(0)
    assert "disabled" in option and "may not be dispatched to this item: no valid Electrician&#39;s certificate" in option
    team = str(site.order(number).team_id)
    refused = auditor.submit(f"/tasks/{task}", {"team_id": team, "worker_id": worker}).get_data(as_text=True)
    assert "刘建军 may not be dispatched to this item: no valid Electrician&#39;s certificate" in refused
    assert site.order(number).worker_id is None


def test_a_second_school_sees_none_of_the_register(site):
    _setup_posts(site)
    admin = site.client("admin")
    team = _unit(site, "保洁绿化班")
    done = admin.submit("/staff/new", {"number": "B01", "name": "马阿姨", "unit_id": str(team), "kind": "own",
                                       "started_on": "2026-03-01"})
    staff_id = int(done.headers["Location"].rsplit("/", 1)[1])
    site.other_school_user("admin2", "admin")
    other = site.client("admin2")
    assert "马阿姨" not in other.page("/staff")
    assert other.get(f"/staff/{staff_id}").status_code == 404
    assert other.get(f"/staff/{staff_id}/edit").status_code == 404
    assert other.post(f"/staff/{staff_id}/leave", {"left_on": "2026-11-10"}).status_code in (400, 404)
    site.other_school_user("worker2", "worker")
    assert site.client("worker2").get("/staff").status_code == 403
    assert site.client("worker").get(f"/staff/{staff_id}").status_code == 403  # same school, not their unit's leader


def test_a_certificate_with_its_scan_and_a_refused_file(site):
    from websupport import png_bytes

    _setup_posts(site)
    admin = site.client("admin")
    team = _unit(site, "水电维修班")
    done = admin.submit("/staff/new", {"number": "E01", "name": "王师傅", "unit_id": str(team), "kind": "own",
                                       "started_on": "2026-03-01"})
    staff_id = int(done.headers["Location"].rsplit("/", 1)[1])
    form = admin.page(f"/staff/{staff_id}/certificates/new")
    kind = re.search(r'<option value="(\d+)">Electrician&#39;s certificate</option>', form).group(1)
    fields = {"type_id": kind, "number": "T-001", "issuer": "应急管理局", "valid_from": "2025-01-01",
              "valid_until": "2028-01-01"}
    refused = admin.submit(f"/staff/{staff_id}/certificates/new", {**fields, "scan": (io.BytesIO(b"not a picture"), "x.png")})
    assert refused.status_code == 200 and "is not a picture or PDF file" in refused.get_data(as_text=True)
    stored = admin.submit(f"/staff/{staff_id}/certificates/new", {**fields, "scan": (io.BytesIO(png_bytes()), "scan.png")})
    assert stored.status_code == 302
    page = admin.page(f"/staff/{staff_id}")
    scan = re.search(r'href="(/staff/certificates/\d+/scan)"', page).group(1)
    assert admin.get(scan).status_code == 200 and 'data-colour="valid"' in page
    site.other_school_user("admin2", "admin")
    assert site.client("admin2").get(scan).status_code == 404


def test_the_dashboard_cards_open_the_lists_behind_them(site):
    from workflows.demo_staff import seed_staff

    with site.db() as session:
        seed_staff(session, site.runtime.host, school_id=site.school_id)
    leader = site.client("schoolboss")
    cards = dashboard_cards(leader, "staff")
    links = {key: link for key, (_value, link) in cards.items()}
    assert set(links) == {"staff_staffing_rate", "staff_certified_rate", "staff_certificates_expiring"}
    listed = leader.page(links["staff_certificates_expiring"])
    assert listed.count("colour-yellow") == cards["staff_certificates_expiring"][0] >= 2
    uncertified = leader.page(links["staff_certified_rate"])
    assert "Uncertified people" in uncertified and uncertified.count('href="/staff/') >= 1
    staffing_page = leader.page(links["staff_staffing_rate"])
    assert "<h1>Staffing rate (per cent): 89</h1>" in staffing_page  # 39 people in service of the 44 planned
    rows = {(unit, post): (int(planned), int(active)) for unit, post, planned, active in re.findall(
        r'<tr><td>([^<]*)</td><td data-label="Post">([^<]*)</td>\s*<td data-label="Planned">(\d+)</td>'
        r'<td data-label="In service">(\d+)</td></tr>', staffing_page)}
    assert rows[("保洁绿化班", "Cleaner")] == (12, 8)  # nine cleaners, one of whom left last month
    assert len(rows) == 7 and sum(active for _planned, active in rows.values()) == 39
    assert site.client("worker").get(links["staff_staffing_rate"]).status_code == 403


def _expiring_card(leader) -> tuple[int, int]:
    """The dashboard's certificates-expiring figure and the rows of the list it opens."""
    shown, link = dashboard_cards(leader, "staff")["staff_certificates_expiring"]
    return shown, leader.page(link).count("colour-yellow")


def test_the_expiring_certificates_card_and_its_list_count_only_the_people_in_service(site):
    """Someone who left keeps their certificates on file: neither the card nor its list counts them any more."""
    from workflows.demo_staff import seed_staff

    with site.db() as session:
        seed_staff(session, site.runtime.host, school_id=site.school_id)
    leader = site.client("schoolboss")
    shown, listed = _expiring_card(leader)
    assert shown == listed >= 2
    with site.db() as session:
        today = local_today(session, site.school_id)
        found = figures.expiring(session, school_id=site.school_id, on=today, within=EXPIRING_WITHIN)
        holder = found[0][1]
        held = sum(person is holder for _certificate, person in found)
        holder.left_on = today  # the first day no longer here
    assert _expiring_card(leader) == (shown - held, shown - held)


def test_a_figures_list_works_its_figure_out_once(site):
    """The value and the rows behind it come from one reading of what the figure counts: no statement twice."""
    from workflows.demo_staff import seed_staff

    with site.db() as session:
        seed_staff(session, site.runtime.host, school_id=site.school_id)
    leader = site.client("schoolboss")
    for key in ("staff_staffing_rate", "staff_certified_rate", "staff_certificates_expiring"):
        leader.page(f"/staff/figures/{key}?on=2026-11-16")
        with statements(site.runtime.db_engine) as sent:
            leader.page(f"/staff/figures/{key}?on=2026-11-16")
        assert sorted({s for s in sent if sent.count(s) > 1}) == [], key


def test_a_unit_leaders_staff_pages_work_out_their_units_once(site):
    """The list, its unit choices and "may add"; a person's page and whether the reader manages them: each page
    walks the leader's unit subtree once, however often it asks."""
    from workflows.demo_staff import seed_staff

    with site.db() as session:
        seed_staff(session, site.runtime.host, school_id=site.school_id)
        person = session.scalar(select(StaffMember.id).where(StaffMember.number == "HQ0012"))
    leader = site.client("deputy")
    for path in ("/staff", f"/staff/{person}", "/staff/staffing", f"/staff/{person}/certificates/new"):
        leader.page(path)
        with statements(site.runtime.db_engine) as sent:
            leader.page(path)
        assert sum(s.startswith("WITH RECURSIVE subtree") for s in sent) == 1, path


def test_a_refused_person_is_told_why_in_chinese(site):
    admin = site.client("admin")
    admin.page("/staff/new?lang=zh_CN")
    refused = admin.submit("/staff/new", {"number": "B02", "name": "马阿姨", "unit_id": str(_unit(site, "保洁绿化班")),
                                          "kind": "outsourced", "contractor": "", "started_on": "2026-03-01"})
    assert refused.status_code == 200 and "外包人员请填写外包公司名称。" in refused.get_data(as_text=True)


def test_a_refused_leaving_day_says_which_of_its_two_reasons_it_was_in_chinese(site):
    admin = site.client("admin")
    admin.page("/staff/new?lang=zh_CN")
    done = admin.submit("/staff/new", {"number": "B03", "name": "林师傅", "unit_id": str(_unit(site, "保洁绿化班")),
                                       "kind": "own", "started_on": "2026-03-01"})
    staff_id = int(done.headers["Location"].rsplit("/", 1)[1])
    leave = f"/staff/{staff_id}/leave"
    early = admin.submit(leave, {"left_on": "2026-02-01", "reason": ""}, form_page=f"/staff/{staff_id}", follow_redirects=True)
    assert "离职日期须晚于入职日期" in early.get_data(as_text=True) and "此人已离职" not in early.get_data(as_text=True)
    assert admin.submit(leave, {"left_on": "2026-11-10", "reason": ""}, form_page=f"/staff/{staff_id}").status_code == 302
    again = admin.submit(leave, {"left_on": "2026-11-20", "reason": ""}, form_page=f"/staff/{staff_id}", follow_redirects=True)
    assert "此人已离职" in again.get_data(as_text=True) and "离职日期须晚于入职日期" not in again.get_data(as_text=True)
    taken = admin.submit("/staff/new", {"number": "B03", "name": "另一人", "unit_id": str(_unit(site, "保洁绿化班")),
                                        "kind": "own", "started_on": "2026-03-01"})
    assert "已有其他人使用该工号" in taken.get_data(as_text=True)
