"""A student answers the canteen survey on a phone, in Chinese: the question asked only after "rarely" appears when
that answer is chosen, a required rating left out is pointed at, the answers are sent once, and opening the link
again says they are in."""
from __future__ import annotations

import pytest
from prepared import an_open_survey

from workflows.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_a_student_answers_a_survey_on_a_phone(new_page, live_server, artifacts):
    from playwright.sync_api import expect

    key = an_open_survey(live_server.data_dir)
    phone = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone.goto(f"{live_server.url}/s/{key}")
    phone.locator("input[name=username]").fill("requester")
    phone.locator("input[name=password]").fill(DEMO_PASSWORD)
    phone.locator("form button[type=submit]").click()
    expect(phone.get_by_role("heading", name="第一食堂就餐满意度调查")).to_be_visible()
    why = phone.locator('[data-question="q2"]')
    expect(why).to_be_hidden()
    phone.get_by_label("很少").check()
    expect(why).to_be_visible()
    why.locator("textarea").fill("离宿舍太远")
    phone.get_by_label("每天").check()  # changed their mind: the question goes away and is not sent
    expect(why).to_be_hidden()
    for question, stars in (("q3", "4"), ("q4", "5")):
        phone.locator(f'[data-question="{question}"] label.point', has_text=stars).first.click()
    phone.locator('[data-question="q6"] label.point', has_text="9").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    phone.get_by_role("button", name="提交问卷").click()
    expect(phone.locator('[data-question="q5"] .error')).to_have_text("请回答此题。")  # the third rating was left out
    phone.screenshot(path=str(artifacts / "survey-phone-missing-answer.png"), full_page=True)
    expect(phone.get_by_label("每天")).to_be_checked()  # what was answered is kept
    phone.locator('[data-question="q5"] label.point', has_text="3").click()
    phone.get_by_role("button", name="提交问卷").click()
    expect(phone.get_by_test_id("survey-thanks")).to_contain_text("谢谢")
    phone.screenshot(path=str(artifacts / "survey-phone-thanks.png"), full_page=True)
    phone.goto(f"{live_server.url}/s/{key}")
    expect(phone.get_by_test_id("survey-closed")).to_contain_text("您已填写过本问卷")
    office = new_page(viewport={"width": 1280, "height": 900})
    office.goto(f"{live_server.url}/login")
    office.locator("input[name=username]").fill("supervisor")
    office.locator("input[name=password]").fill(DEMO_PASSWORD)
    office.locator("form button[type=submit]").click()
    office.goto(f"{live_server.url}/surveys")
    office.get_by_role("link", name="结果").first.click()
    expect(office.get_by_test_id("response-count")).to_contain_text("1 份答卷")
    expect(office.locator("#chart-q1 canvas")).to_be_visible()  # the charts are drawn
    expect(office.get_by_test_id("unit-scores")).to_contain_text("75.0")  # stars 4, 5, 3 of 5: (75 + 100 + 50) / 3
    office.screenshot(path=str(artifacts / "survey-results.png"), full_page=True)
