"""Inspections: a finding rectified late turns each colour once, a failed re-check sends it back and the second
passes, a problem seen beside the checklist is followed up as a failed item's finding is, a scheduled round is
planned once per period, bad input changes nothing, and another school's rounds, findings and checklists are out
of reach."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from inspection_story import PHOTO, checklist, complete, finding, ids, one_finding, open_task_names, record, rectify, round_of, spot_check
from sqlalchemy import func, select

from engine.db import unit_of_work
from engine.errors import NotAllowed, TaskNotReady
from tests.statements import statements
from workflows.demo import create_school
from workflows.inspections import module as inspection_module
from workflows.inspections.checklists import ChecklistEntry, ChecklistError, ItemEntry, save_checklist
from workflows.inspections.enums import ReportPart
from workflows.inspections.models import InspectionFinding, InspectionResult, InspectionRound
from workflows.inspections.readmodel import finding_dict, last_time, may_view, open_findings_at
from workflows.inspections.rounds import ItemResult, Problem, RoundError
from workflows.inspections.schedules import ScheduleEntry, create_schedule, plan_rounds
from workflows.modules import timeline
from workflows.notifications.titles import title
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.service import create_user
from workflows.standards.links import StandardRef


def test_a_finding_rectified_late_turns_each_colour_once_and_stops_when_fixed(scenario):
    number = one_finding(scenario, severity="major")
    record_ = finding(scenario, number)
    assert record_.due_at - record_.created_at == timedelta(days=3)  # the major severity's rule
    assert len(scenario.outbox(number, "inspections.to_rectify")) == 1
    assert scenario.task(number, "rectify").due_at == record_.due_at

    scenario.advance_to(record_.due_at + timedelta(days=8))  # past green (1d), yellow (3d) and red (7d)
    colours = [row.details["colour"] for row in scenario.audit(number, "inspections.coloured")]
    assert colours == ["green", "yellow", "red"]
    escalated = scenario.outbox(number, "inspections.escalated")
    assert [m.payload["colour"] for m in escalated] == ["green", "yellow", "red"]
    assert title("inspections.escalated", escalated[-1].payload, number, "en") == \
        f"Inspection finding {number} is red: please chase it."
    assert len(scenario.outbox(number, "inspections.rectify_overdue")) == 8  # past the deadline, then daily
    assert open_task_names(scenario, number).count("urge") == 3

    rectify(scenario, number)
    fixed = finding(scenario, number)
    assert fixed.status == "rechecking" and fixed.colour == "red" and fixed.fix_photos == [PHOTO]
    assert open_task_names(scenario, number) == ["recheck"]  # the chases ended with the fix
    scenario.wait(days=10)
    assert len(scenario.audit(number, "inspections.coloured")) == 3  # once per colour, never again
    assert len(scenario.outbox(number, "inspections.rectify_overdue")) == 8
    late = scenario.audit(number, "inspections.rectified")[0]
    assert late.details["on_time"] is False

    with unit_of_work(scenario.host.session_factory) as session:
        entries = timeline.business_dicts(session, inspection_module.MODULE, school_id=scenario.school_id,
                                          key=number, locale="en")
    whats = [e["what"] for e in entries]
    assert whats[0] == "Finding recorded" and "Fix shown" in whats and whats.count("Finding turned a colour") == 3
    assert any(e["kind"] == "remind_unit" and e["count"] == 8 for e in entries)


def test_a_failed_recheck_returns_the_finding_to_rectification_and_the_second_passes(scenario):
    number = one_finding(scenario, severity="minor")
    assert finding(scenario, number).due_at - finding(scenario, number).created_at == timedelta(days=7)
    scenario.wait(days=2)
    rectify(scenario, number, note="已清扫")
    assert scenario.task(number, "recheck").assignee_id == scenario.user("supervisor").id
    assert len(scenario.outbox(number, "inspections.to_recheck")) == 1

    scenario.wait(hours=3)
    complete(scenario, number, "recheck", "supervisor", {"recheck": {"passed": "no", "comment": "墙角仍有垃圾"}})
    returned = finding(scenario, number)
    assert returned.status == "rectifying" and returned.rounds == 1
    assert returned.due_at == scenario.now() + timedelta(days=7)  # a fresh deadline for the second round
    assert returned.first_due_at < returned.due_at
    assert open_task_names(scenario, number) == ["rectify"]
    assert len(scenario.outbox(number, "inspections.recheck_failed")) == 1

    rectify(scenario, number, note="全面清理墙角")
    complete(scenario, number, "recheck", "supervisor", {"recheck": {"passed": "yes", "comment": ""}})
    closed = finding(scenario, number)
    assert closed.status == "closed" and closed.closed_at == scenario.now() and closed.rounds == 1
    assert open_task_names(scenario, number) == []
    assert scenario.instance(number).status == "completed"
    assert [row.details["passed"] for row in scenario.audit(number, "inspections.rechecked")] == [False, True]
    assert len(scenario.audit(number, "inspections.rectified")) == 2


def test_a_recheck_by_someone_who_is_not_the_inspector_is_refused_and_changes_nothing(scenario):
    number = one_finding(scenario)
    rectify(scenario, number)
    for someone in ("worker", "deputy", "clerk"):
        with pytest.raises(NotAllowed):
            complete(scenario, number, "recheck", someone, {"recheck": {"passed": "yes"}})
    assert finding(scenario, number).status == "rechecking"
    assert scenario.audit(number, "inspections.rechecked") == []


def test_a_problem_beside_the_checklist_is_followed_up_as_a_failed_items_finding_is(scenario):
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    found = record(scenario, number, [ItemResult(first, passed=False, note="楼道有垃圾", photos=[PHOTO]), ItemResult(second)],
                   extra=[Problem("  走廊灯不亮  ", severity="critical", spot=" 3号楼2层走廊 ", photos=[PHOTO]),
                          Problem("消防栓玻璃破损")])
    assert found == [f"{number}-01", f"{number}-02", f"{number}-03"]  # numbered after the failed item's
    lights, glass = finding(scenario, found[1]), finding(scenario, found[2])
    assert (lights.item_id, lights.description, lights.spot, lights.severity, lights.photos) == (
        None, "走廊灯不亮", "3号楼2层走廊", "critical", [PHOTO])
    assert lights.due_at - lights.created_at == timedelta(days=1)  # the critical severity's rule
    assert (glass.severity, glass.due_at - glass.created_at, glass.repeat) == ("minor", timedelta(days=7), False)
    assert round_of(scenario, number).score == 67  # 20 of 30 points: problems beside the checklist take none off
    assert scenario.audit(number, "inspections.round_done")[0].details["findings"] == found
    assert len(scenario.outbox(found[1], "inspections.to_rectify")) == 1
    assert scenario.task(found[1], "rectify").due_at == lights.due_at
    with unit_of_work(scenario.host.session_factory) as session:
        place = ids(scenario)["building"]
        assert [f.number for f in open_findings_at(session, school_id=scenario.school_id, building_id=place)] == found
        assert [f.number for f in last_time(session, school_id=scenario.school_id, building_id=place)[1]] == found
        shown = finding_dict(session, session.scalar(select(InspectionFinding).where(InspectionFinding.number == found[1])),
                             "en")
        assert (shown["item"], shown["standard"], shown["description"]) == ("走廊灯不亮", "", "走廊灯不亮")
        facts = {f.label: f.value for f in inspection_module.facts(session, lights, "en")}
        assert facts["Checklist item"] == "Not on the checklist" and facts["What was found"] == "走廊灯不亮"
        assert facts["Place"].endswith(" · 3号楼2层走廊")

    scenario.advance_to(lights.due_at + timedelta(days=1, minutes=1))  # past the deadline: green, as any finding
    assert [row.details["colour"] for row in scenario.audit(found[1], "inspections.coloured")] == ["green"]
    rectify(scenario, found[1], note="已更换灯管")
    complete(scenario, found[1], "recheck", "supervisor", {"recheck": {"passed": "no", "comment": "仍有一盏不亮"}})
    assert (finding(scenario, found[1]).status, open_task_names(scenario, found[1])) == ("rectifying", ["rectify"])
    rectify(scenario, found[1], note="两盏都已更换")
    complete(scenario, found[1], "recheck", "supervisor", {"recheck": {"passed": "yes", "comment": ""}})
    assert finding(scenario, found[1]).status == "closed" and scenario.instance(found[1]).status == "completed"


@pytest.mark.parametrize(("problem", "field"), [
    (Problem("   ", spot="3号楼2层走廊", photos=[PHOTO]), "extra-1-description"),
    (Problem("走廊灯不亮", severity="urgent"), "extra-1-severity"),
    (Problem("走廊灯不亮", photos=[PHOTO] * 5), "extra-1-photos"),
    (Problem("走廊灯不亮", spot="走廊" * 101), "extra-1-spot"),
    (Problem("灯" * 2001), "extra-1-description"),
])
def test_a_bad_problem_beside_the_checklist_is_refused_and_nothing_is_stored(scenario, problem, field):
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    with pytest.raises(RoundError) as refused:
        record(scenario, number, [ItemResult(first), ItemResult(second)], extra=[Problem("消防栓玻璃破损"), problem])
    assert refused.value.field == field
    assert (refused.value.part, refused.value.index, refused.value.name) == (ReportPart.extra, 1, field.split("-")[2])
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(InspectionFinding.id))) == 0
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
    assert round_of(scenario, number).status == "planned"


def test_a_rounds_findings_are_numbered_from_one_without_counting_findings(scenario):
    """A round is recorded once, while it is planned and has no findings: its findings are numbered 1, 2, … without
    asking how many it has; the only count of findings is the failed item's look for a repeat at the place."""
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    with statements(scenario.runtime.db_engine) as sent:
        found = record(scenario, number, [ItemResult(first, passed=False, note="楼道有垃圾", photos=[PHOTO]), ItemResult(second)],
                       extra=[Problem(f"问题{n}") for n in range(3)])
    assert found == [f"{number}-0{n}" for n in range(1, 5)]
    counted = [s for s in sent if "count(inspection_finding.id)" in s]
    assert [s for s in counted if "inspection_finding.round_id = " in s] == [], counted
    assert len(counted) == 1 and "inspection_finding.building_id = " in counted[0], counted


