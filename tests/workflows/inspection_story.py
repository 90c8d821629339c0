"""Inspections in a scenario: a checklist of the demo school, a spot check by the demo supervisor at a building,
and the finding's tasks done as the task pages would (photos given as kept-file references)."""
from __future__ import annotations

from sqlalchemy import select

from engine import advance
from engine.db import unit_of_work
from engine.models import HumanTask
from workflows.catalogue.models import Building
from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
from workflows.inspections.models import InspectionFinding, InspectionRound
from workflows.inspections.rounds import ItemResult, RoundReport, carry_out, start_spot_check
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for

PHOTO = {"stored": "fix.jpg", "name": "fix.jpg", "type": "image/jpeg"}


def ids(scenario) -> dict[str, int]:
    with unit_of_work(scenario.host.session_factory) as session:
        return {"company": session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == scenario.school_id,
                                                                   OrgUnit.kind == UnitKind.service_unit)),
                "building": session.scalar(select(Building.id).where(Building.school_id == scenario.school_id,
                                                                     Building.name == "学生公寓1号楼"))}


def checklist(scenario) -> tuple[int, list[int]]:
    """A dormitory checklist: a pass/fail item needing a photo when it fails, and a points item."""
    with unit_of_work(scenario.host.session_factory) as session:
        template = save_checklist(session, school_id=scenario.school_id, actor="admin#1", entry=ChecklistEntry(
            name="宿舍楼公共区域检查", service_type="dormitory", items=[
                ItemEntry("楼道地面干净无垃圾", standard="地面无垃圾、无积水", photo_required=True),
                ItemEntry("消防通道畅通", standard="通道无堆放杂物", scoring="points", points=20)]))
        return template.id, [item.id for item in template.items]


def spot_check(scenario, template_id: int, *, by: str = "supervisor") -> str:
    place = ids(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        inspector = session.scalar(select(User).where(User.username == by))
        row = start_spot_check(session, scenario.runtime.rules.book(session, scenario.school_id), inspector=inspector,
                               template_id=template_id, building_id=place["building"], unit_id=place["company"])
        return row.number


def record(scenario, number: str, results: list[ItemResult], *, by: str = "supervisor", **extra) -> list[str]:
    with unit_of_work(scenario.host.session_factory) as session:
        inspector = session.scalar(select(User).where(User.username == by))
        found = carry_out(session, scenario.host, scenario.runtime.rules.book(session, scenario.school_id),
                          inspector=inspector, number=number, report=RoundReport(results=results, **extra))
        return [f.number for f in found]


def one_finding(scenario, severity: str = "major") -> str:
    """A round whose first item fails (with its photo) at ``severity``: the finding's number."""
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    return record(scenario, number, [ItemResult(first, passed=False, note="楼道有垃圾未清理", severity=severity,
                                                photos=[PHOTO]), ItemResult(second)])[0]


def finding(scenario, number: str) -> InspectionFinding:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(InspectionFinding).where(InspectionFinding.number == number))


def round_of(scenario, number: str) -> InspectionRound:
    with unit_of_work(scenario.host.session_factory) as session:
        row = session.scalar(select(InspectionRound).where(InspectionRound.number == number))
        row.results  # noqa: B018  # loaded before the session closes
        return row


def complete(scenario, number: str, name: str, username: str, data: dict) -> None:
    """Complete the finding's open task ``name`` as ``username`` (uploads are not form-validated here)."""
    task_id = scenario.task(number, name).id
    with unit_of_work(scenario.host.session_factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        advance.complete_task(scenario.host, session, task_id=task_id, actor=actor_for(session, user), data=data)


def rectify(scenario, number: str, note: str = "已清理并安排每日两次巡扫") -> None:
    complete(scenario, number, "rectify", "deputy", {"rectification": {"note": note, "photos": [PHOTO]}})


def open_task_names(scenario, number: str) -> list[str]:
    with unit_of_work(scenario.host.session_factory) as session:
        return sorted(session.scalars(select(HumanTask.task_name).where(HumanTask.business_key == number)))
