"""The indicators of inspections, surveys, staff, attendance and duty on PostgreSQL: a known October of the demo
company (its teams included, another unit's records and other months left out) gives the values reckoned by hand
below, and a scheme of them scores the company.

By hand (Beijing days of October 2026, counted on 16 November):
- rounds done: 80 (cleaning team), 90, 70 (a spot check) → 80.0 of 3; a round still planned, one of September and
  the canteen's do not count
- findings: fixed on time 2, fixed late 1, overdue 1, one still within its time → 2 of 4 = 50.0 %; repeats 2 → 2.0
- survey ratings: 5, 4, 3 stars for the company and 2 stars for its cleaning team → (100 + 75 + 50 + 25) / 4 = 62.5
- staffing on 31 October: 4 of 5 planned → 80.0 %; certified: 1 of the 3 on the post that requires it → 33.33 %
- shifts: 4 started, 3 with the person there (one late) → 75.0 %
- duty anomalies: 5 → 5.0 per month; PDCAs closed on time 2 of the 4 decided → 50.0 %
Scheme: round score 20 × (80−60)/40 = 10; fixed on time 10 × 0.5 = 5; satisfaction 20 × 0.625 = 12.5; staffing
10 × (80−50)/50 = 6; on post 15 × (75−50)/50 = 7.5; anomalies 15 × (10−5)/10 = 7.5; attitude (no findings) 10 →
58.5, failed (below 60), payment deduction 10 %.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time

from october import FIRST, INDICATORS, LAST, at, create_scheme, units
from sqlalchemy import select
from test_campaigns import _campaign, _open, _points

from engine.db import unit_of_work
from workflows.assessment.indicators import measure
from workflows.attendance.models import Checkin, RosterEntry
from workflows.attendance.models import Shift as ShiftTemplate
from workflows.catalogue.models import Building
from workflows.duty.models import Anomaly
from workflows.inspections.models import InspectionFinding, InspectionItem, InspectionRound, InspectionTemplate
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.staff.models import Certificate, CertificateType, Post, PostCertificateType, StaffingPlan, StaffMember
from workflows.surveys import questions
from workflows.surveys.models import Survey, SurveyResponse

SEPTEMBER = date(2026, 9, 1)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """An October moment given in Beijing time."""
    return datetime(2026, 10, day, hour - 8, minute, tzinfo=UTC) if hour >= 8 else \
        datetime(2026, 10, day - 1, hour + 16, minute, tzinfo=UTC)


def _canteen(session, school: int) -> int:
    canteen = OrgUnit(school_id=school, kind=UnitKind.service_unit, name="饮食服务中心")
    session.add(canteen)
    session.flush()
    return canteen.id


def _inspections(session, school: int, company: int, cleaning: int, canteen: int, inspector: int) -> None:
    template = InspectionTemplate(school_id=school, name="公共区域保洁检查", service_type="cleaning")
    session.add(template)
    session.flush()
    item = InspectionItem(template_id=template.id, text="地面无垃圾", scoring="pass_fail", points=10)
    session.add(item)
    building = session.scalar(select(Building.id).where(Building.school_id == school))
    session.flush()
    rounds = [("R1", "scheduled", "done", cleaning, date(2026, 10, 3), None, 80),
              ("R2", "scheduled", "done", company, date(2026, 10, 10), None, 90),
              ("R3", "spot", "done", company, None, at(15), 70),
              ("R4", "scheduled", "planned", company, date(2026, 10, 20), None, None),
              ("R5", "scheduled", "done", company, date(2026, 9, 30), None, 10),
              ("R6", "scheduled", "done", canteen, date(2026, 10, 5), None, 20)]
    made = {}
    for number, kind, status, unit, planned, done_at, score in rounds:
        made[number] = InspectionRound(school_id=school, number=f"XC-{number}", kind=kind, status=status,
                                       template_id=template.id, building_id=building, unit_id=unit, inspector_id=inspector,
                                       planned_on=planned, done_at=done_at or (at(planned.day) if planned else None),
                                       score=score)
    session.add_all(made.values())
    session.flush()
    findings = [("F1", company, at(5), at(7), at(6), False), ("F2", company, at(8), at(10), at(12), False),
                ("F3", cleaning, at(15), at(20), None, False), ("F4", company, at(22), at(26), at(25), True),
                ("F5", company, at(30), datetime(2026, 11, 20, tzinfo=UTC), None, True),
                ("F6", canteen, at(5), at(7), at(6), True)]
    for number, unit, created, due, rectified, repeat in findings:
        session.add(InspectionFinding(school_id=school, number=f"XC-{number}", round_id=made["R2"].id, item_id=item.id,
                                      building_id=building, unit_id=unit, inspector_id=inspector, severity="minor",
                                      description="地面有垃圾", status="closed" if rectified else "rectifying",
                                      first_due_at=due, due_at=due, rectified_at=rectified, repeat=repeat, created_at=created))


def _surveys(session, school: int, company: int, cleaning: int, canteen: int) -> None:
    rating = questions.add_question(questions.add_section(questions.empty(), title_zh="总体", title_en="Overall"),
                                    section_id="s1", kind="rating", text_zh="总体满意度", text_en="Overall", scale=5)
    stars = {company: [(5, at(10)), (4, at(11)), (3, at(12)), (1, datetime(2026, 11, 2, tzinfo=UTC))],
             cleaning: [(2, at(13))], canteen: [(1, at(14))]}
    for n, (unit, given) in enumerate(stars.items(), start=1):
        survey = Survey(school_id=school, number=f"DC-{n}", title_zh="满意度调查", unit_id=unit, audience="everyone",
                        opens_at=at(1), closes_at=datetime(2026, 11, 5, tzinfo=UTC), status="closed", questions=rating,
                        link_key=f"oct-{n}")
        session.add(survey)
        session.flush()
        session.add_all([SurveyResponse(school_id=school, survey_id=survey.id, channel="link", answers={"q1": value},
                                        submitted_at=when) for value, when in given])


def _staff(session, school: int, company: int, cleaning: int, canteen: int) -> tuple[int, list[int]]:
    """The cleaners' post (it requires a certificate) and its people in service all October."""
    cleaner, electrician = Post(school_id=school, code="BJ", name_zh="保洁员", name_en="Cleaner"), \
        Post(school_id=school, code="DG", name_zh="电工", name_en="Electrician")
    kind = CertificateType(school_id=school, code="JK", name_zh="健康证", name_en="Health certificate")
    session.add_all([cleaner, electrician, kind])
    session.flush()
    session.add(PostCertificateType(post_id=cleaner.id, certificate_type_id=kind.id))
    session.add_all([StaffingPlan(school_id=school, unit_id=cleaning, post_id=cleaner.id, headcount=4, effective_from=SEPTEMBER),
                     StaffingPlan(school_id=school, unit_id=company, post_id=electrician.id, headcount=1,
                                  effective_from=SEPTEMBER),
                     StaffingPlan(school_id=school, unit_id=canteen, post_id=cleaner.id, headcount=5, effective_from=SEPTEMBER)])
    people = [(cleaning, cleaner.id, SEPTEMBER, None), (cleaning, cleaner.id, SEPTEMBER, None),
              (cleaning, cleaner.id, SEPTEMBER, None), (cleaning, cleaner.id, SEPTEMBER, date(2026, 10, 20)),
              (cleaning, cleaner.id, date(2026, 11, 5), None), (company, electrician.id, SEPTEMBER, None),
              (canteen, cleaner.id, SEPTEMBER, None)]
    staff = [StaffMember(school_id=school, unit_id=unit, number=f"YG{n:03d}", name=f"员工{n}", post_id=post, started_on=since,
                         left_on=left) for n, (unit, post, since, left) in enumerate(people, start=1)]
    session.add_all(staff)
    session.flush()
    for n, (person, until, status) in enumerate([(staff[0], date(2026, 12, 31), "active"),
                                                 (staff[1], date(2026, 10, 15), "active"),
                                                 (staff[2], date(2026, 12, 31), "pending_review"),
                                                 (staff[6], date(2026, 12, 31), "active")], start=1):
        session.add(Certificate(school_id=school, business_key=f"ZS{n:06d}", staff_id=person.id, type_id=kind.id,
                                number=f"JK-{n}", valid_from=SEPTEMBER, valid_until=until, status=status))
    return cleaner.id, [staff[0].id, staff[6].id]


