"""Checklist items and plan checklist lines linked to the standards library: the office picks a standard item for a
checklist item and the inspector reads its number and text on the phone round sheet (in Chinese) and on the
finding's page; the link follows the item into the standard's next version; another school's standard item is
refused with nothing stored; a plan line's standard item shows on the worker's task page and the occurrence page."""
from __future__ import annotations

from sqlalchemy import func, select
from websupport import png_bytes

from engine.models import AuditEvent, HumanTask
from workflows.catalogue.models import Building
from workflows.inspections.models import InspectionItem, InspectionTemplate
from workflows.people.enums import Role, UnitKind
from workflows.people.models import OrgUnit, School, User
from workflows.plans.models import WorkPlan
from workflows.standards import service as standards
from workflows.standards.models import StandardDocument
from workflows.standards.service import Writing

CLEANING = "1 公共区域每日清扫两次\n2 垃圾桶每日清运一次\n3 卫生间每两小时巡检一次"


def _standard(site, *, school_id: int | None = None, code: str = "BJ-01") -> int:
    with site.db() as session:
        school_id = school_id or site.school_id
        author = session.scalar(select(User).where(User.school_id == school_id))
        document = standards.create(session, school_id=school_id, code=code, service_type="cleaning", catalogue_item_id=None,
                                    writing=Writing(title="公共区域保洁服务标准", items=CLEANING), author=author)
        session.flush()
        return document.id


def _checklist_form(standard_ref: str) -> dict:
    return {"name": "教学楼保洁检查", "service_type": "cleaning", "active": "y",
            "items-0-text": "楼道地面干净无垃圾", "items-0-standard_ref": standard_ref, "items-0-scoring": "pass_fail",
            "items-0-points": "10",
            "items-1-text": "卫生间无异味", "items-1-standard": "无异味、无积水", "items-1-scoring": "pass_fail", "items-1-points": "10",
            "items-2-text": "", "items-2-scoring": "pass_fail", "items-2-points": "10"}


def _spot_check(site, template_id: int) -> str:
    with site.db() as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == UnitKind.service_unit))
        place = session.scalar(select(Building.id).where(Building.school_id == site.school_id, Building.name == "第一食堂"))
    response = site.client("supervisor").submit("/m/inspections", {"template_id": str(template_id), "building_id": str(place),
                                                                    "unit_id": str(unit)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def test_a_checklist_item_names_a_standard_item_the_round_sheet_shows_in_chinese_and_a_new_version_keeps(site):
    document_id = _standard(site)
    office = site.client("supervisor")
    assert "BJ-01 1 公共区域每日清扫两次" in office.page("/inspections/checklists/new")  # the picker offers the items
    assert office.submit("/inspections/checklists/new", _checklist_form(f"{document_id}:1")).status_code == 302
    with site.db() as session:
        template = session.scalar(select(InspectionTemplate).where(InspectionTemplate.name == "教学楼保洁检查"))
        linked, plain = template.items
        assert (linked.standard_document_id, linked.standard_number) == (document_id, "1")
        assert plain.standard_ref is None and plain.standard == "无异味、无积水"
        template_id = template.id
        audit = session.scalar(select(AuditEvent.details).where(AuditEvent.action == "admin.inspection_template.create"))
        assert f"{document_id}:1" in str(audit)
    assert f'<option selected value="{document_id}:1">' in office.page(f"/inspections/checklists/{template_id}")

    number = _spot_check(site, template_id)
    inspector = site.client("supervisor")
    sheet = inspector.page(f"/m/inspections/{number}?lang=zh_CN")
    assert "结果" in sheet or "巡查" in sheet  # read in Chinese
    assert "BJ-01 1</a>：公共区域每日清扫两次" in sheet and "/standards/BJ-01?version=1" in sheet

    with site.db() as session:  # the standard's next version rewords the item and keeps its number
        document = session.get(StandardDocument, document_id)
        author = session.scalar(select(User).where(User.username == "supervisor"))
        standards.revise(session, document, writing=Writing(title="公共区域保洁服务标准", items=CLEANING.replace("两次", "三次"),
                                                            note="提高频次"), author=author, catalogue_item_id=None)
    sheet = inspector.page(f"/m/inspections/{number}")
    assert "BJ-01 1</a>：公共区域每日清扫三次" in sheet and "/standards/BJ-01?version=2" in sheet

    done = inspector.submit(f"/m/inspections/{number}", {
        "items-0-passed": "no", "items-0-note": "地面有纸屑", "items-0-severity": "minor", "items-1-passed": "yes",
        "items-0-photos": (png_bytes(), "floor.png")})
    assert done.status_code == 302, done.get_data(as_text=True)
    with site.db() as session:
        finding = session.scalar(select(func.max(AuditEvent.business_key)).where(AuditEvent.business_key.like(f"{number}-%")))
    page = inspector.page(f"/inspections/findings/{finding}")
    assert "BJ-01 1 公共区域每日清扫三次" in page and 'data-testid="standard-link"' in page


def test_another_schools_standard_item_is_refused_and_nothing_is_stored(site):
    site.other_school_user("outsider", Role.supervisor)
    with site.db() as session:
        other = session.scalar(select(School.id).where(School.code == "other-outsider"))
    theirs = _standard(site, school_id=other)
    office = site.client("supervisor")
    with site.db() as session:
        audits = session.scalar(select(func.count(AuditEvent.id)))
    refused = office.submit("/inspections/checklists/new", _checklist_form(f"{theirs}:1"))
    assert refused.status_code == 200 and "not a standard of this school" in refused.get_data(as_text=True)
    assert office.submit("/inspections/checklists/new", _checklist_form("junk")).status_code == 200
    with site.db() as session:
        assert session.scalar(select(func.count(InspectionTemplate.id))) == 0
        assert session.scalar(select(func.count(InspectionItem.id))) == 0
        assert session.scalar(select(func.count(AuditEvent.id))) == audits


def _plan_form(site, checklist: str) -> dict:
    with site.db() as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.parent_id.is_(None)))
    return {"title": "教学楼保洁周检", "unit_id": str(unit), "responsible_id": str(site.user("worker").id), "places": "第一教学楼",
            "recurrence": "monthly", "interval": "1", "starts_on": "2026-11-18", "duration_days": "1",
            "checklist": checklist, "evidence": ["photos"]}


