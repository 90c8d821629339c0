"""The repair loop done by API clients: review, dispatch, the job, and the rating by signed link."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.models import AuditEvent, ProcessInstance
from workflows.repair.models import Rating, WorkOrder

STARS = {"overall": 5, "quality": 5, "efficiency": 4, "attitude": 5}


def audit_count(api, number: str) -> int:
    return api.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.business_key == number))


def state_of(api, number: str) -> str:
    return api.scalar(select(ProcessInstance.state).where(ProcessInstance.business_key == number))


def test_the_whole_loop_through_the_api_ends_closed_with_a_rating_by_link(api):
    number = api.create_order()["number"]
    tasks = api.get("/tasks", user="auditor").get_json()["tasks"]
    [review] = [t for t in tasks if t["business_key"] == number]
    assert (review["name"], review["process"], review["form_key"]) == ("review", "repair", "repair_review")

    api.do("auditor", number, "review", decision="accept")
    api.do("auditor", number, "dispatch", team_id=api.first_item()["default_team_id"], worker_id=api.user_id("worker"))
    assert api.get(f"/orders/{number}", user="requester").get_json()["status"] == "dispatched"
    result = api.do("worker", number, "accept_job", decision="accept")
    assert result["instance"] == {"id": api.order(number).instance_id, "status": "running", "business_key": number}
    api.do("worker", number, "complete_job", result="换了阀门", materials="阀门 1 个")
    detail = api.get(f"/orders/{number}", user="requester").get_json()
    assert detail["status"] == "completed" and detail["worker"] == "刘建军"
    assert [(t["name"], t["can_complete"]) for t in detail["open_tasks"]] == [("rate", True)]

    token = api.rating_token(number)
    response = api.post(f"/ratings/{token}", json={"data": {**STARS, "comment": "师傅很专业"}})
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"order": {"number": number, "status": "closed"},
                                   "rating": {**STARS, "comment": "师傅很专业"}}
    [rating] = api.get(f"/orders/{number}", user="requester").get_json()["ratings"]
    assert (rating["overall"], rating["efficiency"], rating["bad"]) == (5, 4, False)
    order = api.order(number)
    stored = api.scalar(select(Rating).where(Rating.order_id == order.id))
    assert stored.requester_id == api.user_id("requester")

    before = (audit_count(api, number), state_of(api, number))
    again = api.post(f"/ratings/{token}", json={"data": {**STARS, "overall": 1}})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "nothing_to_rate"
    assert (audit_count(api, number), state_of(api, number)) == before
    assert api.scalar(select(func.count(Rating.id))) == 1


def test_a_bad_rating_by_link_asks_for_a_callback(api):
    number = api.done_job()
    response = api.post(f"/ratings/{api.rating_token(number)}", json={"data": {**STARS, "overall": "1"}})
    assert response.status_code == 201
    assert response.get_json()["order"]["status"] == "callback"
    assert [t.task_name for t in api.open_tasks(number)] == ["callback"]


def test_task_choice_lists_are_checked_like_the_web_form(api):
    number = api.create_order()["number"]
    api.do("auditor", number, "review", decision="accept")
    task_id = api.task_id("auditor", number, "dispatch")
    response = api.post(f"/tasks/{task_id}/complete", user="auditor",
                        json={"data": {"team_id": 99999, "worker_id": api.user_id("requester")}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"team_id", "worker_id"}
    assert [t.task_name for t in api.open_tasks(number)] == ["dispatch"]


def test_a_second_completion_is_task_not_ready_and_changes_nothing(api):
    number = api.create_order()["number"]
    task_id = api.task_id("auditor", number, "review")
    first = api.post(f"/tasks/{task_id}/complete", user="auditor", json={"data": {"decision": "accept"}})
    assert first.status_code == 200
    before = (audit_count(api, number), state_of(api, number), api.order(number).status)
    second = api.post(f"/tasks/{task_id}/complete", user="auditor", json={"data": {"decision": "reject", "reason": "x"}})
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "task_not_ready"
    assert (audit_count(api, number), state_of(api, number), api.order(number).status) == before


def test_the_requester_cannot_complete_the_auditors_task(api):
    number = api.create_order()["number"]
    task_id = api.task_id("auditor", number, "review")
    response = api.post(f"/tasks/{task_id}/complete", user="requester", json={"data": {"decision": "accept"}})
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert [t.task_name for t in api.open_tasks(number)] == ["review"]
    assert api.order(number).status == "submitted"


def test_another_schools_staff_cannot_see_or_complete_our_tasks(api):
    number = api.create_order()["number"]
    task_id = api.task_id("auditor", number, "review")
    listed = api.get("/tasks", user="outsider_auditor").get_json()
    assert listed["tasks"] == [] and listed["total"] == 0
    response = api.post(f"/tasks/{task_id}/complete", user="outsider_auditor", json={"data": {"decision": "accept"}})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "task_not_ready"
    assert api.order(number).status == "submitted"


def test_completion_data_is_validated_and_bodies_are_checked(api):
    number = api.create_order()["number"]
    task_id = api.task_id("auditor", number, "review")
    path = f"/tasks/{task_id}/complete"
    missing_reason = api.post(path, user="auditor", json={"data": {"decision": "reject"}}, headers={"Accept-Language": "en"})
    assert missing_reason.status_code == 422
    assert missing_reason.get_json()["error"]["fields"] == {"reason": ["This field is required for your choice."]}
    unknown = api.post(path, user="auditor", json={"data": {"decision": "accept"}, "extra": 1}, headers={"Accept-Language": "en"})
    assert unknown.status_code == 422 and unknown.get_json()["error"]["fields"] == {"extra": ["unknown field"]}
    for data, code in (("{", "bad_json"), ("[]", "invalid_request"), ('{"data": []}', "invalid_request")):
        response = api.post(path, user="auditor", data=data)
        assert (response.status_code, response.get_json()["error"]["code"]) == (400, code), data
    assert [t.task_name for t in api.open_tasks(number)] == ["review"]


def test_tasks_can_be_filtered_by_process(api):
    number = api.create_order()["number"]
    api.do("auditor", number, "review", decision="accept")
    api.do("auditor", number, "dispatch", team_id=api.first_item()["default_team_id"])  # to the whole team
    every = api.get("/tasks", user="worker").get_json()["tasks"]
    assert {t["process"] for t in every} == {"repair", "job_ticket"}
    repair = api.get("/tasks?process=repair", user="worker").get_json()["tasks"]
    assert [(t["name"], t["business_key"]) for t in repair] == [("accept_job", number)]
    jobs = api.get("/tasks?process=job_ticket", user="worker").get_json()["tasks"]
    assert len(jobs) == 3 and {t["process"] for t in jobs} == {"job_ticket"}
    assert api.get("/tasks?process=nothing", user="worker").get_json()["tasks"] == []


def test_a_forged_or_altered_rating_link_is_not_found(api):
    number = api.done_job()
    token = api.rating_token(number)
    for forged in ("not-a-token", token[:-2] + ("AA" if not token.endswith("AA") else "BB")):
        response = api.post(f"/ratings/{forged}", json={"data": STARS})
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert [t.task_name for t in api.open_tasks(number)] == ["rate"]


def test_an_expired_rating_link_is_gone(api):
    number = api.done_job()
    token = api.rating_token(number)
    api.traveller.shift(timedelta(days=14, minutes=1))
    response = api.post(f"/ratings/{token}", json={"data": STARS})
    assert response.status_code == 410 and response.get_json()["error"]["code"] == "link_expired"
    assert api.scalar(select(func.count(Rating.id))) == 0


def test_a_rating_link_before_the_job_is_done_has_nothing_to_rate(api):
    number = api.create_order()["number"]
    response = api.post(f"/ratings/{api.rating_token(number)}", json={"data": STARS})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "nothing_to_rate"
    assert api.order(number).status == "submitted"


def test_rating_data_is_validated(api):
    number = api.done_job()
    token = api.rating_token(number)
    response = api.post(f"/ratings/{token}", json={"data": {"overall": 9, "quality": 5, "efficiency": 5}})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"overall", "attitude"}
    bad_json = api.post(f"/ratings/{token}", data="{oops")
    assert bad_json.status_code == 400 and bad_json.get_json()["error"]["code"] == "bad_json"
    assert [t.task_name for t in api.open_tasks(number)] == ["rate"]
    assert api.scalar(select(WorkOrder.status).where(WorkOrder.number == number)) == "completed"


def test_a_code_shown_by_staff_needs_the_requesters_phone_digits(api):
    number = api.done_job()
    token = api.rating_token(number, shown_by="auditor")
    missing = api.post(f"/ratings/{token}", json={"data": STARS})
    assert missing.status_code == 403 and missing.get_json()["error"]["code"] == "confirmation_failed"
    wrong = api.post(f"/ratings/{token}", json={"data": STARS, "phone_last4": "1234"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "confirmation_failed"
    assert api.scalar(select(func.count(Rating.id))) == 0
    right = api.post(f"/ratings/{token}", json={"data": STARS, "phone_last4": "0000"})
    assert right.status_code == 201, right.get_json()
    rated = api.scalar(select(AuditEvent).where(AuditEvent.business_key == number, AuditEvent.action == "rating.by_link"))
    assert rated.details == {"confirmed_by": "phone", "shown_by": f"auditor#{api.user_id('auditor')}"}
    assert rated.actor == f"requester#{api.user_id('requester')}"


def test_a_staff_token_cannot_rate_and_the_requesters_own_token_can(api):
    number = api.done_job()
    token = api.rating_token(number, shown_by="auditor")
    for staff in ("auditor", "worker", "neighbour"):
        refused = api.post(f"/ratings/{token}", user=staff, json={"data": STARS, "phone_last4": "0000"})
        assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "not_the_requester"
    forged = api.post(f"/ratings/{token}", token="not-a-token", json={"data": STARS})
    assert forged.status_code == 401
    assert api.scalar(select(func.count(Rating.id))) == 0
    assert api.post(f"/ratings/{token}", user="requester", json={"data": STARS}).status_code == 201
    rated = api.scalar(select(AuditEvent).where(AuditEvent.business_key == number, AuditEvent.action == "rating.by_link"))
    assert rated.details["confirmed_by"] == "login"


def test_wrong_digits_through_the_api_are_throttled_per_order(api):
    number = api.done_job()
    for guess in range(5):
        token = api.rating_token(number, shown_by="clerk")  # a fresh code per guess gains nothing
        assert api.post(f"/ratings/{token}", json={"data": STARS, "phone_last4": f"{guess + 1:04d}"}).status_code == 403
    refused = api.post(f"/ratings/{api.rating_token(number, shown_by='clerk')}", json={"data": STARS, "phone_last4": "0000"})
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_attempts"
    assert api.scalar(select(func.count(Rating.id))) == 0


def test_the_task_list_filters_by_process_before_paging_and_counts_them_all(api):
    for _ in range(3):
        api.create_order()
    first = api.get("/tasks?process=repair&per_page=2", user="auditor").get_json()
    assert (first["total"], first["pages"], len(first["tasks"])) == (3, 2, 2)
    second = api.get("/tasks?process=repair&per_page=2&page=2", user="auditor").get_json()
    assert len(second["tasks"]) == 1 and {t["id"] for t in first["tasks"]}.isdisjoint(t["id"] for t in second["tasks"])
    assert api.get("/tasks?process=job_ticket", user="auditor").get_json()["total"] == 0
    assert api.get("/tasks?page=99999999999", user="auditor").get_json()["page"] == 1
