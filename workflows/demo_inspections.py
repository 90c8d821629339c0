"""Demo inspections, so the inspection pages are not empty: three checklists (cleaning, dormitory, canteen), a weekly
cleaning round at the first teaching building (its items name the demo cleaning standard's items), four past
weeks of passed spot checks there, and this week's rounds
at a dormitory and the first canteen whose findings are with the service company now."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.host import Host
from engine.models import AuditEvent
from rules.store import RuleStore
from workflows.catalogue.models import Building
from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
from workflows.inspections.enums import Scoring
from workflows.inspections.models import InspectionRound, InspectionTemplate
from workflows.inspections.rounds import ItemResult, RoundReport, carry_out, start_spot_check
from workflows.inspections.schedules import ScheduleEntry, create_schedule, plan_rounds
from workflows.modules.contract import DemoSetting
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.timezone import local_date, local_today, school_zone
from workflows.standards.links import StandardRef
from workflows.standards.service import by_code

CHECKLISTS = [
    ("教学楼保洁检查", "cleaning", [
        ItemEntry("卫生间无异味、无积水", standard="卫生间每两小时保洁一次，地面干燥"),
        ItemEntry("楼道地面干净无垃圾", standard="地面无垃圾、无污渍、无积水"),
        ItemEntry("垃圾桶按时清运", standard="垃圾不满溢，每日清运两次", scoring=Scoring.points, points=20)]),
    ("学生公寓安全检查", "dormitory", [
        ItemEntry("消防通道畅通", standard="通道、楼梯无堆放杂物", scoring=Scoring.points, points=20),
        ItemEntry("楼道照明完好", standard="灯具完好率100%"),
        ItemEntry("值班记录完整", standard="值班人员在岗，交接记录完整")]),
    ("食堂卫生检查", "canteen", [
        ItemEntry("操作台面清洁", standard="台面无油污、无食物残渣"),
        ItemEntry("餐具消毒记录完整", standard="每餐消毒并登记", scoring=Scoring.points, points=20),
        ItemEntry("生熟分开存放", standard="生熟食品分区分柜存放并标识", scoring=Scoring.points, points=20)]),
]


CLEANING_STANDARD = ("BJ-01", {"卫生间无异味、无积水": "3", "楼道地面干净无垃圾": "1", "垃圾桶按时清运": "4"})


def _linked(session: Session, school_id: int, items: list[ItemEntry]) -> list[ItemEntry]:
    """The cleaning checklist's items with the demo cleaning standard's items they check, when the library has it."""
    code, numbers = CLEANING_STANDARD
    document = by_code(session, school_id=school_id, code=code)
    if document is None:
        return items
    return [replace(item, standard_ref=StandardRef(document.id, numbers[item.text])) if item.text in numbers else item
            for item in items]


def seed_demo(session: Session, demo: DemoSetting) -> bool:
    """The inspections module's part of the demo (its :attr:`ProcessModule.demo`)."""
    return seed_inspections(session, demo.host, demo.rules, school_id=demo.school_id)


def seed_inspections(session: Session, host: Host, store: RuleStore, *, school_id: int) -> bool:
    """Create the demo inspections unless the school has checklists; return whether anything was created."""
    if session.scalar(select(InspectionTemplate.id).where(InspectionTemplate.school_id == school_id)):
        return False
    book = store.book(session, school_id)
    inspector = session.scalar(select(User).where(User.school_id == school_id, User.username == "supervisor"))
    company = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.kind == UnitKind.service_unit))
    if inspector is None or company is None:
        return False
    places = {b.name: b.id for b in session.scalars(select(Building).where(Building.school_id == school_id))}
    templates = [save_checklist(session, school_id=school_id, actor="admin",
                                entry=ChecklistEntry(name=name, service_type=kind, items=_linked(session, school_id, items)))
                 for name, kind, items in CHECKLISTS]
    cleaning, dormitory, canteen = templates
    create_schedule(session, book, school_id=school_id, actor="admin", entry=ScheduleEntry(
        template_id=cleaning.id, building_id=places["第一教学楼"], unit_id=company, inspector_id=inspector.id,
        recurrence="weekly", starts_on=local_today(session, school_id)))
    plan_rounds(session, store)

    def walk(template: InspectionTemplate, place: str, results: list[ItemResult], *, spot: str = "",
             confirmed_by: str = "") -> InspectionRound:
        row = start_spot_check(session, book, inspector=inspector, template_id=template.id, building_id=places[place],
                               unit_id=company, spot=spot)
        carry_out(session, host, book, inspector=inspector, number=row.number,
                  report=RoundReport(results=results, confirmed_by=confirmed_by, confirmed=bool(confirmed_by)))
        return row

    first, second, third = (item.id for item in cleaning.items)
    for weeks in range(4, 0, -1):  # passed checks in the past four weeks (a deduction would open a finding now)
        row = walk(cleaning, "第一教学楼", [ItemResult(first), ItemResult(second), ItemResult(third)],
                   confirmed_by="保洁主管 陈红")
        _backdate(session, row, timedelta(weeks=weeks))
    exits, lights, duty = (item.id for item in dormitory.items)
    walk(dormitory, "学生公寓1号楼", [
        ItemResult(exits, deduction=10, note="三楼楼梯口堆放自行车和纸箱", severity="major"),
        ItemResult(lights, passed=False, note="二楼东侧走廊两盏灯不亮", severity="minor"), ItemResult(duty)], spot="一至三楼")
    table, dishes, storage = (item.id for item in canteen.items)
    walk(canteen, "第一食堂", [ItemResult(table), ItemResult(dishes, deduction=5, note="周三晚餐消毒未登记", severity="minor"),
                              ItemResult(storage, deduction=20, note="冷藏柜内生肉与熟食混放", severity="critical")],
         spot="二楼操作间", confirmed_by="食堂主管 李强")
    return True


def _backdate(session: Session, row: InspectionRound, ago: timedelta) -> None:
    """Move a round without findings (and its audit rows) into the past, as if it had been walked then: its number
    is that day's first spot check."""
    assert row.done_at is not None
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == row.number,
                                                           AuditEvent.school_id == row.school_id)))
    row.created_at, row.done_at = row.created_at - ago, row.done_at - ago
    row.number = f"XC{local_date(row.done_at, school_zone(session, row.school_id)):%Y%m%d}0001"
    for event in events:
        event.at, event.business_key = event.at - ago, row.number
