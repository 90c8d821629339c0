"""Two submissions of the same survey at the same moment on PostgreSQL (a double tap, two tabs): the survey row's
lock lets one in, the other is refused as answered, and one response is stored, by login and by one-time link."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.clock import now
from workflows.demo import create_school
from workflows.people.models import User
from workflows.people.service import create_user
from workflows.surveys import questions, service
from workflows.surveys.models import Survey, SurveyResponse
from workflows.surveys.service import SurveyError

RAW = {"q1": ["4"]}


@pytest.fixture
def open_survey(runtime, migrated_pg_url):
    harness = runtime(migrated_pg_url)
    harness.deploy_path()
    with harness.session() as session:
        school = create_school(session, code="race", name="赛跑大学").school_id
        author = create_user(session, username="quality", password="pw", display_name="质量办", school_id=school)
        create_user(session, username="student", password="pw", display_name="学生", school_id=school)
        session.flush()
        draft = service.Draft(title_zh="宿舍满意度", title_en="", intro_zh="", intro_en="", unit_id=None, audience="everyone",
                              opens_at=now() - timedelta(hours=1), closes_at=now() + timedelta(days=2))
        survey = service.create(session, school_id=school, draft=draft, author=author)
        definition = questions.add_section(questions.empty(), title_zh="总体", title_en="")
        service.save_questions(session, survey, questions.add_question(definition, section_id="s1", kind="rating",
                                                                       text_zh="满意吗", text_en=""), author=author)
        service.publish(session, harness.host, survey, author=author)
        [(_name, token)] = service.issue_tokens(session, survey, names=["就餐者"], author=author)
        survey_id = survey.id
    return harness, survey_id, token


def _race(harness, survey_id: int, **who) -> list[str]:
    start, outcomes = threading.Barrier(2), []

    def submit() -> None:
        with harness.session() as session:
            survey = session.get(Survey, survey_id)
            user = session.scalar(select(User).where(User.username == "student")) if "user" in who else None
            start.wait()
            try:
                service.answer(session, survey, RAW, user=user, token=who.get("token"))
                session.commit()
                outcomes.append("stored")
            except SurveyError as err:
                session.rollback()
                outcomes.append("answered" if err.message == service.answered_already().message else str(err))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_submissions_at_once_store_one_response(open_survey):
    harness, survey_id, token = open_survey
    assert _race(harness, survey_id, token=token) == ["answered", "stored"]
    assert _race(harness, survey_id, user=True) == ["answered", "stored"]
    with harness.session() as session:
        assert session.scalar(select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey_id)) == 2
