"""Duty management on real PostgreSQL with frozen time: a night shift's patrols make exactly one off-post anomaly for
the one missed, an unanswered presence check one sleeping suspicion, a reading out of range one anomaly and one PDCA
per episode, a PDCA whose check fails plans again and closes on the second round, a swap waits for approval, a
missing handover alerts, another school's devices and codes are refused, and an anomaly is recorded once per subject
but never lost to a number another detector drew at the same moment."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from complaint_story import company_id
from duty_story import add_shift, anomalies, send_readings, set_up_post
from scenario import Scenario
from seeded import START
from sqlalchemy import delete, func, select, update

from engine.db import unit_of_work
from engine.models import OutboxMessage, ProcessInstance
from tests.statements import statements
from workflows.attendance import checkins
from workflows.attendance.enums import PointKind
from workflows.attendance.models import CheckinPoint
from workflows.attendance.points import add_point
from workflows.catalogue.models import Building
from workflows.demo import create_school
from workflows.duty import anomalies as anomaly_book
from workflows.duty import presence, roster
from workflows.duty.enums import AnomalyKind, ChangeKind, ChangeStatus, ScanSource, Stage
from workflows.duty.figures import CONDITIONS, READINGS_OUT, figures, readings_where, where
from workflows.duty.indicators import INDICATORS
from workflows.duty.models import Anomaly, Post, PresenceCheck, Reading, Scan, Shift
from workflows.duty.readings import ReadingsRefused
from workflows.errors import FieldError
from workflows.people.models import User
from workflows.people.service import create_user
from workflows.staff import register, setup
from workflows.staff.register import StaffInput

NIGHT = START.replace(hour=14)  # 22:00 in Beijing: the night shift starts
GRACE = timedelta(minutes=15)


@pytest.fixture
def scenario(seeded_pg_url, tmp_path):
    with Scenario.running(seeded_pg_url, tmp_path) as built:
        yield built


def _as(scenario, username: str, act):
    with unit_of_work(scenario.host.session_factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        return act(session, user)


def _night(scenario, post: dict, night: bool) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        session.get(Post, post["post"]).night = night


def test_a_missed_patrol_makes_exactly_one_off_post_anomaly_at_due_plus_grace(scenario):
    post = set_up_post(scenario)
    _night(scenario, post, False)
    add_shift(scenario, post["post"], "worker", NIGHT)
    scenario.advance_to(NIGHT + timedelta(minutes=5))
    _as(scenario, "worker", lambda s, u: presence.check_in(s, user=u, token=post["post_token"]))
    for hours in (2, 4, 6, 8):
        due = NIGHT + timedelta(hours=hours)
        scenario.advance_to(due - timedelta(minutes=10))
        for index, token in enumerate(post["point_tokens"]):
            if not (hours == 4 and index == 1):  # the 00:00… 02:00 round skips the third floor
                _as(scenario, "worker", lambda s, u, t=token: presence.patrol_scan(s, user=u, token=t))
        scenario.advance_to(due + GRACE - timedelta(seconds=1))
        assert len(anomalies(scenario, kind=AnomalyKind.off_post)) == (0 if hours <= 4 else 1)
        scenario.advance_to(due + GRACE)
    found = anomalies(scenario, kind=AnomalyKind.off_post)
    assert len(found) == 1
    missed = found[0]
    assert missed.occurred_at == NIGHT + timedelta(hours=4) + GRACE
    assert missed.detected_at == missed.occurred_at
    assert missed.evidence["point"] == post["points"][1] and missed.evidence["what"] == "patrol"
    assert missed.instance_id is not None and missed.stage == Stage.plan
    scenario.wait(hours=3)  # the watch keeps running: nothing recorded twice
    assert len(anomalies(scenario)) == 1


def test_an_unanswered_night_presence_check_is_one_sleeping_suspicion(scenario):
    post = set_up_post(scenario)
    shift_id = add_shift(scenario, post["post"], "worker", NIGHT)
    scenario.advance_to(NIGHT + timedelta(minutes=1))
    with unit_of_work(scenario.host.session_factory) as session:
        plan = [datetime.fromisoformat(t) for t in session.get(Shift, shift_id).presence_plan]
    assert len(plan) == 2 and all(NIGHT + timedelta(hours=1) <= t < NIGHT + timedelta(hours=8) for t in plan)
    first, second = plan
    scenario.advance_to(first + timedelta(minutes=2))
    _as(scenario, "worker", lambda s, u: presence.answer_presence(s, user=u, token=post["post_token"]))
    scenario.advance_to(second + timedelta(minutes=10) - timedelta(seconds=1))
    assert anomalies(scenario, kind=AnomalyKind.sleeping) == []
    scenario.advance_to(second + timedelta(minutes=11))
    with pytest.raises(presence.PresenceError):  # too late to answer now
        _as(scenario, "worker", lambda s, u: presence.answer_presence(s, user=u, token=post["post_token"]))
    scenario.wait(hours=2)
    sleeping = anomalies(scenario, kind=AnomalyKind.sleeping)
    assert len(sleeping) == 1 and sleeping[0].occurred_at == second + timedelta(minutes=10)
    assert sleeping[0].user_id == scenario.user("worker").id
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(PresenceCheck.id)).where(PresenceCheck.shift_id == shift_id)) == 2
        asked = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "duty.presence_check")).all()
        assert [m.recipients["users"] for m in asked] == [[scenario.user("worker").id]] * 2


def test_a_reading_out_of_range_is_one_anomaly_and_one_pdca_per_episode(scenario):
    post = set_up_post(scenario)
    at = (START - timedelta(minutes=20)).isoformat()
    first = send_readings(scenario, [{"device": post["boiler"], "metric": "boiler_temperature", "value": 96.5, "at": at},
                                     {"device": post["boiler"], "metric": "boiler_pressure", "value": 800, "at": at}])
    assert first.stored == 2 and len(first.anomalies) == 1
    number = first.anomalies[0]
    assert scenario.task(number, "plan_task").org_unit_id == company_id(scenario)
    again = send_readings(scenario, [{"device": post["boiler"], "metric": "boiler_temperature", "value": 96.5, "at": at},
                                     {"device": post["boiler"], "metric": "boiler_pressure", "value": 800, "at": at}])
    assert (again.stored, again.duplicates, again.anomalies) == (0, 2, [])  # the same batch twice: nothing twice
    later = (START - timedelta(minutes=15)).isoformat()
    repeat = send_readings(scenario, [{"device": post["boiler"], "metric": "boiler_temperature", "value": 98, "at": later}])
    assert repeat.anomalies == []
    episode = anomalies(scenario, kind=AnomalyKind.reading)
    assert len(episode) == 1 and episode[0].evidence["repeats"] == 1 and episode[0].episode_open
    back = (START - timedelta(minutes=10)).isoformat()
    again_out = (START - timedelta(minutes=5)).isoformat()
    result = send_readings(scenario, [{"device": post["boiler"], "metric": "boiler_temperature", "value": 99, "at": again_out},
                                      {"device": post["boiler"], "metric": "boiler_temperature", "value": 80, "at": back}])
    assert len(result.anomalies) == 1  # back in range ended the episode; the next one out of range is new
    assert [a.episode_open for a in anomalies(scenario, kind=AnomalyKind.reading)] == [False, True]
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(ProcessInstance.id)).where(ProcessInstance.process_key == "duty_pdca")) == 2


def test_bad_readings_are_refused_whole_and_another_schools_devices_are_unknown(scenario):
    post = set_up_post(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        other = create_school(session, code="S2", name="第二学校").school_id
    good = {"device": post["boiler"], "metric": "boiler_temperature", "value": 70, "at": START.isoformat()}
    cases = [
        [good, {**good, "device": "NOPE"}],
        [good, {**good, "at": (START + timedelta(hours=1)).isoformat()}],
        [good, {**good, "metric": "humidity"}],
        [good, {**good, "value": "hot"}],
        [{**good, "at": "2026-11-16 01:00"}],
    ]
    for batch in cases:
        with pytest.raises(ReadingsRefused) as refused:
            send_readings(scenario, batch)
        assert refused.value.problems and refused.value.problems[0].row in (0, 1)
    with pytest.raises(ReadingsRefused) as refused:
        send_readings(scenario, [good], school_id=other)
    assert refused.value.problems[0].field == "device"
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(Reading.id))) == 0


def test_a_refused_readings_problems_are_refusals_worded_in_the_readers_language(scenario):
    post = set_up_post(scenario)
    good = {"device": post["boiler"], "metric": "boiler_temperature", "value": 70, "at": START.isoformat()}
    with pytest.raises(ReadingsRefused) as refused:
        send_readings(scenario, [good, {**good, "device": "NOPE", "value": "hot"}])
    device, value = refused.value.problems
    assert isinstance(device, FieldError) and (device.row, device.field) == (1, "device")
    assert (device.said("en"), device.said("zh_Hans_CN")) == ("unknown device 'NOPE'", "未知设备 'NOPE'")
    assert (value.row, value.field, value.said("en")) == (1, "value", "the value must be a number")
    assert str(refused.value) == "row 1: device: unknown device 'NOPE'; row 1: value: the value must be a number"


def test_another_schools_patrol_code_is_refused(scenario):
    post = set_up_post(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        other = create_school(session, code="S2", name="第二学校").school_id
        create_user(session, username="guard2", password="x" * 12, display_name="外校保安", school_id=other, roles=[])
    add_shift(scenario, post["post"], "worker", START)
    with pytest.raises(presence.PresenceError, match="not a patrol point of your school"):
        _as(scenario, "guard2", lambda s, u: presence.patrol_scan(s, user=u, token=post["point_tokens"][0]))
    second = set_up_post(scenario, code="GATE")
    with pytest.raises(presence.PresenceError, match="not on the route"):
        _as(scenario, "worker", lambda s, u: presence.patrol_scan(s, user=u, token=second["point_tokens"][0]))


def test_a_pdca_whose_check_fails_plans_again_and_closes_on_the_second_round(scenario):
    post = set_up_post(scenario)
    number = send_readings(scenario, [{"device": post["boiler"], "metric": "boiler_pressure", "value": 1400,
                                       "at": START.isoformat()}]).anomalies[0]
    plan = {"cause": "安全阀老化", "corrective": "更换安全阀", "preventive": "每月校验", "deadline": "2026-11-18"}
    scenario.do(number, "plan_task", "deputy", **plan)
    assert scenario.task(number, "do_task").due_at == datetime(2026, 11, 18, 16, 0, tzinfo=UTC)  # end of the day, Beijing
    scenario.do(number, "do_task", "deputy", note="已更换")
    scenario.do(number, "check_task", "supervisor", verdict="fail", note="压力仍偏高")
    record = anomalies(scenario)[0]
    assert record.stage == Stage.plan and record.rounds == 1
    assert len(scenario.outbox(number, "duty.check_failed")) == 1
    scenario.do(number, "plan_task", "deputy", **{**plan, "cause": "压力表失准"})
    scenario.do(number, "do_task", "deputy", note="已校准压力表")
    scenario.do(number, "check_task", "supervisor", verdict="pass")
    scenario.do(number, "act_task", "deputy", instructions="每班记录锅炉压力，超过1.2MPa立即报告")
    record = anomalies(scenario)[0]
    assert record.stage == Stage.closed and record.closed_at is not None and record.cause == "压力表失准"
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.get(Post, post["post"]).instructions.startswith("每班记录锅炉压力")
    assert scenario.instance(number).status == "completed"
    assert scenario.open_tasks(number) == []


def test_a_swap_changes_the_roster_only_when_a_supervisor_approves(scenario):
    post = set_up_post(scenario)
    tomorrow = NIGHT + timedelta(days=1)
    mine = add_shift(scenario, post["post"], "worker", tomorrow)
    theirs = add_shift(scenario, post["post"], "clerk", tomorrow + timedelta(days=1))
    change = _as(scenario, "worker", lambda s, u: roster.request_change(
        s, user=u, kind=ChangeKind.swap, shift_id=mine, other_shift_id=theirs, reason="家中有事").id)
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.get(Shift, mine).user_id == scenario.user("worker").id  # nothing changes yet
    for who in ("worker", "clerk"):
        with pytest.raises(roster.RosterError, match="may not decide"):
            _as(scenario, who, lambda s, u: roster.decide(s, scenario.runtime.rules.book(s, u.school_id), user=u,
                                                          change_id=change, approve=True))
    decided = _as(scenario, "supervisor", lambda s, u: roster.decide(
        s, scenario.runtime.rules.book(s, u.school_id), user=u, change_id=change, approve=True).status)
    assert decided == ChangeStatus.approved
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.get(Shift, mine).user_id == scenario.user("clerk").id
        assert session.get(Shift, theirs).user_id == scenario.user("worker").id
    with pytest.raises(roster.RosterError, match="decided already"):
        _as(scenario, "supervisor", lambda s, u: roster.decide(s, scenario.runtime.rules.book(s, u.school_id), user=u,
                                                               change_id=change, approve=False))


def test_a_missing_handover_alerts_and_a_confirmed_one_does_not(scenario):
    desk, gate = set_up_post(scenario), set_up_post(scenario, code="GATE")
    change = NIGHT
    for post in (desk, gate):
        _night(scenario, post, False)
    add_shift(scenario, desk["post"], "worker", change - timedelta(hours=8))
    later = add_shift(scenario, desk["post"], "clerk", change)
    add_shift(scenario, gate["post"], "auditor", change - timedelta(hours=8))
    add_shift(scenario, gate["post"], "repair", change)
    scenario.advance_to(change - timedelta(minutes=5))
    _as(scenario, "auditor", lambda s, u: presence.confirm_handover(s, user=u, items="对讲机1台、钥匙3把", open_issues="东门灯坏"))
    scenario.advance_to(change + timedelta(minutes=5))
    _as(scenario, "repair", lambda s, u: presence.confirm_handover(s, user=u))
    scenario.advance_to(change + GRACE)
    late = anomalies(scenario, kind=AnomalyKind.handover)
    assert len(late) == 1 and late[0].shift_id == later and late[0].evidence["what"] == "missing"
    assert late[0].user_id == scenario.user("worker").id
    scenario.wait(hours=1)
    assert len(anomalies(scenario, kind=AnomalyKind.handover)) == 1


def test_an_open_pdca_is_reminded_and_turns_green_yellow_red_as_the_rules_say(scenario):
    post = set_up_post(scenario)
    number = send_readings(scenario, [{"device": post["boiler"], "metric": "water_tank_level", "value": 10,
                                       "at": START.isoformat()}]).anomalies[0]
    scenario.wait(days=1, seconds=2)
    assert len(scenario.outbox(number, "duty.plan_overdue")) == 1  # the plan is due within a day
    scenario.wait(days=1)
    assert anomalies(scenario)[0].colour == "green"
    assert scenario.task(number, "urge").role == "supervisor"
    scenario.wait(days=3)
    assert anomalies(scenario)[0].colour == "yellow"
    scenario.wait(days=5)
    assert anomalies(scenario)[0].colour == "red"
    assert [m.payload["colour"] for m in scenario.outbox(number, "duty.escalated")] == ["green", "yellow", "red"]


def test_repeat_anomalies_are_counted_per_post_and_person(scenario):
    post = set_up_post(scenario)
    _night(scenario, post, False)
    first = add_shift(scenario, post["post"], "worker", NIGHT)
    second = add_shift(scenario, post["post"], "worker", NIGHT + timedelta(days=1))
    scenario.advance_to(NIGHT + GRACE)
    scenario.advance_to(NIGHT + timedelta(days=1) + GRACE)
    off_post = anomalies(scenario, kind=AnomalyKind.off_post)
    earlier = [a for a in off_post if a.shift_id == first]  # the first night: no check-in, no patrol kept
    missed = [a for a in off_post if a.evidence["what"] == "check_in"]
    assert [(a.shift_id, a.repeats) for a in missed] == [(first, 0), (second, len(earlier))]
    assert len(earlier) == 1 + 2 * 4  # the check-in, and two points at each of four patrols


def _face_terminals(scenario, post: dict) -> tuple[int, int]:
    """The worker in the staff register, the night desk in the first building, and a face terminal in that building
    and one in the next: the terminals' ids."""
    with unit_of_work(scenario.host.session_factory) as session:
        first, second = session.scalars(select(Building.id).where(Building.school_id == scenario.school_id)
                                        .order_by(Building.id).limit(2)).all()
        session.get(Post, post["post"]).building_id = first
        worker = session.scalar(select(User).where(User.username == "worker"))
        desk = setup.save_post(session, actor="admin", school_id=scenario.school_id, code="NIGHTDESK", name_zh="夜班值班员",
                               name_en="Night desk")
        register.create(session, actor="admin", school_id=scenario.school_id,
                        data=StaffInput(number="W-001", name="王师傅", unit_id=company_id(scenario), post_id=desk.id,
                                        started_on=START.date(), user_id=worker.id))
        here, there = (add_point(session, school_id=scenario.school_id, kind=PointKind.terminal, name=name, post_id=desk.id,
                                 building_id=building, actor="admin", user_id=None)[0].id
                       for name, building in (("1号公寓人脸终端", first), ("2号公寓人脸终端", second)))
        return here, there