def test_problems_beside_the_checklist_are_refused_beyond_their_number_on_a_recorded_round_and_to_others(scenario):
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    items = [ItemResult(first), ItemResult(second)]
    with pytest.raises(RoundError) as too_many:
        record(scenario, number, items, extra=[Problem(f"问题{n}") for n in range(11)])
    assert (too_many.value.field, too_many.value.part, too_many.value.index) == ("extra", ReportPart.extra, None)
    with pytest.raises(RoundError) as not_an_inspector:
        record(scenario, number, items, extra=[Problem("走廊灯不亮")], by="worker")
    assert not_an_inspector.value.field == "round"
    assert record(scenario, number, items, extra=[Problem("走廊灯不亮")]) == [f"{number}-01"]
    with pytest.raises(RoundError) as twice:  # a second submission adds nothing
        record(scenario, number, items, extra=[Problem("又发现一处")])
    assert twice.value.field == "round"
    with unit_of_work(scenario.host.session_factory) as session:
        assert list(session.scalars(select(InspectionFinding.description))) == ["走廊灯不亮"]


def _schedule(scenario, template_id: int, **extra) -> None:
    place, inspector = ids(scenario), scenario.user("supervisor").id
    with unit_of_work(scenario.host.session_factory) as session:
        create_schedule(session, scenario.runtime.rules.book(session, scenario.school_id), school_id=scenario.school_id,
                        actor="admin#1", entry=ScheduleEntry(
                            template_id=template_id, building_id=place["building"], unit_id=place["company"],
                            inspector_id=inspector, recurrence="weekly",
                            starts_on=date(2026, 11, 17), **extra))


