"""The demo school's complaints and suggestions of the last six weeks, so the complaint pages, the dashboard's
complaint cards and the assessment's complaint indicators read what a supervised school would show.

Sixteen cases: made on the phone page, on the web portal or phoned in to the service hall (one caller without an
account), about the canteens, the dormitories, cleaning, repairs, security, and two about a named person (whom
the module never tells who complained). Most were replied to and closed, the complainant satisfied; one was not
and was handled again; one went unanswered and closed on its own; one was not the school's business and was
forwarded at triage. Five are still open now: one just in, one green, one yellow and one red, each with the
chase of the person the rules name for its colour waiting, and one waiting for its complainant's verdict.

Every case goes through the complaint process as the pages drive it: :func:`~workflows.complaints.service.submit`
at the moment it came in, then each task done by the person it waits for, with data its form accepts, at its own
moment, and the diagram's timers (reminders, colours, chase tasks, the unanswered close) fired at the instants
they fall due, up to now. The clock is moved with time-machine, as the repair demo's open orders are replayed,
and each step is committed at its moment as a page's request would be, so the messages it sends go out then.
Nothing is dated after now; deadlines and colours are the rules' own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.clock import now
from engine.models import HumanTask, ProcessInstance
from workflows.complaints.enums import Category, Channel, Kind, TriageDecision, Verdict
from workflows.complaints.models import Complaint
from workflows.complaints.service import PROCESS_KEY, Intake, by_number, submit
from workflows.demo import TEAMS
from workflows.demo_clock import wake_due
from workflows.demo_tasks import do_oldest
from workflows.modules.contract import DemoSetting
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for, users_with_role
from workflows.people.timezone import local_date, school_zone

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
COMPANY = "后勤服务公司"
CLEANING = dict(TEAMS)["cleaning"]


class Task(StrEnum):
    """The complaint diagram's tasks the demo's people do."""

    triage = "triage"
    respond = "respond"
    reply = "reply_task"
    verdict = "satisfaction_task"
    chase = "urge"


@dataclass(frozen=True)
class DayTime:
    """A moment in the school's time: ``days`` before the day the demo is seeded, at ``clock``."""

    days: int
    clock: time

    def at(self, today: date, zone: ZoneInfo) -> datetime:
        """The moment in UTC, as the database compares times."""
        return datetime.combine(today - timedelta(days=self.days), self.clock, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class Step:
    """A task done ``after`` the complaint came in, with what its form receives."""

    after: timedelta
    task: Task
    data: dict[str, Any]


@dataclass(frozen=True)
class Case:
    """One complaint as the demo tells it. ``received`` is a day and time, or how long before now for one just in;
    ``by`` picks the complainant among the school's requesters (0: the demo's ``requester``), None for a caller
    without an account (``caller``: name and phone); ``person`` is the username of the person complained about,
    whose unit is then the responsible one, else ``about`` names the unit. ``steps`` go as far as the case has
    got by now."""

    received: DayTime | timedelta
    channel: Channel
    kind: Kind
    category: Category
    description: str
    place: str
    by: int | None
    steps: tuple[Step, ...]
    about: str = COMPANY
    person: str | None = None
    caller: tuple[str, str] = ("", "")
    anonymous: bool = False
    urgent: bool = False


def triage(after: timedelta, decision: TriageDecision = TriageDecision.valid, *, urgent: bool = False,
           reason: str = "") -> Step:
    """The supervision office's triage; the responsible unit stays the one its form preselects."""
    return Step(after, Task.triage, {"decision": decision, "urgent": urgent, "reason": reason})


def respond(after: timedelta, note: str) -> Step:
    return Step(after, Task.respond, {"note": note})


def reply(after: timedelta, text: str) -> Step:
    return Step(after, Task.reply, {"reply": text})


def verdict(after: timedelta, answer: Verdict, comment: str = "") -> Step:
    return Step(after, Task.verdict, {"verdict": answer, "comment": comment})


def chase(after: timedelta, action: str) -> Step:
    """The chase of the colour the complaint has then, by the person the rules name for it."""
    return Step(after, Task.chase, {"action": action})


CASES = (
    Case(DayTime(42, time(12, 35)), Channel.phone, Kind.complaint, Category.canteen,
         "第二食堂一楼3号窗口午餐打菜分量明显不足，12元的套餐荤菜只有小半勺，问打菜师傅说就这么多。连续几天都这样，希望核实。",
         "第二食堂一楼3号窗口", by=1, steps=(
             triage(HOUR + 10 * MINUTE),
             respond(3 * HOUR, "已转第二食堂负责人核实窗口打菜情况，明天午餐时段现场抽查。"),
             reply(DAY + 2 * HOUR, "经午餐时段现场抽查称重，3号窗口荤菜分量确实偏少。已约谈承包方负责人，各窗口统一使用标准勺，"
                                   "并在窗口公示每份菜品克数；监管办每周抽查一次。"),
             verdict(DAY + 8 * HOUR, Verdict.satisfied, "这两天再去打菜，分量正常了，谢谢。"))),
    Case(DayTime(38, time(16, 20)), Channel.portal, Kind.suggestion, Category.other,
         "建议在图书馆门口增加自行车停放区。现在下课高峰自行车停满台阶两侧，无障碍通道也被挡住，推轮椅和婴儿车都过不去。",
         "图书馆正门", by=2, steps=(
             triage(50 * MINUTE, TriageDecision.suggestion),
             respond(2 * HOUR, "已收到建议，将会同保卫处到图书馆周边查看场地。"),
             reply(DAY + 20 * HOUR, "已在图书馆东侧空地新划自行车停放区约60个车位并设置指示牌，高峰时段安排保安引导停放，"
                                    "无障碍通道已清空。"),
             verdict(2 * DAY + 18 * HOUR, Verdict.satisfied, "新车位很方便。"))),
    Case(DayTime(35, time(10, 5)), Channel.hotline, Kind.complaint, Category.dormitory,
         "家长来电：孩子住南湖校区学生公寓5号楼，最近一周每晚十一点后楼道里还有人大声喧哗、打游戏，宿管没有制止，影响休息。",
         "学生公寓5号楼", by=None, caller=("陈女士", "13975126638"), steps=(
             triage(40 * MINUTE),
             respond(2 * HOUR + 30 * MINUTE, "已电话联系5号楼宿管，今晚起加强查寝。"),
             reply(DAY + 4 * HOUR, "已要求5号楼宿管每晚23:00后加强巡查，对喧哗的宿舍登记并通报所在学院；连续一周抽查，楼道已安静。"
                                   "已电话告知陈女士。"))),
    Case(DayTime(31, time(22, 40)), Channel.phone, Kind.complaint, Category.dormitory,
         "学生公寓3号楼热水晚上十点后就不热了，洗澡只有温水，已经持续一个星期，天冷了洗澡很冷。",
         "学生公寓3号楼", by=3, steps=(
             triage(9 * HOUR + 50 * MINUTE),
             respond(11 * HOUR + 40 * MINUTE, "已安排水电维修班今晚到3号楼检查热水循环系统。"),
             reply(DAY + 16 * HOUR, "经查，3号楼热水循环泵的定时器设为22:00停机，已调整为供应到23:30。"),
             verdict(2 * DAY + 14 * HOUR, Verdict.not_satisfied, "十一点以后水还是不热。"),
             reply(4 * DAY + 11 * HOUR, "复查发现一台循环泵故障，已更换；热水供应延长至24:00，连续三晚23:30实测水温均在45℃以上。"),
             verdict(4 * DAY + 23 * HOUR, Verdict.satisfied, "这几天晚上热水正常了。"))),
    Case(DayTime(27, time(9, 20)), Channel.portal, Kind.complaint, Category.cleaning,
         "第一教学楼三楼男卫生间连续两天没有打扫，垃圾桶满了溢到地上，气味很大，上课的学生都有意见。",
         "第一教学楼三楼卫生间", by=0, about=CLEANING, steps=(
             triage(35 * MINUTE),
             respond(HOUR + 30 * MINUTE, "已通知保洁班长立即安排清扫。"),
             reply(6 * HOUR, "已当即清扫消毒。经查当班保洁员请假未安排顶岗，已批评保洁班长；三楼卫生间改为每两小时巡检一次并签到。"),
             verdict(8 * HOUR, Verdict.satisfied))),
    Case(DayTime(24, time(13, 10)), Channel.phone, Kind.complaint, Category.attitude,
         "宿舍空气开关跳闸，维修师傅刘建军上门时嫌我们报修说得不清楚，说话很冲，修完也没试一下就走了，第二天又跳闸了。",
         "学生公寓2号楼", by=5, person="worker", steps=(
             triage(HOUR),
             respond(3 * HOUR, "已向水电维修班了解情况，今天安排其他师傅上门复查线路。"),
             reply(DAY + 3 * HOUR, "复查发现插座线路老化，已更换。已与刘建军师傅谈话，要求上门服务使用文明用语、修后当面试用确认，"
                                   "本月服务态度纳入其考核。"),
             verdict(DAY + 7 * HOUR, Verdict.satisfied, "后来的师傅很耐心，问题解决了。"))),
    Case(DayTime(20, time(10, 30)), Channel.hotline, Kind.complaint, Category.security,
         "来电反映：南湖校区东门晚上十点后外卖、快递电动车随意进出，门岗不登记也不拦，宿舍区有安全隐患。",
         "南湖校区东门", by=6, urgent=True, steps=(
             triage(25 * MINUTE, urgent=True),
             respond(50 * MINUTE, "已通知安保队长今晚加强东门值守。"),
             reply(20 * HOUR, "东门22:00后外来车辆一律登记，外卖快递统一放在门口取餐柜，不再进入宿舍区；安保队每晚抽查。"),
             verdict(DAY + 2 * HOUR, Verdict.satisfied))),
    Case(DayTime(16, time(11, 45)), Channel.phone, Kind.complaint, Category.other,
         "学校北门外十字路口共享单车堆得太多，出校门的人行道都被占满了，希望学校处理。",
         "北门外十字路口", by=7, steps=(
             triage(HOUR + 30 * MINUTE, TriageDecision.not_ours,
                    reason="校外道路共享单车停放属城市管理部门职责，已转保卫处与属地街道办联系清理，并告知投诉人。"),)),
    Case(DayTime(13, time(12, 10)), Channel.phone, Kind.suggestion, Category.canteen,
         "建议第一食堂晚餐多开一两个面食窗口，晚上七点半以后基本只剩炒饭和盖浇饭，上完晚课的同学没什么可选。",
         "第一食堂", by=8, steps=(
             triage(HOUR, TriageDecision.suggestion),
             respond(2 * HOUR + 30 * MINUTE, "已转饮食服务中心研究晚餐窗口安排。"),
             chase(2 * DAY + 4 * HOUR, "已电话联系服务公司，要求本周内答复建议人。"),
             reply(3 * DAY + 5 * HOUR, "自下周一起第一食堂二楼增开面食窗口，供应至20:30，提供汤面、炒面和水饺。"),
             verdict(3 * DAY + 9 * HOUR, Verdict.satisfied, "期待！"))),
    Case(DayTime(10, time(15, 30)), Channel.portal, Kind.complaint, Category.attitude,
         "第二教学楼204教室投影幕布卷不上去，工程修缮中心陈志强上周说周五前来换，到现在没来，打电话也不回。",
         "第二教学楼204教室", by=9, person="repair", steps=(
             triage(45 * MINUTE),
             respond(5 * HOUR + 50 * MINUTE, "已联系工程修缮中心，明天上午更换幕布。"),
             reply(DAY + 20 * HOUR, "204教室投影幕布已于今天上午更换。经核实，陈志强临时调去处理实验楼漏水，未及时回复；"
                                    "已要求修缮中心对延期的工作主动回电告知。"),
             verdict(2 * DAY + 2 * HOUR, Verdict.satisfied))),
    Case(DayTime(7, time(12, 50)), Channel.phone, Kind.complaint, Category.canteen,
         "第一食堂二楼中午用餐高峰没人收拾餐桌，餐盘和剩饭堆了一桌，找不到干净的位置。",
         "第一食堂二楼", by=10, anonymous=True, steps=(
             triage(40 * MINUTE),
             respond(2 * HOUR, "已通知第一食堂负责人，午餐高峰先增派人手收桌。"),
             reply(22 * HOUR, "午餐高峰11:30–13:00已增派两名保洁员专门收拾餐桌，并在二楼增设餐具回收点。"))),
    Case(DayTime(12, time(9, 40)), Channel.portal, Kind.complaint, Category.repair,
         "行政楼东侧电梯这两周经常停在三楼开不了门，已经困过两次人，报修后来看过一次，还是老样子。",
         "行政楼东侧电梯", by=11, steps=(
             triage(30 * MINUTE),
             respond(3 * HOUR, "已通知电梯维保单位今天下午到场检查。"),
             chase(2 * DAY + 3 * HOUR, "已电话督促服务公司，要求维保单位明确维修完成时间。"),
             chase(5 * DAY + 2 * HOUR, "已约谈电梯维保单位负责人，主板配件已订货，要求到货后立即更换。"))),
    Case(DayTime(7, time(14, 20)), Channel.phone, Kind.complaint, Category.dormitory,
         "学生公寓6号楼4楼洗衣房的两台洗衣机投币后不启动，已经吞了好几次币，贴了报修条也没人管。",
         "学生公寓6号楼4楼洗衣房", by=12, steps=(
             triage(HOUR),
             respond(2 * HOUR, "已联系洗衣机运营商，安排维修人员上门。"),
             chase(2 * DAY + 5 * HOUR, "已电话联系宿舍管理负责人，要求明天前给出维修时间。"))),
    Case(DayTime(4, time(10, 50)), Channel.portal, Kind.complaint, Category.cleaning,
         "第三教学楼一到三楼的楼梯扶手和窗台积了很厚的灰，好像很久没擦了，下雨天楼梯口全是泥水。",
         "第三教学楼楼梯", by=13, about=CLEANING, steps=(
             triage(40 * MINUTE),
             respond(2 * HOUR + 40 * MINUTE, "已安排保洁班本周内对第三教学楼楼梯做一次全面清洁。"))),
    Case(DayTime(3, time(16, 30)), Channel.phone, Kind.complaint, Category.cleaning,
         "学生公寓1号楼门口的垃圾桶每天下午就满了，晚上垃圾袋堆在地上，有异味还招苍蝇。",
         "学生公寓1号楼门口", by=0, about=CLEANING, steps=(
             triage(HOUR),
             respond(2 * HOUR + 30 * MINUTE, "已通知保洁班今晚先清运一次。"),
             reply(DAY + 18 * HOUR, "已在1号楼门口加放两个垃圾桶，清运由每天一次改为早晚各一次。"))),
    Case(40 * MINUTE, Channel.phone, Kind.suggestion, Category.other,
         "建议在第三教学楼一楼大厅增设一台直饮水机，现在课间要到二楼排队接水，经常来不及。",
         "第三教学楼一楼大厅", by=14, steps=()),
)


@dataclass(frozen=True)
class Cast:
    """The school's people and units the cases name: its requesters (the demo's ``requester`` first), the clerk
    who takes the hotline, the units by name and the people complained about by username."""

    requesters: list[User]
    clerk: User
    units: dict[str, int]
    people: dict[str, User]


@dataclass(frozen=True)
class Moment:
    """When something happens to the case numbered ``case`` (its place in :data:`CASES`): it comes in (``step`` is
    None) or one of its steps is done."""

    at: datetime
    case: int
    step: Step | None


def seed_complaints(session: Session, demo: DemoSetting) -> bool:
    """Run the demo's complaints through the engine up to now, each step committed at its moment, unless the
    school has complaints already; return whether anything was created."""
    if session.scalar(select(Complaint.id).where(Complaint.school_id == demo.school_id).limit(1)):
        return False
    cast = _cast(session, demo.school_id)
    until = now()
    moments = _moments(CASES, until, school_zone(session, demo.school_id))
    numbers: dict[int, str] = {}
    with time_machine.travel(moments[0].at, tick=False) as clock:
        for moment in moments:
            wake_due(session, demo.host, clock, moment.at, *_complaints_of(demo.school_id))
            clock.move_to(moment.at)
            if moment.step is None:
                numbers[moment.case] = submit(session, demo.host, school_id=demo.school_id,
                                              intake=_intake(CASES[moment.case], cast)).number
            else:
                _do(session, demo, numbers[moment.case], moment.step)
            session.commit()
        wake_due(session, demo.host, clock, until, *_complaints_of(demo.school_id))
    return True


def _cast(session: Session, school_id: int) -> Cast:
    """Who the cases are played by: the school's requesters and its first clerk in charge (active, their role in
    force today, as the pages would let them act), in the order they were made, and the people complained about."""
    named = {case.person for case in CASES if case.person}
    clerks = users_with_role(session, role=Role.clerk, school_id=school_id)
    assert clerks  # the demo school has its service hall
    return Cast(requesters=users_with_role(session, role=Role.requester, school_id=school_id), clerk=clerks[0],
                units={u.name: u.id for u in session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id))},
                people={u.username: u for u in session.scalars(select(User).where(User.school_id == school_id,
                                                                                  User.username.in_(named)))})