def _face_seen(scenario, point_id: int) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        checkins.by_number(session, scenario.runtime.rules, point=session.get_one(CheckinPoint, point_id), number="W-001")


def test_a_face_check_in_in_the_posts_building_is_the_shifts_check_in_and_one_elsewhere_is_not(scenario):
    post = set_up_post(scenario)
    _night(scenario, post, False)
    here, there = _face_terminals(scenario, post)
    tonight = add_shift(scenario, post["post"], "worker", NIGHT)
    scenario.advance_to(NIGHT - timedelta(minutes=10))
    _face_seen(scenario, here)
    scenario.advance_to(NIGHT + GRACE + timedelta(minutes=1))
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.get_one(Shift, tonight).checked_in_at == NIGHT - timedelta(minutes=10)
        assert session.scalars(select(Scan.source).where(Scan.shift_id == tonight)).all() == [ScanSource.face]
    assert anomalies(scenario, kind=AnomalyKind.off_post) == []

    tomorrow = add_shift(scenario, post["post"], "worker", NIGHT + timedelta(days=1))
    scenario.advance_to(NIGHT + timedelta(days=1, minutes=-10))
    _face_seen(scenario, there)  # the other building's terminal proves nothing at this desk
    scenario.advance_to(NIGHT + timedelta(days=1) + GRACE + timedelta(minutes=1))
    missed = [a.shift_id for a in anomalies(scenario, kind=AnomalyKind.off_post) if a.evidence["what"] == "check_in"]
    assert missed == [tomorrow]  # (the first night's patrols, never walked, are off post too)


