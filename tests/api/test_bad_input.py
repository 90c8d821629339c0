"""Bad input is stopped at the edge with a clear 4xx, never a 500, and every error under /api/v1 is JSON: numbers
no column can hold, NUL characters, JSON nested without end; with the database out of reach, 503."""
from __future__ import annotations

import json

import webapp
import webapp.config


def test_numbers_no_column_can_hold_name_nothing(api):
    for path in ("/admin/people/9999999999", "/orders/BX1"):
        response = api.get(path, user="admin")
        assert response.status_code in (403, 404) and response.is_json, path
    body = {**api.order_body(), "campus_id": 2147483648}
    response = api.post("/orders", user="requester", json=body)
    assert response.status_code in (400, 422) and response.is_json
    pages = api.client  # the HTML side answers with its own page, not a 500
    assert pages.get("/admin/people/9999999999").status_code in (302, 404)


def test_nul_characters_are_refused_in_queries_paths_and_json(api):
    response = api.get("/tasks?process=re%00pair", user="auditor")
    assert response.status_code == 400 and response.get_json()["error"] == {"code": "bad_request",
                                                                         "message": "请求中含有不允许的字符。"}
    body = {**api.order_body(), "description": "水管\x00漏水"}
    response = api.post("/orders", user="requester", data=json.dumps(body))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"
    assert api.client.get("/login?next=%00").status_code == 400


def test_json_nested_without_end_is_a_400(api):
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post("/orders", user="requester", data='{"a": ' + deep + "}")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_json"


def test_unknown_api_paths_and_methods_answer_in_json(api):
    assert api.client.get("/api/v1/no-such-thing").is_json
    wrong = api.client.delete("/api/v1/tasks")
    assert wrong.get_json()["error"]["code"] == "method_not_allowed" and wrong.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_a_fault_answers_500_in_json_without_its_detail(api, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail of the fault")

    monkeypatch.setattr("webapp.api.views.queries.may_do_page", broken)
    response = api.client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {api.tokens['auditor']}"})
    assert response.status_code == 500  # a fault is no documented answer of any path
    error = response.get_json()["error"]
    assert error["code"] == "internal_server_error" and "secret" not in response.get_data(as_text=True)
    assert error["message"] == "系统出现故障，已记录在案"


def test_with_the_database_out_of_reach_pages_and_api_answer_503(tmp_path):
    settings = webapp.config.Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1",
                                      redis_url=None, secret_key="x", data_dir=tmp_path)
    app = webapp.create_app(config={"TESTING": True}, settings=settings)
    client = app.test_client()
    page = client.get("/login?lang=en")
    assert page.status_code in (200, 503)  # the login form itself needs no database
    response = client.post("/login", data={"username": "a", "password": "b"})
    assert response.status_code in (400, 503)
    api = client.get("/api/v1/tasks", headers={"Authorization": "Bearer x"})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "service_unavailable"
    app.extensions["houqin"].db_engine.dispose()
