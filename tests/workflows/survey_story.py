"""Surveys in a scenario: a canteen survey with skip logic written, published and answered as the pages do."""
from __future__ import annotations

from datetime import datetime, timedelta

from factories import campus_named
from sqlalchemy import select

from engine.db import unit_of_work
from workflows.people.enums import PersonKind, UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.service import create_user
from workflows.surveys import questions, service
from workflows.surveys.models import Survey

CHOICES = questions.parse_options("经常 | Often\n偶尔 | Sometimes\n从不 | Never")


def company_id(scenario) -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == scenario.school_id,
                                                       OrgUnit.kind == UnitKind.service_unit))


def questionnaire(unit_id: int | None = None) -> dict:
    """q1 how often (single), q2 taste stars (1–5), q3 why never, shown only if q1 is "never", q4 recommend (NPS),
    q5 a 1–3 rating counted for ``unit_id``."""
    d = questions.add_section(questions.empty(), title_zh="用餐情况", title_en="Eating")
    d = questions.add_question(d, section_id="s1", kind="single", text_zh="您多久在食堂就餐？", text_en="How often?",
                               options=CHOICES)
    d = questions.add_question(d, section_id="s1", kind="rating", text_zh="饭菜口味", text_en="Taste", scale=5)
    d = questions.add_question(d, section_id="s1", kind="text", text_zh="为什么从不？", text_en="Why never?",
                               show_if={"question": "q1", "answer": "o3"})
    d = questions.add_section(d, title_zh="总体", title_en="Overall")
    d = questions.add_question(d, section_id="s2", kind="nps", text_zh="您会推荐吗？", text_en="Recommend?", required=False)
    return questions.add_question(d, section_id="s2", kind="rating", text_zh="卫生", text_en="Hygiene", scale=3,
                                  required=False, unit_id=unit_id)


def students(scenario, count: int, *, campus: str | None = None, first: int = 1) -> list[str]:
    """``count`` students ``stu<first>``… of the campus named ``campus`` (None: of no campus)."""
    names = [f"stu{n}" for n in range(first, first + count)]
    with unit_of_work(scenario.host.session_factory) as session:
        campus_id = campus_named(session, scenario.school_id, campus) if campus else None
        for name in names:
            create_user(session, username=name, password="pw", display_name=f"学生{name}", school_id=scenario.school_id,
                        roles=[("requester", None)], campus_id=campus_id).kind = PersonKind.student
    return names


def publish(scenario, *, opens: datetime, closes: datetime, audience: str = "students", anonymous: bool = False,
            definition: dict | None = None, unit_id: int | None = None, campus: str | None = None) -> str:
    """A survey of ``audience`` (of the campus named ``campus``, if given) written and published."""
    unit_id = unit_id or company_id(scenario)
    with unit_of_work(scenario.host.session_factory) as session:
        author = session.scalar(select(User).where(User.username == "supervisor"))
        draft = service.Draft(title_zh="食堂满意度调查", title_en="Canteen survey", intro_zh="", intro_en="",
                              unit_id=unit_id, audience=audience, opens_at=opens, closes_at=closes,
                              anonymous=anonymous, audience_text="第一食堂" if audience == "diners" else "",
                              audience_campus_id=campus_named(session, scenario.school_id, campus) if campus else None)
        survey = service.create(session, school_id=scenario.school_id, draft=draft, author=author)
        service.save_questions(session, survey, definition or questionnaire(), author=author)
        service.publish(session, scenario.host, survey, author=author)
        return survey.number


def the_survey(scenario, number: str) -> Survey:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(Survey).where(Survey.number == number))


def answer(scenario, number: str, raw: dict, *, by: str | None = None, token: str | None = None):
    with unit_of_work(scenario.host.session_factory) as session:
        survey = session.scalar(select(Survey).where(Survey.number == number))
        user = session.scalar(select(User).where(User.username == by)) if by else None
        return service.answer(session, survey, raw, user=user, token=token).id


def tokens(scenario, number: str, names: list[str]) -> list[str]:
    with unit_of_work(scenario.host.session_factory) as session:
        survey = session.scalar(select(Survey).where(Survey.number == number))
        author = session.scalar(select(User).where(User.username == "supervisor"))
        return [token for _name, token in service.issue_tokens(session, survey, names=names, author=author)]


def week(at: datetime) -> tuple[datetime, datetime]:
    return at + timedelta(hours=1), at + timedelta(days=7)