def _attendance(session, school: int, post: int, cleaner: int, other_unit_cleaner: int) -> None:
    shift = ShiftTemplate(school_id=school, post_id=post, name="白班", starts=time(8), ends=time(17))
    session.add(shift)
    session.flush()
    arrivals = {5: local(5, 8, 5), 6: local(6, 8, 40), 7: None, 8: local(8, 7, 55)}
    for day, arrived in arrivals.items():
        session.add(RosterEntry(school_id=school, staff_id=cleaner, shift_id=shift.id, day=date(2026, 10, day)))
        if arrived is not None:
            session.add(Checkin(school_id=school, staff_id=cleaner, at=arrived, channel="face"))
    session.add(RosterEntry(school_id=school, staff_id=other_unit_cleaner, shift_id=shift.id, day=date(2026, 10, 5)))
    session.add(RosterEntry(school_id=school, staff_id=cleaner, shift_id=shift.id, day=date(2026, 11, 2)))


def _duty(session, school: int, company: int, cleaning: int, canteen: int) -> None:
    anomalies = [("A1", "off_post", company, at(3), "closed", at(5), at(4)),
                 ("A2", "sleeping", company, at(8), "closed", at(10), at(12)),
                 ("A3", "reading", company, at(15), "do", at(17), None),
                 ("A4", "issue", company, at(31, 10), "plan", None, None),
                 ("A5", "handover", cleaning, at(20), "closed", at(22), at(21)),
                 ("A6", "off_post", canteen, at(10), "closed", at(12), at(11)),
                 ("A7", "off_post", company, datetime(2026, 9, 29, tzinfo=UTC), "closed", at(2), at(1))]
    session.add_all([Anomaly(school_id=school, number=f"ZB-{number}", kind=kind, subject=f"oct:{number}", unit_id=unit,
                             occurred_at=detected, detected_at=detected, stage=stage, close_due=due, closed_at=closed)
                     for number, kind, unit, detected, stage, due, closed in anomalies])


