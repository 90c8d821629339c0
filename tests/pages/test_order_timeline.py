"""The order's timeline is its business story, not the engine's log: one whole order (reviewed after three
reminders, dispatched with a note, three overdue reminders to the worker, green, yellow and chased by the deputy leader, repaired with a photo,
rated 2 stars, called back, rectified with a photo, followed up, rated 5 stars) shows each business event with the
person's name and what they wrote, reminders folded with their counts, and none of the engine's rows; the instance
viewer still shows every row. A re-armed deadline says from when to when. The requester's phone page shows where
the order is (报修 → 受理 → 派工 → 维修 → 评价, 整改 once a bad rating was called back) above the latest events."""
from __future__ import annotations

import io
import re

from sqlalchemy import func, select
from websupport import png_bytes

from engine.models import AuditEvent, HumanTask
from workflows.repair.models import OrderPhoto

ENGINE_WORDS = ("step.completed", "task.closed", "task.created", "event.thrown", "Step passed", "Task opened",
                "Task done", "Task closed", "Event sent", "Process started", "Decision?", "Bad rating?", "Handled",
                "Rectify?", "Taken?", "Record the", "auditor#", "requester#", "worker#", "system")
ENGINE_WORDS_ZH = ("环节已完成", "任务已关闭", "任务已创建", "发出事件", "收到事件", "流程已启动", "任务已完成")


def task_id(site, number: str, name: str, role: str | None = None) -> str:
    with site.db() as session:
        found = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == name,
                                                          *([HumanTask.role == role] if role else [])))
    assert found, f"no open {name} on {number}"
    return found


def submit_task(site, number: str, name: str, username: str, data: dict, *, role: str | None = None) -> None:
    response = site.client(username).submit(f"/tasks/{task_id(site, number, name, role)}", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def timeline_of(page: str) -> str:
    return page.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]


def events(timeline: str) -> list[str]:
    """Each timeline line's HTML, oldest first."""
    return ['<li class="event' + part for part in timeline.split('<li class="event')[1:]]


def line(timeline: str, action: str, nth: int = 0) -> str:
    found = [e for e in events(timeline) if f'data-action="{action}"' in e]
    assert len(found) > nth, f"no {action} line #{nth}"
    return found[nth]


def whole_order(site) -> str:
    number = site.report("三楼卫生间水管漏水")
    site.wait(hours=3, minutes=5)  # not reviewed: the auditors are reminded after 1 h, then every hour
    site.do(number, "review", "auditor", decision="accept", reason="情况属实，安排维修")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id),
            note="请带管钳")
    site.do(number, "accept_job", "worker", decision="accept")
    site.wait(days=3, minutes=10)  # overdue after 12 h, then daily; green after 3 days, yellow after 7
    site.wait(days=4)
    submit_task(site, number, "urge", "deputy", {"action": "已电话督促班组长，今天完成"}, role="deputy_leader")
    submit_task(site, number, "complete_job", "worker", {
        "result": "更换三通阀", "materials": "三通阀 1 个", "photos": [(io.BytesIO(png_bytes()), "valve.png")]})
    site.do(number, "rate", "requester", overall="2", quality="2", efficiency="3", attitude="2", comment="还在滴水")
    site.do(number, "callback", "auditor", requester_said="阀门接口仍在滴水，希望再来看看", real_problem="yes")
    submit_task(site, number, "rectify", "repair", {
        "result": "重新缠生料带并紧固接口", "photos": [(io.BytesIO(png_bytes((20, 20))), "fixed.png")]})
    site.do(number, "followup", "auditor", requester_said="已不再滴水，满意")
    site.do(number, "rate", "requester", overall="5", quality="5", efficiency="5", attitude="5", comment="这次修好了")
    return number


