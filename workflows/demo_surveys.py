"""The demo school's standards library (cleaning and dormitory, the cleaning one in its second version) and two
satisfaction surveys: the canteen's, open now and half answered, and the dormitory cleaning one, closed a fortnight
ago with its results, so the survey and standards pages look like a school that uses them."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from engine.host import Host
from workflows.catalogue.models import Building, CatalogueItem
from workflows.demo_plans import link_standards
from workflows.modules.contract import DemoSetting
from workflows.people.enums import Role, UnitKind
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.standards import service as standards
from workflows.standards.models import StandardDocument
from workflows.standards.service import Writing
from workflows.surveys import questions, service
from workflows.surveys.enums import Audience, Channel, Status
from workflows.surveys.models import Survey, SurveyInvitee, SurveyResponse

CLEANING = ("公共区域每日清扫两次，保持地面无垃圾、无积水\n楼道扶手、门把手每日擦拭消毒一次\n卫生间每两小时巡检一次，无异味、无积水\n"
            "垃圾桶日产日清，桶身每周清洗一次\n保洁工具分区使用、定点存放")
DORMITORY = ("宿舍楼24小时值班，来访人员登记后进入\n每晚22:30查寝一次，异常情况当晚上报\n公共区域照明、门禁故障2小时内报修\n"
             "每月开展一次消防安全检查并记录\n学生报修、投诉当日受理、限时答复")
OPTIONS = questions.parse_options("每天 | Every day\n每周几次 | A few times a week\n很少 | Rarely")


def questionnaire(unit_id: int) -> dict:
    """The canteen questionnaire: how often (a \"rarely\" asks why), three 1–5 ratings for ``unit_id``, NPS, remarks."""
    d = questions.add_section(questions.empty(), title_zh="就餐情况", title_en="Your meals")
    d = questions.add_question(d, section_id="s1", kind="single", text_zh="您多久在这里就餐一次？",
                               text_en="How often do you eat here?", options=OPTIONS)
    d = questions.add_question(d, section_id="s1", kind="text", text_zh="您很少来的原因是什么？", text_en="Why do you rarely come?",
                               required=False, show_if={"question": "q1", "answer": "o3"})
    d = questions.add_section(d, title_zh="评价", title_en="Your rating")
    for text_zh, text_en in (("饭菜口味", "Taste of the food"), ("环境卫生", "Cleanliness"), ("服务态度", "Service")):
        d = questions.add_question(d, section_id="s2", kind="rating", text_zh=text_zh, text_en=text_en, scale=5, unit_id=unit_id)
    d = questions.add_question(d, section_id="s2", kind="nps", text_zh="您愿意向同学推荐吗？",
                               text_en="Would you recommend it to a classmate?", required=False)
    return questions.add_question(d, section_id="s2", kind="text", text_zh="其他意见和建议", text_en="Anything else?", required=False)


def _answers(rng: random.Random) -> dict[str, list[str]]:
    often = rng.choices(["o1", "o2", "o3"], weights=[5, 3, 1])[0]
    raw = {"q1": [often], "q3": [str(rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 3])[0])],
           "q4": [str(rng.choices([3, 4, 5], weights=[2, 5, 4])[0])], "q5": [str(rng.choices([3, 4, 5], weights=[1, 4, 5])[0])],
           "q6": [str(rng.randint(5, 10))]}
    if often == "o3":
        raw["q2"] = [rng.choice(["离宿舍太远", "价格偏高", "菜品单一"])]
    return raw


def _survey(session: Session, author: User, unit_id: int, *, school_id: int, title_zh: str, title_en: str, audience: Audience,
            opens_at: datetime, closes_at: datetime, audience_text: str = "", audience_building_id: int | None = None,
            anonymous: bool = False) -> Survey:
    draft = service.Draft(title_zh=title_zh, title_en=title_en, intro_zh="感谢您抽出两分钟填写问卷，您的意见将用于改进服务。",
                          intro_en="Thank you for two minutes of your time: your answers help us improve.",
                          unit_id=unit_id, audience=audience, opens_at=opens_at, closes_at=closes_at, anonymous=anonymous,
                          audience_text=audience_text, audience_building_id=audience_building_id)
    survey = service.create(session, school_id=school_id, draft=draft, author=author)
    service.save_questions(session, survey, questionnaire(unit_id), author=author)
    return survey


def seed_surveys(session: Session, host: Host, *, school_id: int) -> bool:
    """Create the demo standards and surveys unless the school has standards already."""
    if session.scalar(select(StandardDocument.id).where(StandardDocument.school_id == school_id)):
        return False
    author = session.scalar(select(User).join(RoleAssignment).where(User.school_id == school_id,
                                                                    RoleAssignment.role == Role.supervisor))
    assert author is not None  # the demo school has its supervision office
    cleaning = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == school_id, CatalogueItem.code == "G"))
    document = standards.create(session, school_id=school_id, code="BJ-01", service_type="cleaning", catalogue_item_id=cleaning,
                                writing=Writing(title="公共区域保洁服务标准", items=CLEANING.replace("两次", "一次")), author=author)
    standards.revise(session, document, writing=Writing(title="公共区域保洁服务标准", items=CLEANING, note="清扫频次由每日一次提高到两次"),
                     author=author, catalogue_item_id=cleaning)
    standards.create(session, school_id=school_id, code="SS-01", service_type="dormitory", catalogue_item_id=None,
                     writing=Writing(title="学生公寓管理服务标准", items=DORMITORY), author=author)

    company = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.kind == UnitKind.service_unit))
    assert company is not None
    crowd = list(session.scalars(select(User).where(User.school_id == school_id, User.active.is_(True)).order_by(User.id)))
    rng, at = random.Random(19), now()
    canteen = _survey(session, author, company, school_id=school_id,
                      title_zh="第一食堂就餐满意度调查", title_en="First canteen: diners' survey",
                      audience=Audience.diners, audience_text="第一食堂", opens_at=at - timedelta(days=3),
                      closes_at=at + timedelta(days=11))
    service.publish(session, host, canteen, author=author)
    for person in crowd[: len(crowd) // 2]:
        service.answer(session, canteen, _answers(rng), user=person)

    building = session.scalar(select(Building.id).where(Building.school_id == school_id, Building.name == "学生公寓1号楼"))
    dorm = _survey(session, author, company, school_id=school_id,
                   title_zh="学生公寓1号楼保洁满意度调查", title_en="Residence 1: cleaning survey",
                   audience=Audience.residents, audience_building_id=building, anonymous=True,
                   opens_at=at - timedelta(days=30), closes_at=at - timedelta(days=16))
    dorm.status, dorm.opened_at, dorm.closed_at = Status.closed, dorm.opens_at, dorm.closes_at  # ran its course before the demo
    for number, person in enumerate(crowd[: max(3, len(crowd) * 2 // 3)]):
        answered = dorm.opens_at + timedelta(hours=5 + number * 3)
        session.add(SurveyInvitee(school_id=school_id, survey_id=dorm.id, user_id=person.id, answered_at=answered))
        session.add(SurveyResponse(school_id=school_id, survey_id=dorm.id, channel=Channel.login, submitted_at=answered,
                                   answers=questions.clean_answers(dorm.questions, _answers(rng))))
    return True


def seed_demo(session: Session, demo: DemoSetting) -> None:
    """The surveys module's part of the demo: standards and surveys, and the weekly cleaning plan's lines linked
    to the cleaning standard's items."""
    seed_surveys(session, demo.host, school_id=demo.school_id)
    link_standards(session, school_id=demo.school_id)