def _anomalies_of(scenario, unit: int, kinds, batch: str) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        session.add_all([Anomaly(school_id=scenario.school_id, number=f"ZB-{batch}{n}", kind=kind, subject=f"{batch}:{n}",
                                 unit_id=unit, occurred_at=START, detected_at=START, stage=Stage.closed,
                                 close_due=START + timedelta(days=1), closed_at=START + timedelta(hours=n))
                         for n, kind in enumerate(kinds)])


def _indicator_statements(scenario, unit: int) -> dict[str, int]:
    """The statements each duty indicator costs for ``unit`` over the week around now."""
    sent = {}
    with unit_of_work(scenario.host.session_factory) as session:
        book = scenario.runtime.rules.book(session, scenario.school_id)
        for indicator in INDICATORS:
            with statements(scenario.runtime.db_engine) as seen:
                indicator.measure(session, school_id=scenario.school_id, unit_id=unit, start=START - timedelta(days=3),
                                  end=START + timedelta(days=4), at=START, rules=book)
            sent[indicator.key] = len(seen)
    return sent


def test_each_duty_indicator_counts_every_kind_of_anomaly_in_one_query(scenario):
    """The unit's subtree, then one query for all the kinds: not a count per kind of anomaly."""
    unit = company_id(scenario)
    _anomalies_of(scenario, unit, [AnomalyKind.off_post], "A")
    one_kind = _indicator_statements(scenario, unit)
    _anomalies_of(scenario, unit, list(AnomalyKind), "B")
    assert _indicator_statements(scenario, unit) == one_kind == {i.key: 2 for i in INDICATORS}