def test_the_order_page_tells_the_whole_repair_in_business_events(site):
    number = whole_order(site)
    order = site.order(number)
    assert order.status == "closed"
    with site.db() as session:
        audit_rows = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.business_key == number))
        photos = {p.stage: p.id for p in session.scalars(select(OrderPhoto).where(OrderPhoto.order_id == order.id))}

    timeline = timeline_of(site.client("auditor").page(f"/orders/{number}"))
    lines = events(timeline)
    assert audit_rows > 60 and [re.search(r'data-action="([^"]+)"', e).group(1) for e in lines] == [
        "instance.started", "remind_auditor", "order.reviewed", "order.dispatched", "order.job_accepted",
        "order.coloured", "remind_worker", "order.coloured", "order.urged", "order.completed", "order.rated",
        "order.called_back", "order.rectified", "order.called_back", "order.rated", "order.closed"]
    for word in ENGINE_WORDS:
        assert word not in timeline, word

    reported = line(timeline, "instance.started")
    assert "Reported" in reported and "王丽华" in reported and "三楼卫生间水管漏水" in reported
    reminders = line(timeline, "remind_auditor")
    assert 'data-count="3"' in reminders and "3 times" in reminders and "Auditors reminded to review" in reminders
    reviewed = line(timeline, "order.reviewed")
    assert "张伟" in reviewed and "accepted" in reviewed and "情况属实，安排维修" in reviewed
    dispatched = line(timeline, "order.dispatched")
    assert "刘建军" in dispatched and "请带管钳" in dispatched and "Team" in dispatched
    assert "Job taken" in line(timeline, "order.job_accepted")
    worker_reminders = line(timeline, "remind_worker")  # 12 h after taking the job, then every day for a week
    assert 'data-count="7"' in worker_reminders and "7 times, first 11/19/26" in worker_reminders
    green, yellow = line(timeline, "order.coloured"), line(timeline, "order.coloured", 1)
    assert 'data-colour="green"' in green and 'data-colour="yellow"' in yellow and 'class="who"' not in green
    chased = line(timeline, "order.urged")
    assert "赵永红" in chased and "已电话督促班组长，今天完成" in chased and 'data-colour="yellow"' in chased
    repaired = line(timeline, "order.completed")
    assert "更换三通阀" in repaired and "三通阀 1 个" in repaired and f"/photos/{photos['result']}?thumb=1" in repaired
    bad = line(timeline, "order.rated")
    assert "★★☆☆☆" in bad and "还在滴水" in bad and "bad rating" in bad and "王丽华" in bad
    callback = line(timeline, "order.called_back")
    assert "阀门接口仍在滴水，希望再来看看" in callback and "a real problem" in callback and "张伟" in callback
    rectified = line(timeline, "order.rectified")
    assert "陈志强" in rectified and "重新缠生料带并紧固接口" in rectified
    assert f"/photos/{photos['rectification']}?thumb=1" in rectified and f"/photos/{photos['result']}?" not in rectified
    followup = line(timeline, "order.called_back", 1)
    assert "Follow-up call" in followup and "已不再滴水，满意" in followup
    good = line(timeline, "order.rated", 1)
    assert "★★★★★" in good and "这次修好了" in good and "bad rating" not in good
    closed = line(timeline, "order.closed")
    assert "Closed" in closed and 'class="who"' not in closed  # it closed on its own after the rating


def test_the_chinese_order_page_and_the_task_panel_show_no_engine_words(site):
    number = whole_order(site)
    auditor = site.client("auditor")
    timeline = timeline_of(auditor.page(f"/orders/{number}?lang=zh_CN"))
    for word in ENGINE_WORDS_ZH + ENGINE_WORDS:
        assert word not in timeline, word
    assert "报修" in timeline and "张伟" in timeline and "提醒" in timeline

    another = site.report("宿舍门锁坏了", item_code="C01")
    site.do(another, "review", "auditor", decision="accept")
    panel = auditor.page(f"/tasks/{task_id(site, another, 'dispatch')}?lang=en")
    card = timeline_of(panel.split('class="timeline-panel"', 1)[1])
    assert [re.search(r'data-action="([^"]+)"', e).group(1) for e in events(card)] == ["instance.started", "order.reviewed"]
    assert "Task opened" not in card and "宿舍门锁坏了" in card


def test_the_instance_viewer_still_shows_every_engine_row(site):
    number = site.report("宿舍门锁坏了", item_code="C01")
    site.do(number, "review", "auditor", decision="accept")
    instance_id = site.order(number).instance_id
    audit = site.client("admin").page(f"/processes/instances/{instance_id}").split('data-testid="audit"', 1)[1]
    assert "Step passed" in audit and "Task opened" in audit and "Decision?" in audit and "Reviewed" in audit


def test_a_rearmed_deadline_says_from_when_to_when_and_who_changed_the_rule(site):
    from engine.wakeups import run_once
    from rules import rearm

    number = site.report()
    site.do(number, "review", "auditor", decision="accept")
    site.wait(days=6)
    assert site.order(number).colour == "green"
    runtime = site.runtime
    with site.db() as session:
        before = runtime.rules.book(session, site.school_id)
        row = runtime.rules.save(session, school_id=site.school_id, author="admin", comment="提速",
                                 content={"school": {"repair.escalation.yellow.after": "5d"}})
        job = rearm.start_job(session, school_id=site.school_id, version=row.version,
                              keys=rearm.changed_keys(before, runtime.rules.check(row.content)), author="admin")
        job_id = job.id
    rearm.run_job(runtime.host, runtime.rules, job_id)
    run_once(runtime.host)
    assert site.order(number).colour == "yellow"

    timeline = timeline_of(site.client("auditor").page(f"/orders/{number}"))
    moved = line(timeline, "timer.rearmed")
    assert "Deadline moved after a rule change" in moved and "turns yellow" in moved
    assert site.user("admin").display_name in moved
    times = re.search(r'<p class="moved">(.*?)</p>', moved).group(1)
    assert "→" in times and "11/23/26" in times and "11/21/26" in times  # 7 days after acceptance, now 5
    assert "Open 7 days" not in timeline and "timer.rearmed" not in timeline.replace('data-action="timer.rearmed"', "")
    assert 'data-colour="yellow"' in line(timeline, "order.coloured", 1)