def _moments(cases: tuple[Case, ...], until: datetime, zone: ZoneInfo) -> list[Moment]:
    """Every intake and step of the cases, in the order they happen."""
    today = local_date(until, zone)
    moments = []
    for n, case in enumerate(cases):
        received = until - case.received if isinstance(case.received, timedelta) else case.received.at(today, zone)
        moments += [Moment(received, n, None), *(Moment(received + step.after, n, step) for step in case.steps)]
    return sorted(moments, key=lambda m: (m.at, m.case))


def _intake(case: Case, cast: Cast) -> Intake:
    """What the case's page submits: the complainant's own account on the portal and the phone page, the clerk
    entering a call on the hotline page."""
    person = cast.requesters[case.by % len(cast.requesters)] if case.by is not None else None
    name, phone = (person.display_name, person.phone or "") if person is not None else case.caller
    target = cast.people[case.person] if case.person else None
    return Intake(kind=case.kind, category=case.category, channel=case.channel, description=case.description,
                  complainant_id=person.id if person else None, anonymous=case.anonymous, contact_name=name,
                  contact_phone=phone, target_unit_id=None if target else cast.units[case.about],
                  target_person_id=target.id if target else None, target_place=case.place, urgent=case.urgent,
                  entered_by_id=cast.clerk.id if case.channel == Channel.hotline else None)