def _dashboard_figures(scenario) -> tuple[dict[str, int], dict[str, int], int]:
    """The duty cards over the week around now, what each card's drill-down condition selects, and the statements
    the cards cost."""
    period = {"school_id": scenario.school_id, "start": START - timedelta(days=3), "end": START + timedelta(days=4)}
    with unit_of_work(scenario.host.session_factory) as session:
        with statements(scenario.runtime.db_engine) as seen:
            cards = {f.key: f.value for f in figures(session, **period, at=START, rules=scenario.runtime.rules)}
        listed = {key: session.scalar(select(func.count(Anomaly.id)).where(*where(key, **period))) for key in CONDITIONS}
        listed[READINGS_OUT] = session.scalar(select(func.count(Reading.id)).where(*readings_where(**period)))
    return cards, listed, len(seen)


def test_the_duty_dashboard_cards_count_every_kind_of_anomaly_in_one_query(scenario):
    """One query grouped by kind for the anomaly cards and one for the readings, however many kinds were found; each
    card as many as its drill-down lists."""
    unit = company_id(scenario)
    _anomalies_of(scenario, unit, [AnomalyKind.off_post], "A")
    _cards, _listed, one_kind = _dashboard_figures(scenario)
    _anomalies_of(scenario, unit, list(AnomalyKind), "B")
    with unit_of_work(scenario.host.session_factory) as session:  # closed a day after its deadline
        late = session.scalar(select(Anomaly).where(Anomaly.number == "ZB-B0"))
        late.closed_at = late.close_due + timedelta(days=1)
    cards, listed, every_kind = _dashboard_figures(scenario)
    assert every_kind == one_kind == 2
    assert cards == listed
    assert cards["duty_off_post"] == 2 and cards["duty_closed_on_time"] == len(AnomalyKind)


