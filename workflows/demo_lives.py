"""One repair order's whole life as the demo draws it: who reported what and where, and who does each step when.

Every order of the demo comes from this one model, whether it ended long ago or is still under way: a life that
ended before now is written as rows (:mod:`workflows.demo_history`), one still under way is replayed through the
engine up to now (:mod:`workflows.demo_replay`), so pages, inboxes and the dashboard tell one story. A life is
the steps people take, each as the task's form would receive it; what the system does on its own (colours,
reminders, default-good ratings) follows from the school's rules. The pace is a school's usual one: most jobs are
done within three days of acceptance, a few percent reach green, fewer yellow, about one in two hundred red;
about 8 % are never rated and count as good after the rule's period; about 1.6 % are rated badly, called back,
rectified and rated again.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import takewhile
from typing import Any
from zoneinfo import ZoneInfo

from rules.book import RuleBook
from workflows.catalogue.models import CatalogueItem
from workflows.colours import ESCALATION, Colour
from workflows.demo_people import Staff
from workflows.people.timezone import DEFAULT_TZ
from workflows.repair.enums import Channel, JobAnswer, RealProblem, ReviewDecision, Urgency
from workflows.repair.service import Intake

CHANNEL_WEIGHTS = {Channel.portal: 45, Channel.phone: 30, Channel.counter: 12, Channel.hotline: 10, Channel.api: 3}
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 9, 14, 14, 12, 8, 6, 11, 13, 12, 10, 7, 5, 4, 3, 2, 2, 1]  # local hour of day
WEEKDAY_WEIGHTS = [10, 10, 10, 10, 9, 5, 4]  # Monday first
PROBLEMS = {  # service item code: what people write when they report it
    "W01": ["卫生间水管接头漏水", "洗手池下水管渗水，地面有积水", "暖气片阀门滴水"],
    "W02": ["卫生间地漏堵塞，积水严重", "洗手池下水很慢", "淋浴间下水道堵塞"],
    "W03": ["房间插座没电", "走廊空气开关频繁跳闸", "电扇开关失灵"],
    "W04": ["走廊灯管不亮", "教室两根灯管闪烁", "卫生间照明灯坏了"],
    "C01": ["宿舍门锁打不开", "门把手松动脱落", "柜门锁芯损坏"],
    "C02": ["窗户关不严，漏风", "窗户玻璃裂了", "纱窗破损"],
    "C03": ["课桌桌面松动", "椅子腿断了", "床板开裂"],
    "H01": ["空调不制冷", "空调漏水", "空调遥控失灵，无法开机"],
    "H02": ["暖气不热", "暖气片有异响", "整层楼暖气温度偏低"],
    "G01": ["楼道地面脏乱，需要清扫", "卫生间异味较重", "楼梯扶手积灰"],
    "G02": ["楼下垃圾桶已满，无人清运", "装修垃圾堆在楼道", "食堂后门垃圾未清运"],
    "G03": ["楼前树枝折断挡路", "草坪需要修剪", "花坛杂草较多"],
}
RESULTS = {  # category code: what the worker writes when the job is done, and what was used
    "W": [("更换水管接头，试水正常", "水管接头1个、生料带"), ("疏通下水管道，排水通畅", ""), ("更换空气开关，线路检测正常", "空气开关1个"),
          ("更换灯管，照明正常", "LED灯管2根")],
    "C": [("更换锁芯，开关正常", "锁芯1个"), ("调整窗扇合页，关闭严密", "合页2个"), ("加固桌椅，已可正常使用", "螺丝若干")],
    "H": [("清洗滤网并补充冷媒，制冷正常", "冷媒"), ("排气并调整阀门，暖气恢复", "")],
    "G": [("已清扫完毕", ""), ("已清运完毕", ""), ("已修剪清理", "")],
}
RATING_COMMENTS = ["师傅很负责", "速度很快", "满意", "处理及时，态度好", ""]
SAID = {"callback": "反映问题反复出现，没有彻底解决", "followup": "已修好，满意",
        "explained": "已向报修人说明维修情况和原因，报修人表示理解，无需再修"}
RECTIFIED = "更换部件，彻底修复"
# a life's rating by one roll: unrated (8 %), rated badly (1.6 %: a third explained on the call, the rest put
# right), else rated well
UNRATED_BELOW, EXPLAINED_BELOW, BAD_BELOW = 0.08, 0.0853, 0.096
CHASED = {Colour.green: "已电话联系维修班组，要求尽快处理", Colour.yellow: "已督促维修班组长，明确完成时限",
          Colour.red: "已约谈服务公司负责人，要求限期解决"}


@dataclass(frozen=True)
class Step:
    """Something a person does on the order: when, which task (by its form), who, and what they enter."""

    at: datetime
    form_key: str
    user_id: int
    data: dict[str, Any]
    colour: Colour | None = None  # the chase's colour (a chase task's form does not name it)


@dataclass(frozen=True)
class Life:
    """One order from report to close. ``steps`` are in time order; ``colours`` are the thresholds crossed before
    the job was done (or before ``until`` if it is not); ``default_good`` is when an unrated job counts as good;
    ``ended`` is when the order closes, None while a step it waits for is nobody's yet."""

    school_id: int
    received: datetime
    intake: Intake
    item_code: str
    team_id: int
    unit_id: int | None
    worker_id: int
    steps: tuple[Step, ...]
    colours: tuple[tuple[Colour, datetime], ...] = ()
    default_good: datetime | None = None
    ended: datetime | None = None

    def at(self, form_key: str) -> datetime | None:
        """When the first step done with ``form_key`` happens."""
        return next((s.at for s in self.steps if s.form_key == form_key), None)

    def done_by(self, until: datetime) -> bool:
        return self.ended is not None and self.ended <= until