def test_a_plan_line_names_a_standard_item_the_worker_reads_on_the_task_page(site):
    document_id = _standard(site)
    site.other_school_user("outsider", Role.supervisor)
    office = site.client("supervisor")
    with site.db() as session:
        other = session.scalar(select(School.id).where(School.code == "other-outsider"))
    _standard(site, school_id=other, code="QT-09")
    refused = office.submit("/plans/new", _plan_form(site, "清扫地面 [QT-09 1]"))  # another school's standard
    assert refused.status_code == 200 and "line 1: not a standard of this school" in refused.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(WorkPlan.id))) == 0

    assert office.submit("/plans/new", _plan_form(site, "清扫地面 [BJ-01 1]\n垃圾清运【BJ-01 2】\n开窗通风")).status_code == 302
    with site.db() as session:
        plan = session.scalar(select(WorkPlan))
        assert plan.checklist == ["清扫地面", "垃圾清运", "开窗通风"]
        assert plan.checklist_standards == [{"document_id": document_id, "number": "1"},
                                            {"document_id": document_id, "number": "2"}, None]
        task, occurrence = session.execute(select(HumanTask.id, HumanTask.business_key)
                                           .where(HumanTask.business_key.like(f"JH{plan.id:05d}-%"))).one()
        plan_id = plan.id
    assert "清扫地面 [BJ-01 1]\n垃圾清运 [BJ-01 2]\n开窗通风" in office.page(f"/plans/{plan_id}/edit")
    worker = site.client("worker")
    page = worker.page(f"/tasks/{task}?lang=zh_CN")
    assert "清扫地面：BJ-01 1 公共区域每日清扫两次" in page and "垃圾清运：BJ-01 2 垃圾桶每日清运一次" in page
    assert "BJ-01 2</a>：垃圾桶每日清运一次" in worker.page(f"/plans/occurrences/{occurrence}")


def test_a_refused_plan_line_is_named_by_its_number_with_the_links_own_refusal_in_chinese(site):
    _standard(site)
    office = site.client("supervisor")
    refused = office.submit("/plans/new", _plan_form(site, "开窗通风\n\n清扫地面 [BJ-01 9]"), form_page="/plans/new?lang=zh_CN")
    assert refused.status_code == 200 and "第 3 行：该服务标准中没有此条款" in refused.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(WorkPlan.id))) == 0


def test_a_checklist_items_refused_standard_is_said_on_that_items_picker_in_chinese(site):
    document_id = _standard(site)
    office = site.client("supervisor")
    office.page("/inspections/checklists/new?lang=zh_CN")
    for value, why in (("junk", "不是服务标准条款"), (f"{document_id}:9", "该服务标准中没有此条款")):
        page = office.submit("/inspections/checklists/new", _checklist_form(value)).get_data(as_text=True)
        picker = page.split('name="items-0-standard_ref"', 1)[1].split('name="items-0-standard"', 1)[0]
        assert why in picker, value
    with site.db() as session:
        assert session.scalar(select(func.count(InspectionTemplate.id))) == 0