def _record(scenario, subject: str, *, school_id: int | None = None, unit_id: int | None = None) -> str | None:
    """Record an issue found at ``subject`` in the (given) school; its number, None when none was recorded."""
    school_id = school_id or scenario.school_id
    with unit_of_work(scenario.host.session_factory) as session:
        found = anomaly_book.Found(kind=AnomalyKind.issue, subject=subject, occurred_at=START,
                                   unit_id=unit_id or company_id(scenario), description="消防通道堆放杂物")
        recorded = anomaly_book.record(session, scenario.host, scenario.runtime.rules.book(session, school_id),
                                       school_id=school_id, found=found)
        return recorded.number if recorded else None


def test_two_schools_detectors_that_draw_the_same_number_at_once_both_record_their_anomaly(scenario, monkeypatch):
    """Anomaly numbers are unique across schools: another school's detector running at the same moment draws the
    same number, and the one stored second takes the next number instead of losing its anomaly (it was taken for the
    same subject recorded already, and dropped)."""
    with unit_of_work(scenario.host.session_factory) as session:
        other = create_school(session, code="S2", name="第二学校")
    first = _record(scenario, "issue:a")
    drawn = iter([first])
    real = anomaly_book._next_number
    monkeypatch.setattr(anomaly_book, "_next_number",
                        lambda session, school_id: next(drawn, None) or real(session, school_id))
    second = _record(scenario, "issue:a", school_id=other.school_id, unit_id=other.company_id)
    assert first == f"ZB{START:%Y%m%d}0001" and second == f"ZB{START:%Y%m%d}0002"
    with unit_of_work(scenario.host.session_factory) as session:
        stored = session.execute(select(Anomaly.school_id, Anomaly.number).order_by(Anomaly.number)).all()
        assert [tuple(row) for row in stored] == [(scenario.school_id, first), (other.school_id, second)]
        assert session.scalar(select(func.count(ProcessInstance.id)).where(ProcessInstance.process_key == "duty_pdca")) == 2