def test_a_refused_schedule_says_why_in_the_readers_language(scenario):
    template_id, _items = checklist(scenario)
    with pytest.raises(RoundError) as refused:
        _schedule(scenario, template_id, until=date(2026, 11, 1))
    assert (refused.value.field, refused.value.said("zh_CN")) == ("until", "结束日期早于开始日期")


def _rounds(scenario) -> list[tuple[str, date]]:
    with unit_of_work(scenario.host.session_factory) as session:
        return [(n, d) for n, d in session.execute(select(InspectionRound.number, InspectionRound.planned_on)
                                                   .order_by(InspectionRound.planned_on))]


def test_a_scheduled_round_is_planned_once_per_period(scenario):
    template_id, _items = checklist(scenario)
    _schedule(scenario, template_id)  # every Tuesday from 17 November
    with unit_of_work(scenario.host.session_factory) as session:
        assert plan_rounds(session, scenario.runtime.rules) == 1  # Monday: Tuesday is within the day ahead
        assert plan_rounds(session, scenario.runtime.rules) == 0  # a second run plans nothing
    assert _rounds(scenario) == [("XC00001-20261117", date(2026, 11, 17))]
    scenario.wait(days=3)  # the periodic pass runs on every wake-up too
    with unit_of_work(scenario.host.session_factory) as session:
        assert plan_rounds(session, scenario.runtime.rules) == 0
    scenario.wait(days=15)  # Friday 4 December: no Tuesday within the day ahead
    with unit_of_work(scenario.host.session_factory) as session:
        plan_rounds(session, scenario.runtime.rules)
        plan_rounds(session, scenario.runtime.rules)
    assert [d for _n, d in _rounds(scenario)] == [date(2026, 11, 17), date(2026, 11, 24), date(2026, 12, 1)]
    assert len(scenario.audit("XC00001-20261124", "inspections.round_planned")) == 1