def _do(session: Session, demo: DemoSetting, number: str, step: Step) -> None:
    """The person the complaint's open task waits for does it, as its form would take it."""
    data = step.data
    if step.task == Task.triage and data["decision"] != TriageDecision.not_ours:
        complaint = by_number(session, school_id=demo.school_id, number=number)
        assert complaint is not None  # the case's own complaint
        data = {**data, "unit_id": complaint.unit_id}
    if not do_oldest(session, demo.complete, school_id=demo.school_id, business_key=number,
                     which=HumanTask.task_name == step.task, doer=lambda task: _doer(session, task), data=data):
        raise LookupError(f"{number} has no open {step.task} for the demo to do")


def _doer(session: Session, task: HumanTask) -> Actor:
    """Who does ``task``: its assignee, else the first of those in charge as its role where it is offered (an acting
    holder in the place of the one they cover), as the task policy opens it to them."""
    if task.assignee_id is not None:
        return actor_for(session, session.get_one(User, task.assignee_id))
    holders = users_with_role(session, role=task.role, school_id=task.school_id,
                              org_unit_id=task.org_unit_id) if task.role is not None else []
    if not holders:
        raise LookupError(f"no one in school {task.school_id} may do {task.task_name} of {task.business_key}")
    return actor_for(session, holders[0])


def _complaints_of(school_id: int) -> tuple[ColumnElement[bool], ...]:
    """The school's complaint processes, whose timers the seeding fires."""
    return ProcessInstance.school_id == school_id, ProcessInstance.process_key == PROCESS_KEY