def test_a_subject_recorded_already_or_by_a_racing_detector_records_nothing(scenario, monkeypatch):
    """A detector that runs twice gets None, and so does one that raced another: its insert clashes on the subject,
    which is no number to draw again; the transaction goes on with the detector's next finding."""
    first = _record(scenario, "issue:a")
    assert _record(scenario, "issue:a") is None
    recorded, looks = anomaly_book._recorded, []

    def racing(session, school_id, subject):  # the racing detector had not stored its anomaly yet at the first look
        looks.append(subject)
        return len(looks) > 1 and recorded(session, school_id, subject)

    monkeypatch.setattr(anomaly_book, "_recorded", racing)
    with unit_of_work(scenario.host.session_factory) as session:
        book = scenario.runtime.rules.book(session, scenario.school_id)
        found = anomaly_book.Found(kind=AnomalyKind.issue, subject="issue:a", occurred_at=START)
        assert anomaly_book.record(session, scenario.host, book, school_id=scenario.school_id, found=found) is None
        assert looks == ["issue:a", "issue:a"], "the insert clashed on the subject and was judged by a second look"
        next_one = anomaly_book.record(session, scenario.host, book, school_id=scenario.school_id,
                                       found=anomaly_book.Found(kind=AnomalyKind.issue, subject="issue:b", occurred_at=START))
        assert next_one is not None and next_one.number == f"ZB{START:%Y%m%d}0002"
    assert [a.number for a in anomalies(scenario)] == [first, next_one.number]


def test_an_anomaly_recorded_after_one_of_the_day_was_deleted_takes_the_next_number(scenario):
    """The day's count falls behind the numbers once a row is deleted; the next anomaly draws past the day's highest
    number instead of drawing that one again on every try and failing its detector."""
    first, second = _record(scenario, "issue:a"), _record(scenario, "issue:b")
    with unit_of_work(scenario.host.session_factory) as session:
        session.execute(delete(Anomaly).where(Anomaly.number == first))
    assert _record(scenario, "issue:c") == f"ZB{START:%Y%m%d}0003" and second == f"ZB{START:%Y%m%d}0002"


def test_a_number_of_another_form_on_the_day_counts_once(scenario):
    """A stored number that is not the day's prefix and digits (kept from elsewhere) is no running count to go past:
    the next number counts it among the day's rows instead of failing to read it."""
    first = _record(scenario, "issue:a")
    with unit_of_work(scenario.host.session_factory) as session:
        session.execute(update(Anomaly).where(Anomaly.number == first).values(number=f"ZB{START:%Y%m%d}-A"))
    assert _record(scenario, "issue:b") == f"ZB{START:%Y%m%d}0002"