def test_a_failed_item_without_its_required_photo_is_refused_and_nothing_is_stored(scenario):
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    with pytest.raises(RoundError) as refused:
        record(scenario, number, [ItemResult(first, passed=False, note="楼道有垃圾", severity="major"),
                                  ItemResult(second, deduction=5, note="有杂物")])
    assert refused.value.field == "items-0-photos"
    assert (refused.value.part, refused.value.index, refused.value.name, refused.value.item_id) == (
        ReportPart.item, 0, "photos", first)  # what the pages and the API put the reason next to
    with pytest.raises(RoundError) as out_of_range:
        record(scenario, number, [ItemResult(first), ItemResult(second, deduction=25, note="x")])
    assert out_of_range.value.field == "items-1-deduction"
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(InspectionFinding.id))) == 0
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
    assert round_of(scenario, number).status == "planned"

    found = record(scenario, number, [ItemResult(first), ItemResult(second, deduction=5, note="消防通道有杂物",
                                                                   severity="minor")],
                   confirmed=True, confirmed_by="保洁主管 陈红")
    done = round_of(scenario, number)
    assert done.status == "done" and done.score == 83 and done.confirmed_by == "保洁主管 陈红"  # 25 of 30 points
    assert len(found) == 1 and finding(scenario, found[0]).severity == "minor"
    with pytest.raises(RoundError):  # a second submission of the same round
        record(scenario, number, [ItemResult(first), ItemResult(second)])
    place = ids(scenario)["building"]
    with unit_of_work(scenario.host.session_factory) as session:
        assert [f.number for f in open_findings_at(session, school_id=scenario.school_id, building_id=place)] == found