@dataclass(frozen=True)
class Story:
    """A life drawn with some of its chances fixed, so the demo always shows this situation: ``ago`` is how long
    before now the order came in, ``work`` how long its repair takes, ``bad`` whether it is rated badly, and
    ``waits_for`` the form of the step nobody has done yet (it and every later step are left out)."""

    ago: timedelta
    work: timedelta | None = None
    bad: bool | None = None
    waits_for: str | None = None


def receipt_times(rng: random.Random, *, end: datetime, days: int, count: int,
                  zone: ZoneInfo = DEFAULT_TZ) -> list[datetime]:
    """``count`` sorted receipt times in the ``days`` before ``end``: busy weekday mornings and afternoons,
    quiet nights and weekends (in ``zone``, the school's time zone)."""
    first_day = end.astimezone(zone).date() - timedelta(days=days)
    day_list = [first_day + timedelta(days=d) for d in range(days + 1)]
    day_weights = [WEEKDAY_WEIGHTS[day.weekday()] for day in day_list]
    chosen_days = rng.choices(day_list, weights=day_weights, k=count * 2)
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=count * 2)
    times = [datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(end.tzinfo)
             + timedelta(seconds=rng.uniform(0, 3600)) for day, hour in zip(chosen_days, hours, strict=True)]
    inside = [t for t in times if end - timedelta(days=days) <= t < end]
    return sorted(rng.sample(inside, min(count, len(inside))))


def _work(rng: random.Random) -> timedelta:
    """From acceptance to the job done: most within three days, a long thin tail."""
    roll = rng.random()
    if roll < 0.95:
        return timedelta(hours=2 ** rng.uniform(0, 6))  # 1 h to 64 h, most within a day
    if roll < 0.985:
        return timedelta(days=rng.uniform(3, 7))
    if roll < 0.996:
        return timedelta(days=rng.uniform(7, 15))
    return timedelta(days=rng.uniform(15, 25))


def draw(rng: random.Random, who: Staff, rules: RuleBook, received: datetime, *, until: datetime,
         story: Story = Story(ago=timedelta()), items: list[CatalogueItem] | None = None) -> Life:
    """One order received at ``received`` for one of ``items`` (default: any), its steps drawn as far as ``story``
    leaves them to chance; colours and chases are reckoned as of ``until``."""
    item = rng.choice(items or who.items)
    team = item.default_team_id
    if team is None:
        raise ValueError(f"service item {item.code} has no team to do its jobs")
    worker = rng.choice(who.workers[team])
    requester = rng.choice(who.requesters)
    campus, building, building_name = rng.choice(who.places)
    room = f"{rng.randint(1, 6)}{rng.randint(1, 30):02d}"
    auditor = who.by_role["auditor"].id
    intake = Intake(channel=rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0],
                    requester_id=requester.id, contact_name=requester.display_name, contact_phone=requester.phone or "",
                    campus_id=campus, building_id=building, room=room, catalogue_item_id=item.id,
                    description=f"{building_name}{room}：{rng.choice(PROBLEMS.get(item.code, ['需要维修']))}",
                    urgency=Urgency.urgent if rng.random() < 0.1 else Urgency.normal)
    reviewed = received + timedelta(minutes=rng.choice([5, 10, 20, 30, 45, 60, 90, 150]))
    dispatched = reviewed + timedelta(minutes=rng.uniform(3, 40))
    taken = dispatched + timedelta(minutes=2 ** rng.uniform(3, 8))
    completed = max(reviewed + (story.work or _work(rng)), taken + timedelta(minutes=40))
    result, materials = rng.choice(RESULTS.get(item.code[:1], [("已处理完毕", "")]))
    steps = [Step(reviewed, "repair_review", auditor, {"decision": ReviewDecision.accept}),
             Step(dispatched, "repair_dispatch", auditor, {"team_id": str(team), "worker_id": str(worker.id)}),
             Step(taken, "repair_accept", worker.id, {"decision": JobAnswer.accept})]
    colours = _colours(rules, reviewed, min(completed, until))
    steps += _chases(rng, who, rules, colours, completed, until)
    steps.append(Step(completed, "repair_complete", worker.id, {"result": result, "materials": materials}))
    life = Life(school_id=who.school_id, received=received, intake=intake, item_code=item.code, team_id=team,
                unit_id=who.unit_of[team], worker_id=worker.id, steps=(), colours=colours)
    life = _rated(rng, who, rules, life, steps, completed, requester.id, story.bad)
    if story.waits_for is not None:
        kept = tuple(takewhile(lambda step: step.form_key != story.waits_for, life.steps))
        life = replace(life, steps=kept, default_good=None, ended=None)
    return life


