"""Error messages of the API in the caller's language: ``?lang=``, else the Accept-Language header (zh or en, its
q-values counted), else the token user's own setting, else zh_CN. The codes never change with the language."""
from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import update

from engine.db import unit_of_work
from workflows.people.models import User

MISSING = "/orders/BX000000000000"


def set_locale(api, username: str, locale: str | None) -> None:
    with unit_of_work(api.session_factory) as session:
        session.execute(update(User).where(User.username == username).values(locale=locale))


def error_of(response) -> dict:
    return response.get_json()["error"]


def test_the_same_error_is_chinese_for_a_chinese_caller_and_english_when_the_header_asks(api):
    set_locale(api, "requester", "zh_CN")
    chinese = error_of(api.get(MISSING, user="requester"))
    english = error_of(api.get(MISSING, user="requester", headers={"Accept-Language": "en-US,en;q=0.9"}))
    assert chinese == {"code": "not_found", "message": "没有工单 BX000000000000"}
    assert english == {"code": "not_found", "message": "there is no order BX000000000000"}


def test_the_header_overrides_the_users_setting_and_the_setting_counts_without_one(api):
    set_locale(api, "requester", "en")
    assert error_of(api.get(MISSING, user="requester"))["message"] == "there is no order BX000000000000"
    for header in ("zh-CN,zh;q=0.9", "en;q=0.5, zh;q=0.8", "zh-TW"):
        said = error_of(api.get(MISSING, user="requester", headers={"Accept-Language": header}))["message"]
        assert said == "没有工单 BX000000000000", header
    for header in ("fr", "*"):  # names neither Chinese nor English: the user's own setting
        said = error_of(api.get(MISSING, user="requester", headers={"Accept-Language": header}))["message"]
        assert said == "there is no order BX000000000000", header
    said = error_of(api.get(f"{MISSING}?lang=zh_CN", user="requester", headers={"Accept-Language": "en"}))["message"]
    assert said == "没有工单 BX000000000000"  # ?lang= is asked for this very call


def test_a_caller_with_no_setting_and_no_header_reads_chinese(api):
    set_locale(api, "requester", None)
    assert error_of(api.get(MISSING, user="requester"))["message"] == "没有工单 BX000000000000"
    assert error_of(api.get("/tasks"))["message"] == "需要有效的 Bearer 令牌"  # no token, no user


def test_the_users_setting_counts_even_when_the_language_was_asked_for_before_the_token_was_checked(api):
    api.app.before_request(lambda: None if get_locale() else None)  # something early caches Babel's choice
    set_locale(api, "requester", "en")
    set_locale(api, "neighbour", "zh_CN")
    assert error_of(api.get(MISSING, user="requester"))["message"] == "there is no order BX000000000000"
    assert error_of(api.get(MISSING, user="neighbour"))["message"] == "没有工单 BX000000000000"


def test_field_messages_are_in_the_callers_language(api):
    body = api.order_body(description="  ", colour="red")
    chinese = error_of(api.post("/orders", user="requester", json=body))
    english = error_of(api.post("/orders", user="requester", json=body, headers={"Accept-Language": "en"}))
    assert chinese == {"code": "invalid_data", "message": "提交的数据无效",
                       "fields": {"colour": ["未知字段"], "description": ["此项必填"]}}
    assert english == {"code": "invalid_data", "message": "the submitted data is invalid",
                       "fields": {"colour": ["unknown field"], "description": ["this field is required"]}}


def test_a_tasks_form_and_the_domain_refuse_in_the_callers_language(api):
    number = api.create_order()["number"]
    path = f"/tasks/{api.task_id('auditor', number, 'review')}/complete"
    form = error_of(api.post(path, user="auditor", json={"data": {"decision": "reject"}}))
    assert form["fields"] == {"reason": ["在当前选择下此项必填"]}
    choice = error_of(api.post(path, user="auditor", json={"data": {"decision": "maybe"}}))
    assert choice["fields"] == {"decision": ["不是有效的选择。"]}  # WTForms' own message, in Chinese too
    photo = api.order_body(photos=["aGVsbG8="])  # base64 of text, no picture
    assert error_of(api.post("/orders", user="requester", json=photo))["fields"] == {"photos": ["第 1 张照片不是可读取的图片"]}
    english = error_of(api.post("/orders", user="requester", json=photo, headers={"Accept-Language": "en"}))
    assert english["fields"] == {"photos": ["photo 1 is not a readable image"]}


def test_an_engine_refusal_is_said_in_the_callers_language(api):
    number = api.create_order()["number"]
    path = f"/tasks/{api.task_id('auditor', number, 'review')}/complete"
    assert api.post(path, user="auditor", json={"data": {"decision": "accept"}}).status_code == 200
    chinese = error_of(api.post(path, user="auditor", json={"data": {"decision": "accept"}}))
    english = error_of(api.post(path, user="auditor", json={"data": {"decision": "accept"}}, headers={"Accept-Language": "en"}))
    assert chinese == {"code": "task_not_ready", "message": "该任务已不再待办：已被完成、取消或流转"}
    assert english == {"code": "task_not_ready", "message": "this task is no longer open: it was completed, cancelled or moved on"}


def test_errors_no_view_worded_are_said_in_the_callers_language_too(api):
    missing = api.client.get("/api/v1/nothing-here")
    assert error_of(missing) == {"code": "not_found", "message": "没有此资源"}
    wrong = api.client.delete("/api/v1/orders", headers={"Accept-Language": "en"})
    assert error_of(wrong) == {"code": "method_not_allowed", "message": "this resource does not take this method"}
    broken = error_of(api.post("/orders", user="requester", data="{not json"))
    assert broken == {"code": "bad_json", "message": "请求体不是有效的 JSON（第 1 行第 2 列）"}
