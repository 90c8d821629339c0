"""The standards library and a survey's results through the API: the caller's school only, older versions readable,
documented answers (every call is checked against openapi.yaml by the fixture)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.clock import now
from engine.db import unit_of_work
from workflows.people.models import User
from workflows.standards import service as standards
from workflows.standards.service import Writing
from workflows.surveys import questions
from workflows.surveys import service as surveys


def _write(api) -> None:
    with unit_of_work(api.session_factory) as session:
        author = session.scalar(select(User).where(User.username == "supervisor"))
        document = standards.create(session, school_id=author.school_id, code="SS-01", service_type="dormitory",
                                    catalogue_item_id=None, author=author,
                                    writing=Writing(title="宿舍管理服务标准", items="1 每日查寝一次\n2 来访登记"))
        standards.revise(session, document, writing=Writing(title="宿舍管理服务标准", items="1 每日查寝两次\n2 来访登记",
                                                            note="加强查寝"), author=author, catalogue_item_id=None)


def test_standards_are_searched_and_read_at_any_version_within_the_school(api):
    _write(api)
    found = api.get("/standards?q=查寝两次", user="worker")
    assert found.status_code == 200 and [s["code"] for s in found.get_json()["standards"]] == ["SS-01"]
    assert api.get("/standards?q=查寝一次", user="worker").get_json()["standards"] == []
    old = api.get("/standards/SS-01?version=1", user="worker").get_json()
    assert old["items"][0]["text"] == "每日查寝一次" and old["current_version"] == 2
    assert [v["version"] for v in old["versions"]] == [2, 1]
    assert api.get("/standards?service_type=nonsense", user="worker").status_code == 400
    assert api.get("/standards/SS-01", user="outsider_auditor").status_code == 404
    assert api.get("/standards", user="outsider_auditor").get_json()["standards"] == []


def test_a_surveys_results_are_read_through_its_module_by_the_quality_office_only(api):
    with unit_of_work(api.session_factory) as session:
        author = session.scalar(select(User).where(User.username == "supervisor"))
        draft = surveys.Draft(title_zh="食堂满意度", title_en="Canteen", intro_zh="", intro_en="", unit_id=None,
                              audience="everyone", opens_at=now() - timedelta(hours=1), closes_at=now() + timedelta(days=3))
        survey = surveys.create(session, school_id=author.school_id, draft=draft, author=author)
        definition = questions.add_section(questions.empty(), title_zh="总体", title_en="Overall")
        surveys.save_questions(session, survey, questions.add_question(definition, section_id="s1", kind="rating",
                                                                       text_zh="满意吗", text_en="Satisfied?"), author=author)
        number = survey.number
    body = api.get(f"/modules/surveys/{number}", user="supervisor").get_json()
    assert body["number"] == number and body["status"] == "draft" and body["responses"] == 0
    assert [event["action"] for event in body["timeline"]] == ["surveys.created", "surveys.edited"]
    assert api.get(f"/modules/surveys/{number}", user="requester").status_code == 404
    assert api.get(f"/modules/surveys/{number}", user="outsider_auditor").status_code == 404