def _colours(rules: RuleBook, accepted: datetime, until: datetime) -> tuple[tuple[Colour, datetime], ...]:
    """The colours an order accepted at ``accepted`` reaches while its job is not done by ``until``."""
    reached = ((colour, rules.deadline(f"repair.escalation.{colour}.after", accepted)) for colour in ESCALATION)
    return tuple((colour, at) for colour, at in reached if at < until)


def _chases(rng: random.Random, who: Staff, rules: RuleBook, colours: tuple[tuple[Colour, datetime], ...],
            completed: datetime, until: datetime) -> list[Step]:
    """Each colour's chase, done by the person the rules name a few hours after it came, while the job is still
    open; the chase of the colour an unfinished job has now is still waiting."""
    steps = []
    for n, (colour, at) in enumerate(colours):
        chaser = who.by_role.get(rules.value(f"repair.escalation.{colour}.role"))
        chased = at + timedelta(hours=rng.uniform(1, 20))
        current = n == len(colours) - 1 and completed > until
        if chaser is not None and not current and chased < min(completed, until):
            steps.append(Step(chased, "repair_urge", chaser.id, {"action": CHASED[colour]}, colour=colour))
    return steps


def _rated(rng: random.Random, who: Staff, rules: RuleBook, life: Life, steps: list[Step], completed: datetime,
           requester: int, bad: bool | None) -> Life:
    """The rating part of the life: never rated (default-good), rated well, or rated badly and put right."""
    roll = rng.random()
    rated = completed + timedelta(hours=2 ** rng.uniform(-1, 5))
    if bad is None and roll < UNRATED_BELOW:
        default = rules.deadline("repair.rating.default_good_after", completed)
        return replace(life, steps=_in_order(steps), default_good=default, ended=default)
    if bad or (bad is None and roll < BAD_BELOW):
        stars = rng.choice([1, 2])
        auditor, centre = who.by_role["auditor"].id, who.by_role.get("repair_centre", who.by_role["auditor"]).id
        called = rated + timedelta(hours=rng.uniform(1, 4))
        fixed = called + timedelta(hours=rng.uniform(6, 40))
        followed = fixed + timedelta(hours=rng.uniform(1, 3))
        again = followed + timedelta(hours=rng.uniform(1, 12))
        steps.append(Step(rated, "repair_rating", requester, _stars(stars, stars, 2, 3, "问题没有彻底解决")))
        if bad is None and roll < EXPLAINED_BELOW:  # the call finds nothing to put right: the order closes on it
            steps.append(Step(called, "repair_callback", auditor, {"requester_said": SAID["explained"],
                                                                   "real_problem": RealProblem.no}))
            return replace(life, steps=_in_order(steps), ended=called)
        steps += [Step(called, "repair_callback", auditor, {"requester_said": SAID["callback"],
                                                            "real_problem": RealProblem.yes}),
                  Step(fixed, "repair_rectify", centre, {"result": RECTIFIED}),
                  Step(followed, "repair_followup", auditor, {"requester_said": SAID["followup"]}),
                  Step(again, "repair_rating", requester, _stars(5, 5, 4, 5, "整改后满意"))]
        return replace(life, steps=_in_order(steps), ended=again)
    overall = rng.choices([5, 4, 3], weights=[80, 16, 4])[0]
    steps.append(Step(rated, "repair_rating", requester,
                      _stars(overall, overall, max(3, overall - rng.randint(0, 1)), overall, rng.choice(RATING_COMMENTS))))
    return replace(life, steps=_in_order(steps), ended=rated)


def _in_order(steps: list[Step]) -> tuple[Step, ...]:
    return tuple(sorted(steps, key=lambda step: step.at))


def _stars(overall: int, quality: int, efficiency: int, attitude: int, comment: str) -> dict[str, Any]:
    return {"overall": overall, "quality": quality, "efficiency": efficiency, "attitude": attitude, "comment": comment}


def draw_ended(rng: random.Random, who: Staff, rules: RuleBook, received: datetime, *, until: datetime) -> Life:
    """A life received at ``received`` that has ended by ``until`` (drawn again while it has not: a generated
    history wants only closed orders)."""
    for _attempt in range(100):
        life = draw(rng, who, rules, received, until=until)
        if life.done_by(until):
            return life
    raise ValueError(f"no life received at {received} ends by {until}")
