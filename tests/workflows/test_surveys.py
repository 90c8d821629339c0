"""Satisfaction surveys: skip logic keeps only the answers to questions shown, one response per person, one-time
links that work once and never after closing, reminders only to those who have not answered at the rule's time,
and per-unit satisfaction as computed by hand. Bad input changes nothing."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import campus_named
from sqlalchemy import func, select
from survey_story import answer, company_id, publish, questionnaire, students, the_survey, tokens, week

from engine.db import unit_of_work
from workflows.modules import timeline
from workflows.modules.contract import Measured
from workflows.people.enums import PersonKind
from workflows.people.models import OrgUnit, User
from workflows.surveys import module as survey_module
from workflows.surveys.models import SurveyInvitee, SurveyResponse
from workflows.surveys.questions import AnswerError
from workflows.surveys.scores import per_unit
from workflows.surveys.service import SurveyError


def _responses(scenario, number: str) -> list[SurveyResponse]:
    survey = the_survey(scenario, number)
    with unit_of_work(scenario.host.session_factory) as session:
        return list(session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
                                    .order_by(SurveyResponse.id)))


def test_the_survey_opens_on_its_date_asks_the_students_and_closes_on_its_date(scenario):
    students(scenario, 3)
    opens, closes = week(scenario.now())
    number = publish(scenario, opens=opens, closes=closes)
    assert the_survey(scenario, number).status == "scheduled"
    scenario.advance_to(opens + timedelta(seconds=2))
    survey = the_survey(scenario, number)
    assert survey.status == "open" and survey.opened_at == opens + timedelta(seconds=1)
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(SurveyInvitee.id)).where(SurveyInvitee.survey_id == survey.id)) == 3
    scenario.advance_to(closes + timedelta(seconds=2))
    assert the_survey(scenario, number).status == "closed"
    assert scenario.instance(number).status == "completed"


def _asked(scenario, number: str) -> list[str]:
    survey = the_survey(scenario, number)
    with unit_of_work(scenario.host.session_factory) as session:
        return sorted(session.scalars(select(User.username).join(SurveyInvitee, SurveyInvitee.user_id == User.id)
                                      .where(SurveyInvitee.survey_id == survey.id)))


def test_a_survey_of_one_campus_asks_only_that_campus_s_students_and_one_of_no_campus_asks_them_all(scenario):
    main = students(scenario, 2, campus="本部校区")
    lake = students(scenario, 1, campus="南湖校区", first=3)
    nowhere = students(scenario, 1, first=4)  # no campus: in no campus's survey
    [teacher] = students(scenario, 1, campus="南湖校区", first=5)
    with unit_of_work(scenario.host.session_factory) as session:
        session.scalar(select(User).where(User.username == teacher)).kind = PersonKind.staff
    opens, closes = week(scenario.now())
    of_lake = publish(scenario, opens=opens, closes=closes, campus="南湖校区")
    of_school = publish(scenario, opens=opens, closes=closes)
    of_lake_staff = publish(scenario, opens=opens, closes=closes, audience="staff", campus="南湖校区")
    scenario.advance_to(opens + timedelta(seconds=2))
    assert _asked(scenario, of_lake) == lake
    assert _asked(scenario, of_school) == sorted(main + lake + nowhere)
    assert _asked(scenario, of_lake_staff) == [teacher]


def test_a_campus_survey_takes_answers_as_it_asks_that_campus_s_people_and_those_it_asked(scenario):
    [asked, moved] = students(scenario, 2, campus="南湖校区")
    [main] = students(scenario, 1, campus="本部校区", first=3)
    [nowhere] = students(scenario, 1, first=4)
    [late] = students(scenario, 1, first=5)
    opens, closes = week(scenario.now())
    of_lake = publish(scenario, opens=opens, closes=closes, campus="南湖校区")
    of_diners = publish(scenario, opens=opens, closes=closes, audience="diners", campus="南湖校区")  # asks no accounts
    scenario.advance_to(opens + timedelta(seconds=2))
    with unit_of_work(scenario.host.session_factory) as session:
        lake = campus_named(session, scenario.school_id, "南湖校区")
        users = {u.username: u for u in session.scalars(select(User).where(User.username.in_([moved, late])))}
        users[moved].campus_id = campus_named(session, scenario.school_id, "本部校区")  # moved after being asked
        users[late].campus_id = lake  # given the campus after the survey opened
    raw = {"q1": ["o1"], "q2": ["4"]}
    for refused, why in ((main, "your account is on 本部校区"), (nowhere, "your account has no campus")):
        with pytest.raises(SurveyError, match=why):
            answer(scenario, of_lake, raw, by=refused)
    for admitted in (asked, moved, late):
        answer(scenario, of_lake, raw, by=admitted)
    answer(scenario, of_diners, raw, by=nowhere)  # a diners' survey names no one's campus
    assert len(_responses(scenario, of_lake)) == 3 and len(_responses(scenario, of_diners)) == 1


def test_a_survey_of_students_or_staff_takes_by_its_link_the_accounts_of_that_kind_and_those_it_asked(scenario):
    [asked, turned] = students(scenario, 2, campus="南湖校区")
    [teacher, kindless] = students(scenario, 2, campus="南湖校区", first=3)
    with unit_of_work(scenario.host.session_factory) as session:
        people = {u.username: u for u in session.scalars(select(User).where(User.username.in_([teacher, kindless])))}
        people[teacher].kind, people[kindless].kind = PersonKind.staff, None
    opens, closes = week(scenario.now())
    of_lake = publish(scenario, opens=opens, closes=closes, campus="南湖校区")
    of_school = publish(scenario, opens=opens, closes=closes)  # names no campus: the kind alone decides
    of_staff = publish(scenario, opens=opens, closes=closes, audience="staff")
    scenario.advance_to(opens + timedelta(seconds=2))
    [late] = students(scenario, 1, campus="南湖校区", first=5)  # a student of 南湖 after the asking
    with unit_of_work(scenario.host.session_factory) as session:
        session.scalar(select(User).where(User.username == turned)).kind = PersonKind.staff  # after being asked
    raw = {"q1": ["o1"], "q2": ["4"]}
    for survey, refused, why in ((of_lake, teacher, "only for students"), (of_lake, kindless, "only for students"),
                                 (of_school, teacher, "only for students"), (of_staff, asked, "only for staff"),
                                 (of_staff, kindless, "only for staff")):
        with pytest.raises(SurveyError, match=why) as said:
            answer(scenario, survey, raw, by=refused)
        assert "如登记有误，请联系学校系统管理员" in said.value.said("zh_CN")
    for survey, admitted in ((of_lake, asked), (of_lake, turned), (of_lake, late), (of_staff, teacher)):
        answer(scenario, survey, raw, by=admitted)
    assert [len(_responses(scenario, n)) for n in (of_lake, of_school, of_staff)] == [3, 0, 1]


def test_skip_logic_keeps_only_visible_answers_and_one_response_per_person(scenario):
    students(scenario, 2)
    opens, closes = week(scenario.now())
    number = publish(scenario, opens=opens, closes=closes, audience="everyone")  # the requester answers by the link
    scenario.advance_to(opens + timedelta(minutes=5))

    answer(scenario, number, {"q1": ["o1"], "q2": ["4"], "q4": ["9"]}, by="stu1")  # q3 hidden: "often"
    answer(scenario, number, {"q1": ["o3"], "q2": ["2"], "q3": ["太贵了"]}, by="stu2")  # q3 shown: "never"
    assert [r.answers for r in _responses(scenario, number)] == [{"q1": "o1", "q2": 4, "q4": 9},
                                                                {"q1": "o3", "q2": 2, "q3": "太贵了"}]

    with pytest.raises(SurveyError, match="answered"):
        answer(scenario, number, {"q1": ["o2"], "q2": ["5"]}, by="stu1")
    with pytest.raises(AnswerError) as hidden:
        answer(scenario, number, {"q1": ["o1"], "q2": ["3"], "q3": ["其实也还行"]}, by="requester")
    assert hidden.value.field == "q3"
    for bad, field in (({"q1": ["o9"], "q2": ["3"]}, "q1"), ({"q1": ["o1"], "q2": ["6"]}, "q2"),
                       ({"q1": ["o1"], "q2": ["3"], "q4": ["11"]}, "q4"), ({"q1": ["o1"]}, "q2"),
                       ({"q1": ["o1", "o2"], "q2": ["3"]}, "q1")):
        with pytest.raises(AnswerError) as refused:
            answer(scenario, number, bad, by="requester")
        assert refused.value.field == field
    assert len(_responses(scenario, number)) == 2  # nothing half-stored by the refusals
    survey = the_survey(scenario, number)
    requester = scenario.user("requester")
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(SurveyInvitee.id).where(SurveyInvitee.survey_id == survey.id,
                                                             SurveyInvitee.user_id == requester.id)) is None


def test_an_anonymous_survey_keeps_no_name_with_the_answers_but_still_counts_once(scenario):
    opens, closes = week(scenario.now())
    number = publish(scenario, opens=opens, closes=closes, audience="everyone", anonymous=True)
    scenario.advance_to(opens + timedelta(minutes=5))
    answer(scenario, number, {"q1": ["o2"], "q2": ["5"]}, by="requester")
    with pytest.raises(SurveyError, match="answered"):
        answer(scenario, number, {"q1": ["o2"], "q2": ["5"]}, by="requester")
    assert [r.user_id for r in _responses(scenario, number)] == [None]
    requester = scenario.user("requester").id
    with unit_of_work(scenario.host.session_factory) as session:
        answered = session.scalar(select(SurveyInvitee.answered_at).where(SurveyInvitee.user_id == requester))
    assert (answered.hour, answered.minute, answered.second) == (0, 0, 0)  # the day only: not matched by time
    assert [a.actor for a in scenario.audit(number, "surveys.answered")] == [None]


def test_a_one_time_link_works_once_and_not_after_the_survey_closes(scenario):
    opens, closes = week(scenario.now())
    number = publish(scenario, opens=opens, closes=closes, audience="diners")
    first, second = tokens(scenario, number, ["张三", "李四"])
    with pytest.raises(SurveyError, match="not open"):
        answer(scenario, number, {"q1": ["o1"], "q2": ["5"]}, token=first)  # before opening
    scenario.advance_to(opens + timedelta(minutes=5))
    answer(scenario, number, {"q1": ["o1"], "q2": ["5"]}, token=first)
    with pytest.raises(SurveyError, match="answered"):
        answer(scenario, number, {"q1": ["o2"], "q2": ["1"]}, token=first)
    with pytest.raises(SurveyError, match="link is not valid"):
        answer(scenario, number, {"q1": ["o2"], "q2": ["1"]}, token="forged")
    scenario.advance_to(closes + timedelta(seconds=2))
    with pytest.raises(SurveyError, match="closed"):
        answer(scenario, number, {"q1": ["o2"], "q2": ["1"]}, token=second)
    assert [(r.channel, r.user_id) for r in _responses(scenario, number)] == [("token", None)]


def test_reminders_go_only_to_those_asked_who_have_not_answered_at_the_rule_time(scenario):
    names = students(scenario, 3)
    opens = scenario.now() + timedelta(hours=1)
    closes = opens + timedelta(days=7)
    number = publish(scenario, opens=opens, closes=closes)
    scenario.advance_to(opens + timedelta(hours=1))
    answer(scenario, number, {"q1": ["o1"], "q2": ["4"]}, by=names[0])

    first = opens + timedelta(seconds=1) + timedelta(days=3)  # opened at opens + 1 s; the rule says 3 days
    scenario.advance_to(first - timedelta(minutes=1))
    assert scenario.outbox(number, "surveys.reminder") == []
    scenario.advance_to(first + timedelta(seconds=2))
    reminders = scenario.outbox(number, "surveys.reminder")
    ids = {scenario.user(name).id: name for name in names}
    assert len(reminders) == 1 and reminders[0].created_at == first + timedelta(seconds=1)
    assert sorted(ids[i] for i in reminders[0].recipients["users"]) == names[1:]

    answer(scenario, number, {"q1": ["o1"], "q2": ["3"]}, by=names[1])
    scenario.advance_to(first + timedelta(days=3, seconds=2))  # every 3 days: only the one still silent
    reminders = scenario.outbox(number, "surveys.reminder")
    assert len(reminders) == 2 and [ids[i] for i in reminders[1].recipients["users"]] == [names[2]]
    scenario.advance_to(closes + timedelta(days=5))  # closed: no more reminders
    assert len(scenario.outbox(number, "surveys.reminder")) == 2
    with unit_of_work(scenario.host.session_factory) as session:
        events = timeline.business_dicts(session, survey_module.MODULE, school_id=scenario.school_id, key=number, locale="en")
    assert [(e["action"], e["count"]) for e in events if e["action"] == "surveys.reminded"] == [("surveys.reminded", 2)]


def test_the_satisfaction_indicator_is_the_mean_of_the_rating_answers_counted_for_the_unit(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        canteen = OrgUnit(school_id=scenario.school_id, kind="service_unit", name="饮食服务中心")
        session.add(canteen)
        session.flush()
        canteen_id = canteen.id
    company = company_id(scenario)
    opens, closes = week(scenario.now())
    number = publish(scenario, opens=opens, closes=closes, audience="everyone", definition=questionnaire(canteen_id))
    scenario.advance_to(opens + timedelta(minutes=5))
    with unit_of_work(scenario.host.session_factory) as session:
        people = [u.username for u in session.scalars(select(User).where(User.school_id == scenario.school_id)
                                                      .order_by(User.id).limit(3))]
    answer(scenario, number, {"q1": ["o1"], "q2": ["5"], "q5": ["3"]}, by=people[0])
    answer(scenario, number, {"q1": ["o1"], "q2": ["2"], "q5": ["2"]}, by=people[1])
    answer(scenario, number, {"q1": ["o1"], "q2": ["4"]}, by=people[2])
    # the company (q2, 1–5 stars): (100 + 25 + 75) / 3 to two places; the canteen (q5, 1–3): (100 + 50) / 2
    start, end = opens, closes
    indicator = scenario.runtime.modules.indicators["survey_satisfaction"]  # as assessment schemes measure it
    with unit_of_work(scenario.host.session_factory) as session:
        book = scenario.runtime.rules.book(session, scenario.school_id)

        def satisfaction(unit_id: int, start, end, *, school_id: int = scenario.school_id) -> Measured:
            return indicator.measure(session, school_id=school_id, unit_id=unit_id, start=start, end=end,
                                     at=scenario.now(), rules=book)

        assert satisfaction(company, start, end) == Measured(round(200 / 3, 2), 3)
        assert satisfaction(canteen_id, start, end) == Measured(75, 2)
        assert satisfaction(company, end, end + timedelta(days=1)) == Measured(None, 0)
        assert satisfaction(company, start, end, school_id=scenario.school_id + 1) == Measured(None, 0)
        assert [(s.unit_id, s.answers) for s in per_unit(session, school_id=scenario.school_id, start=start, end=end)] \
            == sorted([(company, 3), (canteen_id, 2)])
