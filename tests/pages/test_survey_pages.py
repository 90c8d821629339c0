"""Survey and standards pages: the quality office builds a survey with a "show if" question, publishes it, a student
answers it by its link once, a refused answer stores nothing, the results and the Excel file count it, a one-time
link works once; a standard is written, revised, searched and shown beside a repair task; another school sees
none of it."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from engine.models import HumanTask
from workflows.catalogue.models import CatalogueItem
from workflows.people.enums import PersonKind, UnitKind
from workflows.people.models import Campus, OrgUnit, User
from workflows.surveys.models import Survey, SurveyResponse


def _company(site) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == UnitKind.service_unit))


def _build_and_publish(site, audience: str = "everyone", campus: int | None = None) -> Survey:
    office = site.client("supervisor")
    response = office.submit("/surveys/new", {"title_zh": "宿舍保洁满意度", "title_en": "Dormitory cleaning", "intro_zh": "",
                                              "intro_en": "", "unit_id": str(_company(site)), "audience": audience,
                                              "audience_campus_id": str(campus or ""), "audience_building_id": "",
                                              "audience_text": "", "opens_on": "2026-11-16", "closes_on": "2026-11-22"})
    assert response.status_code == 302, response.get_data(as_text=True)
    number = response.headers["Location"].rsplit("/", 1)[1]
    page = f"/surveys/{number}"
    assert office.submit(f"{page}/sections", {"section-title_zh": "保洁", "section-title_en": "Cleaning"},
                         form_page=page).status_code == 302
    question = {"question-section_id": "s1", "question-required": "y", "question-scale": "5", "question-unit_id": "",
                "question-show_if_question": "", "question-show_if_answer": "", "question-options": ""}
    for data in ({"question-kind": "single", "question-text_zh": "楼道干净吗？", "question-text_en": "Is the corridor clean?",
                  "question-options": "干净 | Clean\n不干净 | Not clean"},
                 {"question-kind": "rating", "question-text_zh": "保洁总体评分", "question-text_en": "Overall cleaning"},
                 {"question-kind": "text", "question-text_zh": "哪里不干净？", "question-text_en": "Where is it not clean?",
                  "question-show_if_question": "q1", "question-show_if_answer": "2"}):
        assert office.submit(f"{page}/questions", {**question, **data}, form_page=page).status_code == 302
    refused = office.submit(f"{page}/questions", {**question, "question-kind": "single", "question-text_zh": "只有一个选项",
                                                  "question-options": "是"}, form_page=page)
    assert refused.status_code == 422 and "A choice needs at least two options" in refused.get_data(as_text=True)
    assert office.submit(f"{page}/publish", {}, form_page=page).status_code == 302
    with site.db() as session:
        survey = session.scalar(select(Survey).where(Survey.number == number))
        assert survey.status == "open" and survey.questions["sections"][0]["questions"][2]["show_if"] == \
            {"question": "q1", "answer": "o2"}
        return survey


def _responses(site) -> int:
    with site.db() as session:
        return session.scalar(select(func.count(SurveyResponse.id)))


def test_a_survey_built_on_its_pages_is_answered_once_and_counted_in_results_and_excel(site):
    survey = _build_and_publish(site)
    student = site.client("requester")
    link = f"/s/{survey.link_key}"
    page = student.page(link)
    assert "楼道干净吗？" in page or "Is the corridor clean?" in page
    hidden = student.submit(link, {"q1": "o1", "q2": "4", "q3": "其实也脏"})
    assert hidden.status_code == 422 and "not asked" in hidden.get_data(as_text=True) and _responses(site) == 0
    bad = student.submit(link, {"q1": "o7", "q2": "4"})
    assert bad.status_code == 422 and _responses(site) == 0
    done = student.submit(link, {"q1": "o2", "q2": "2", "q3": "三楼厕所"})
    assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True) and _responses(site) == 1
    assert "answered this survey already" in student.page(link)
    assert student.submit(link, {"q1": "o1", "q2": "5"}, form_page="/my/surveys").status_code == 409
    assert _responses(site) == 1

    office = site.client("supervisor")
    results = office.page(f"/surveys/{survey.number}/results")
    assert "1 responses" in results and "三楼厕所" in results and "25.0" in results  # 2 of 5 stars = 25 of 100
    book = load_workbook(io.BytesIO(office.get(f"/surveys/{survey.number}/results.xlsx").data))
    answers = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(answers) == 2 and answers[1][2:] == ("Not clean", 2, "三楼厕所")
    assert list(book.worksheets[1].iter_rows(values_only=True))[1][1:] == (25, 1)


def test_a_campus_survey_s_link_takes_the_answers_of_that_campus_s_students_only(site):
    with site.db() as session:
        campuses = dict(session.execute(select(Campus.name, Campus.id).where(Campus.school_id == site.school_id)).all())
        lake, main = campuses["南湖校区"], campuses["本部校区"]
        for username, kind, campus in (("requester", PersonKind.student, lake), ("clerk", PersonKind.student, main),
                                       ("worker", PersonKind.staff, lake), ("auditor", PersonKind.student, None)):
            user = session.scalar(select(User).where(User.username == username))
            user.kind, user.campus_id = kind, campus
    survey = _build_and_publish(site, audience="students", campus=lake)
    link = f"/s/{survey.link_key}"
    answers = {"q1": "o1", "q2": "5"}

    other_campus = site.client("clerk")
    refused = other_campus.get(f"{link}?lang=zh_CN")
    assert refused.status_code == 403
    assert "此问卷仅面向南湖校区，你的账号登记在本部校区，无法作答。如校区登记有误，请联系学校系统管理员。" in \
        refused.get_data(as_text=True)
    assert other_campus.submit(link, answers, form_page="/my/surveys").status_code == 403 and _responses(site) == 0
    no_campus = site.client("auditor").get(f"{link}?lang=zh_CN")
    assert no_campus.status_code == 403  # as the asking, which leaves accounts of no campus out of every campus
    assert "你的账号未登记校区，无法作答；请联系学校系统管理员登记你的校区。" in no_campus.get_data(as_text=True)

    staff = site.client("worker")  # of 南湖, but staff: as the asking, which leaves out the accounts of another kind
    for lang, words in (("zh_CN", "此问卷仅面向学生，你的账号未登记为学生，无法作答。如登记有误，请联系学校系统管理员。"),
                        ("en", "This survey is only for students, and your account is not recorded as a student&#39;s")):
        of_staff = staff.get(f"{link}?lang={lang}")
        assert of_staff.status_code == 403 and words in of_staff.get_data(as_text=True)
    assert staff.submit(link, answers, form_page="/my/surveys").status_code == 403 and _responses(site) == 0

    assert site.client("requester").submit(link, answers).status_code == 200  # asked: a student of 南湖
    assert _responses(site) == 1


def test_a_one_time_link_answers_without_login_once(site):
    survey = _build_and_publish(site)
    office = site.client("supervisor")
    page = f"/surveys/{survey.number}"
    issued = office.submit(f"{page}/links", {"links-names": "食堂就餐者甲\n食堂就餐者乙"}, form_page=page)
    links = re.findall(r'href="http://localhost(/s/[^"]+/[^"]+)"', issued.get_data(as_text=True))
    assert issued.status_code == 200 and len(links) == 2
    stranger = site.client()
    assert stranger.submit(links[0], {"q1": "o1", "q2": "5"}).status_code == 200
    assert stranger.submit(links[0], {"q1": "o1", "q2": "5"}, form_page="/login").status_code == 409
    assert stranger.get(f"/s/{survey.link_key}/forged").status_code == 404
    assert _responses(site) == 1


def test_a_student_reminded_in_the_bell_is_led_to_the_survey(site):
    with site.db() as session:
        session.scalar(select(User).where(User.username == "requester")).kind = "student"
    survey = _build_and_publish(site, audience="students")
    site.wait(days=3, minutes=1)  # the rule's first reminder, 3 days after opening
    bell = site.client("requester").page("/notifications/")
    assert f"/s/{survey.link_key}" in bell


def test_another_school_sees_no_survey_and_people_without_a_role_cannot_manage(site):
    survey = _build_and_publish(site)
    site.other_school_user("outsider", "supervisor")
    outsider = site.client("outsider")
    for path in (f"/surveys/{survey.number}", f"/surveys/{survey.number}/results", f"/surveys/{survey.number}/results.xlsx",
                 f"/s/{survey.link_key}", f"/surveys/{survey.number}/qr.svg"):
        assert outsider.get(path).status_code == 404, path
    assert site.client("requester").get("/surveys").status_code == 403
    assert site.client("requester").get(f"/surveys/{survey.number}/results").status_code == 403


def test_a_standard_is_written_revised_searched_and_shown_beside_a_repair_task(site):
    with site.db() as session:
        cleaning = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == site.school_id,
                                                                 CatalogueItem.code == "W"))
    office = site.client("supervisor")
    created = office.submit("/standards/new", {"code": "SD-01", "service_type": "repair", "catalogue_item_id": str(cleaning),
                                               "title": "水电维修服务标准", "items": "1 接单后30分钟内响应\n2 维修完毕清理现场",
                                               "note": ""})
    assert created.status_code == 302, created.get_data(as_text=True)
    assert office.submit("/standards/new", {"code": "SD-01", "service_type": "repair", "catalogue_item_id": "",
                                            "title": "重复", "items": "x", "note": ""}).status_code == 200  # refused
    revised = office.submit("/standards/SD-01/edit", {"catalogue_item_id": str(cleaning), "title": "水电维修服务标准",
                                                      "items": "1 接单后20分钟内响应\n2 维修完毕清理现场", "note": "缩短响应时间"})
    assert revised.status_code == 302
    worker = site.client("worker")
    assert "20分钟" in worker.page("/standards/SD-01") and "30分钟" in worker.page("/standards/SD-01?version=1")
    assert "SD-01" in worker.page("/standards?q=清理现场") and "SD-01" not in worker.page("/standards?q=30分钟")
    assert worker.post("/standards/SD-01/edit", {}).status_code in (400, 403)

    number = site.report()  # a water leak: a plumbing item, whose category has the standard
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    with site.db() as session:
        task_id = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number,
                                                            HumanTask.task_name == "accept_job"))
    assert "接单后20分钟内响应" in site.client("worker").page(f"/tasks/{task_id}")

    site.other_school_user("outsider", "supervisor")
    assert site.client("outsider").get("/standards/SD-01").status_code == 404
    assert "SD-01" not in site.client("outsider").page("/standards")


def test_a_survey_closing_before_it_opens_is_refused_beside_its_date(site):
    office = site.client("supervisor")
    refused = office.submit("/surveys/new", {"title_zh": "食堂调查", "title_en": "", "intro_zh": "", "intro_en": "",
                                             "unit_id": "", "audience": "residents", "audience_campus_id": "",
                                             "audience_building_id": "", "audience_text": "",
                                             "opens_on": "2026-11-20", "closes_on": "2026-11-18"})
    assert refused.status_code == 200 and "The survey must close after it opens" in refused.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(Survey.id))) == 0


def test_the_survey_s_refusals_are_said_in_chinese_in_the_pages_they_belong_to(site):
    survey = _build_and_publish(site)
    office = site.client("supervisor")
    page = f"/surveys/{survey.number}"
    again = office.submit(f"{page}/publish", {}, form_page=f"{page}?lang=zh_CN", follow_redirects=True)
    assert "只有草稿状态的调查可以修改。" in again.get_data(as_text=True)  # published already

    student = site.client("requester")
    link = f"/s/{survey.link_key}"
    unanswered = student.submit(link, {"q1": "o2"}, form_page=f"{link}?lang=zh_CN")  # the rating left empty
    assert unanswered.status_code == 422 and "请回答此题。" in unanswered.get_data(as_text=True)
    assert student.submit(link, {"q1": "o1", "q2": "4"}).status_code == 200
    assert "您已填写过本问卷，谢谢！" in student.page(link)