@pytest.mark.parametrize(("results", "index", "message"), [
    (lambda first, second: [ItemResult(first), ItemResult(second), ItemResult(999999)], 2, "not an item of this round"),
    (lambda first, second: [ItemResult(first), ItemResult(second), ItemResult(first, passed=False, note="x")], 2,
     "has a result already"),
    (lambda first, second: [ItemResult(first, passed=False), ItemResult(first), ItemResult(second)], 1,
     "has a result already"),  # told before what is wrong with the result it repeats
], ids=["no item of the checklist", "a second result", "a second result after a bad first"])
def test_a_result_of_no_item_of_the_checklist_or_a_second_one_of_an_item_is_refused(scenario, results, index, message):
    """Every result is of an item of the round's checklist, once: none is dropped or overwritten unsaid."""
    template_id, (first, second) = checklist(scenario)
    number = spot_check(scenario, template_id)
    with pytest.raises(RoundError) as refused:
        record(scenario, number, results(first, second))
    assert refused.value.field == f"results-{index}-item_id" and message in str(refused.value)
    assert (refused.value.part, refused.value.index, refused.value.name) == (ReportPart.result, index, "item_id")
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(InspectionResult.id))) == 0
    assert round_of(scenario, number).status == "planned"


def test_a_refused_checklist_says_why_in_the_readers_language_a_standards_link_too(scenario):
    """The standards library's refusal of an item's link is said as the library words it, not flattened to English."""
    with unit_of_work(scenario.host.session_factory) as session:
        with pytest.raises(ChecklistError) as unnamed:
            save_checklist(session, school_id=scenario.school_id, actor="admin#1",
                           entry=ChecklistEntry(name=" ", service_type="dormitory", items=[ItemEntry("消防通道畅通")]))
        with pytest.raises(ChecklistError) as unlinked:
            save_checklist(session, school_id=scenario.school_id, actor="admin#1", entry=ChecklistEntry(
                name="宿舍楼检查", service_type="dormitory",
                items=[ItemEntry("消防通道畅通", standard_ref=StandardRef(999999, "1"))]))
    assert unnamed.value.said("zh_CN") == "请填写巡查模板名称"
    assert (unlinked.value.field, unlinked.value.said("zh_CN")) == ("items-0-standard_ref", "不是本校的服务标准")


def test_editing_a_checklist_that_is_not_the_schools_is_refused_on_the_checklist_not_its_name(scenario):
    with unit_of_work(scenario.host.session_factory) as session, pytest.raises(ChecklistError) as refused:
        save_checklist(session, school_id=scenario.school_id, actor="admin#1", template_id=999999,
                       entry=ChecklistEntry(name="宿舍楼检查", service_type="dormitory", items=[ItemEntry("消防通道畅通")]))
    assert (refused.value.field, refused.value.said("zh_CN")) == ("checklist", "没有此巡查模板")


def test_only_inspectors_start_rounds(scenario):
    template_id, _items = checklist(scenario)
    with pytest.raises(RoundError):
        spot_check(scenario, template_id, by="worker")


def test_another_school_reaches_none_of_the_rounds_findings_or_checklists(scenario):
    number = one_finding(scenario)
    round_number = number.rsplit("-", 1)[0]
    template_id = round_of(scenario, round_number).template_id
    with unit_of_work(scenario.host.session_factory) as session:
        other = create_school(session, code="other", name="另一所大学")
        create_user(session, username="other_inspector", password="x", display_name="外校巡查员", school_id=other.school_id,
                    roles=[(Role.supervisor, None)])
    with pytest.raises(RoundError):  # their inspector, our checklist
        spot_check(scenario, template_id, by="other_inspector")
    with pytest.raises(RoundError) as refused:  # their inspector, our round
        record(scenario, round_number, [], by="other_inspector", extra=[Problem("走廊灯不亮")])
    assert refused.value.field == "round"
    with unit_of_work(scenario.host.session_factory) as session:
        outsider = session.scalar(select(User).where(User.username == "other_inspector"))
        ours = session.scalar(select(InspectionFinding).where(InspectionFinding.number == number))
        assert not may_view(session, outsider, ours)
        for key in (number, round_number):
            assert inspection_module.resource(session, user=outsider, rules=scenario.runtime.rules,
                                              school_id=outsider.school_id, key=key, locale="en") is None
    with pytest.raises(TaskNotReady):  # another school's task is not named, let alone done
        rectify_as = "other_inspector"
        complete(scenario, number, "rectify", rectify_as, {"rectification": {"note": "x", "photos": [PHOTO]}})
    assert finding(scenario, number).status == "rectifying"