def seed_modules(scenario) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        school = scenario.school_id
        company, cleaning = units(session, school)
        canteen = _canteen(session, school)
        supervisor = session.scalar(select(User.id).where(User.username == "supervisor"))
        _inspections(session, school, company, cleaning, canteen, supervisor)
        _surveys(session, school, company, cleaning, canteen)
        post, (cleaner, other) = _staff(session, school, company, cleaning, canteen)
        _attendance(session, school, post, cleaner, other)
        _duty(session, school, company, cleaning, canteen)


EXPECTED = {"inspection_round_score": (80.0, 3), "inspection_fixed_on_time": (50.0, 4),
            "inspection_repeat_findings": (2.0, 2), "survey_satisfaction": (62.5, 4), "staff_staffing_rate": (80.0, 5),
            "staff_certified_rate": (33.33, 3), "attendance_on_post_rate": (75.0, 4),
            "duty_anomalies_per_month": (5.0, 5), "duty_closed_on_time": (50.0, 4)}


def test_each_indicator_of_the_newer_modules_gives_the_hand_reckoned_value(scenario):
    seed_modules(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        company, _cleaning = units(session, scenario.school_id)
        book = scenario.runtime.rules.book(session, scenario.school_id)
        found = {key: measure(INDICATORS, session, key=key, school_id=scenario.school_id, unit_id=company, first=FIRST,
                              last=LAST, at=scenario.now(), rules=book) for key in EXPECTED}
        assert {key: (m.value, m.basis) for key, m in found.items()} == EXPECTED
        other_school = {key: measure(INDICATORS, session, key=key, school_id=scenario.school_id + 1, unit_id=company,
                                     first=FIRST, last=LAST, at=scenario.now(), rules=book).value for key in EXPECTED}
        counts = {"inspection_repeat_findings", "duty_anomalies_per_month"}  # nothing counted is 0, not nothing to measure
        assert other_school == {key: (0.0 if key in counts else None) for key in EXPECTED}


ITEMS = [
    {"name": "巡查得分", "weight": 20, "kind": "computed", "indicator": "inspection_round_score", "zero_at": 60, "full_at": 100},
    {"name": "问题按时整改", "weight": 10, "kind": "computed", "indicator": "inspection_fixed_on_time", "zero_at": 0,
     "full_at": 100},
    {"name": "满意度", "weight": 20, "kind": "computed", "indicator": "survey_satisfaction", "zero_at": 0, "full_at": 100},
    {"name": "满编率", "weight": 10, "kind": "computed", "indicator": "staff_staffing_rate", "zero_at": 50, "full_at": 100},
    {"name": "在岗率", "weight": 15, "kind": "computed", "indicator": "attendance_on_post_rate", "zero_at": 50, "full_at": 100},
    {"name": "值班异常", "weight": 15, "kind": "computed", "indicator": "duty_anomalies_per_month", "zero_at": 10, "full_at": 0},
    {"name": "服务态度", "weight": 10, "kind": "scored", "rules": [{"code": "R1", "text": "态度生硬每次扣1分", "deduct": 1}]},
]


def test_a_scheme_of_the_newer_indicators_scores_the_company_as_reckoned_by_hand(scenario):
    seed_modules(scenario)
    number = _open(scenario, create_scheme(scenario, items=ITEMS))
    scenario.do(number, "score_items", "supervisor", note="10月考核")
    assert _points(scenario, number) == {"i1": 10.0, "i2": 5.0, "i3": 12.5, "i4": 6.0, "i5": 7.5, "i6": 7.5, "i7": 10.0}
    campaign = _campaign(scenario, number)
    assert (campaign.total, campaign.grade, campaign.deduction_percent) == (58.5, "failed", 10.0)