def stepper(page: str) -> list[tuple[str, str]]:
    part = page.split('data-testid="stepper"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-stage="([a-z]+)" data-state="([a-z]+)"', part)


def test_the_phone_page_shows_where_the_order_is_above_the_latest_events(site):
    requester = site.client("requester")
    number = site.report("宿舍门锁坏了", item_code="W04")
    page = requester.page(f"/m/orders/{number}")
    assert stepper(page) == [("reported", "done"), ("accepted", "current"), ("dispatched", "waiting"),
                             ("repaired", "waiting"), ("rated", "waiting")]
    assert "Waiting for review" in page.split('data-testid="now"', 1)[1][:200]

    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    site.do(number, "complete_job", "worker", result="换锁芯", materials="锁芯 1 个")
    page = requester.page(f"/m/orders/{number}")
    assert stepper(page) == [("reported", "done"), ("accepted", "done"), ("dispatched", "done"), ("repaired", "done"),
                             ("rated", "current")]
    assert 'data-testid="rate"' in page and "/r/" in page  # the requester's own rating link
    history = events(timeline_of(page))
    assert len(history) == 4 and 'data-action="order.completed"' in history[0]  # the latest first
    assert "换锁芯" in history[0] and "刘建军" in history[0]

    site.do(number, "rate", "requester", overall="1", quality="1", efficiency="2", attitude="2", comment="锁还是卡")
    site.do(number, "callback", "auditor", requester_said="锁芯不顺", real_problem="yes")
    page = requester.page(f"/m/orders/{number}")
    assert stepper(page)[3:] == [("repaired", "done"), ("rectified", "current"), ("rated", "waiting")]
    assert "Being rectified" in page
    site.do(number, "rectify", "repair", result="换了新锁")
    site.do(number, "followup", "auditor", requester_said="好了")
    site.do(number, "rate", "requester", overall="5", quality="5", efficiency="5", attitude="5")
    assert all(state == "done" for _stage, state in stepper(requester.page(f"/m/orders/{number}")))


def test_a_returned_order_asks_the_requester_and_a_rejected_one_stops(site):
    requester = site.client("requester")
    returned = site.report("灯不亮", item_code="C01")
    site.do(returned, "review", "auditor", decision="return", reason="请写明房间号")
    page = requester.page(f"/m/orders/{returned}")
    assert ("accepted", "attention") in stepper(page) and "please add the missing information" in page
    assert f'/tasks/{task_id(site, returned, "supplement")}' in page  # what the requester does now
    assert "请写明房间号" in timeline_of(page)
    auditor = site.client("auditor").page(f"/orders/{returned}")  # what the requester is asked, told to the others
    now = auditor.split('data-testid="now"', 1)[1][:200]
    assert "Returned to the requester for the missing information" in now and "please add" not in now

    rejected = site.report("想换个新柜子", item_code="C01")
    site.do(rejected, "review", "auditor", decision="reject", reason="不属于报修范围")
    page = requester.page(f"/m/orders/{rejected}")
    assert stepper(page) == [("reported", "done"), ("accepted", "stopped"), ("dispatched", "waiting"),
                             ("repaired", "waiting"), ("rated", "waiting")]
    assert "Not accepted" in page and "不属于报修范围" in page


def test_reporting_on_the_phone_lands_on_the_phone_order_page(site):
    from sqlalchemy import select as sql_select

    from workflows.catalogue.models import CatalogueItem
    from workflows.people.models import Campus

    with site.db() as session:
        campus = session.scalar(sql_select(Campus.id))
        item = session.scalar(sql_select(CatalogueItem.id).where(CatalogueItem.code == "W01"))
    response = site.client("requester").submit("/m/report", {
        "contact_name": "王丽华", "contact_phone": "13800001111", "campus_id": str(campus), "building_id": "",
        "room": "302", "catalogue_item_id": str(item), "urgency": "normal", "description": "水龙头漏水"})
    assert response.status_code == 302 and re.search(r"/m/orders/BX\d+$", response.headers["Location"])