def test_the_demo_has_checklists_past_rounds_and_open_findings_once(scenario):
    from workflows.demo_inspections import seed_inspections
    from workflows.inspections.models import InspectionTemplate

    with unit_of_work(scenario.host.session_factory) as session:
        assert seed_inspections(session, scenario.host, scenario.runtime.rules, school_id=scenario.school_id)
    with unit_of_work(scenario.host.session_factory) as session:
        assert not seed_inspections(session, scenario.host, scenario.runtime.rules, school_id=scenario.school_id)
        assert session.scalar(select(func.count(InspectionTemplate.id))) == 3
        done = session.scalars(select(InspectionRound).where(InspectionRound.status == "done")
                               .order_by(InspectionRound.done_at)).all()
        assert len(done) == 6 and done[0].done_at <= scenario.now() - timedelta(weeks=4)
        planned = session.scalars(select(InspectionRound).where(InspectionRound.kind == "scheduled")).all()
        assert [r.planned_on for r in planned] == [date(2026, 11, 16)]  # today's weekly round, to walk
        findings = session.scalars(select(InspectionFinding).order_by(InspectionFinding.id)).all()
        assert [f.severity for f in findings] == ["major", "minor", "minor", "critical"]
        assert all(f.status == "rectifying" and f.instance_id for f in findings)


def test_the_figures_count_rounds_findings_fixes_on_time_and_repeats_as_their_lists_do(scenario):
    from workflows.inspections.figures import figures, finding_drilldown, round_drilldown

    number = one_finding(scenario, severity="minor")
    rectify(scenario, number)  # on time: the same day
    template_id = round_of(scenario, number.rsplit("-", 1)[0]).template_id
    _schedule(scenario, template_id)
    first, second = (r.item_id for r in round_of(scenario, number.rsplit("-", 1)[0]).results)
    again = spot_check(scenario, template_id)
    repeated = record(scenario, again, [ItemResult(first, passed=False, note="又有垃圾", photos=[PHOTO]), ItemResult(second)])
    with unit_of_work(scenario.host.session_factory) as session:
        plan_rounds(session, scenario.runtime.rules)
    start, end, at = scenario.now() - timedelta(days=1), scenario.now() + timedelta(days=7), scenario.now()
    with unit_of_work(scenario.host.session_factory) as session:
        cards = {f.key: f.value for f in figures(session, school_id=scenario.school_id, start=start, end=end, at=at,
                                                     rules=scenario.runtime.rules)}
        assert cards == {"inspection_rounds_planned": 1, "inspection_rounds_done": 0, "inspection_spot_checks": 2,
                         "inspection_findings": 2, "inspection_findings_open": 2, "inspection_fixed_on_time": 1,
                         "inspection_fixed_late": 0, "inspection_repeat_findings": 1}
        assert [f.number for f in finding_drilldown(session, school_id=scenario.school_id, key="inspection_repeat_findings",
                                                    start=start, end=end, at=at)] == repeated
        assert len(round_drilldown(session, school_id=scenario.school_id, key="inspection_spot_checks", start=start,
                                   end=end, at=at)) == 2
