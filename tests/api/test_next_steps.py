"""A client moves an order from answer to answer: creating it and completing each task name the open tasks that
follow, and a task's own page describes its form with the choices it accepts, so no call lists tasks or needs an
administrator's token."""
from __future__ import annotations

from datetime import timedelta

from clockwork import advance_to

from engine.clock import now
from tests.statements import statements

STARS = {"overall": 5, "quality": 5, "efficiency": 4, "attitude": 5}


def _next(answer: dict, name: str) -> dict:
    [task] = [t for t in answer["open_tasks"] if t["name"] == name]
    return task


def _complete(api, user: str, task: dict, **data) -> dict:
    response = api.post(f"/tasks/{task['id']}/complete", user=user, json={"data": data})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_client_moves_an_order_from_answer_to_answer_to_its_close(api):
    order = api.create_order()
    review = _next(order, "review")
    assert (review["role"], review["form_key"], review["can_complete"]) == ("auditor", "repair_review", False)

    answer = _complete(api, "auditor", review, decision="accept")
    dispatch = _next(answer, "dispatch")
    assert [t["name"] for t in answer["open_tasks"]] == ["dispatch"] and dispatch["form_key"] == "repair_dispatch"
    assert dispatch["can_complete"] is True  # the auditor who asked may do it
    answer = _complete(api, "auditor", dispatch, team_id=api.first_item()["default_team_id"], worker_id=api.user_id("worker"))
    accept = _next(answer, "accept_job")
    assert accept["assignee_id"] == api.user_id("worker") and accept["can_complete"] is False  # the worker's, not the auditor's
    answer = _complete(api, "worker", _next(answer, "accept_job"), decision="accept")
    answer = _complete(api, "worker", _next(answer, "complete_job"), result="换了阀门", materials="阀门 1 个")
    rate = _next(answer, "rate")
    assert (rate["role"], rate["assignee_id"], rate["due_at"] is not None) == ("requester", api.user_id("requester"), True)
    answer = _complete(api, "requester", rate, **STARS)
    assert answer == {"instance": {"id": api.order(order["number"]).instance_id, "status": "completed",
                                   "business_key": order["number"]}, "open_tasks": []}
    assert api.order(order["number"]).status == "closed"


def test_a_one_star_rating_answers_the_callback_the_auditor_then_closes(api):
    number = api.done_job()
    rate = _next(api.get(f"/orders/{number}", user="requester").get_json(), "rate")
    answer = _complete(api, "requester", rate, **{**STARS, "overall": 1, "comment": "还是漏水"})
    callback = _next(answer, "callback")
    assert (callback["role"], callback["form_key"], callback["can_complete"]) == ("auditor", "repair_callback", False)
    answer = _complete(api, "auditor", callback, requester_said="已解释，阀门是新的", real_problem="no")
    assert answer["open_tasks"] == [] and answer["instance"]["status"] == "completed"


def test_the_dispatch_task_offers_its_teams_and_workers_to_the_auditors_own_token(api):
    answer = _complete(api, "auditor", _next(api.create_order(), "review"), decision="accept")
    response = api.get(f"/tasks/{_next(answer, 'dispatch')['id']}?lang=en", user="auditor")
    assert response.status_code == 200
    task = response.get_json()
    assert (task["name"], task["can_complete"], task["form"]["key"], task["form"]["title"]) == (
        "dispatch", True, "repair_dispatch", "Dispatch")
    team, worker, note = task["form"]["fields"]
    assert (team["name"], team["type"], team["required"], worker["required"]) == ("team_id", "org", True, False)
    assert (note["name"], note["required"]) == ("note", False)
    assert str(api.first_item()["default_team_id"]) in {c["value"] for c in team["choices"]}
    assert str(api.user_id("worker")) in {c["value"] for c in worker["choices"]}
    assert str(api.user_id("auditor")) not in {c["value"] for c in worker["choices"]}  # workers only
    assert worker["help"] == "Only members of the chosen team; leave empty to let any of them take it"

    chosen_team = str(api.first_item()["default_team_id"])
    member = next(c for c in worker["choices"] if chosen_team in c.get("parent", "").split())  # a worker of that team
    chosen = {"team_id": int(chosen_team), "worker_id": int(member["value"])}
    done = api.post(f"/tasks/{task['id']}/complete", user="auditor", json={"data": chosen})
    assert done.status_code == 200, done.get_json()  # what the form offered, the completion accepts


def test_the_callback_form_shows_the_rating_it_is_about_and_its_choices(api):
    number = api.done_job()
    rate = _next(api.get(f"/orders/{number}", user="requester").get_json(), "rate")
    callback = _next(_complete(api, "requester", rate, **{**STARS, "overall": 2, "comment": "还是漏水"}), "callback")
    form = api.get(f"/tasks/{callback['id']}", user="auditor").get_json()["form"]
    fields = {f["name"]: f for f in form["fields"]}
    assert (fields["overall"]["type"], fields["overall"]["value"]) == ("display", 2)
    assert fields["comment"]["value"] == "还是漏水"
    assert fields["guidance"]["type"] == "instructions" and "报修人" in fields["guidance"]["text"]
    assert [c["value"] for c in fields["real_problem"]["choices"]] == ["yes", "no"]
    assert (fields["requester_said"]["required"], fields["requester_said"]["max_length"]) == (True, 2000)


def test_a_task_the_caller_may_not_see_is_not_found(api):
    review = _next(api.create_order(), "review")
    for user in ("requester", "worker", "outsider_auditor"):
        response = api.get(f"/tasks/{review['id']}", user=user)
        assert response.status_code == 404, user
        assert response.get_json()["error"]["code"] == "not_found"
    assert api.get("/tasks/no-such-task", user="auditor").status_code == 404
    assert api.get(f"/tasks/{review['id']}").status_code == 401


def test_a_completion_reads_each_row_once(api, monkeypatch):
    """The request's work in SQL statements, counted: the token check (token with its user and school, then the
    actor's grants in one query), the task, the dispatch form's choice lists, the instance locked with the task read
    again, the rules' version, the order, the inbox rows, the writes, and the open tasks of the answer. A repeated
    read of a row (the school for the token and again for the rules) or a query per org-chart level shows here."""
    order = api.create_order()
    answer = _complete(api, "auditor", _next(order, "review"), decision="accept")
    dispatch = _next(answer, "dispatch")  # the auditor's token was used just now: its "last used" is fresh
    data = {"team_id": api.first_item()["default_team_id"], "worker_id": api.user_id("worker")}
    monkeypatch.setattr(api.app.extensions["houqin"].host.dispatcher, "send_outbox", lambda message_id: None)  # Celery's
    with statements(api.app.extensions["houqin"].db_engine) as sent:
        _complete(api, "auditor", dispatch, **data)
    assert not any("FROM school" in s for s in sent), "the school comes with the token, read once"
    assert not any(s.startswith("UPDATE api_token") for s in sent), "a token's last use is kept to the minute"
    assert sum(s.startswith("WITH RECURSIVE subtree") for s in sent) == 2  # one for each choice list's units
    audit_rows = sum(s.startswith("INSERT INTO audit_event") for s in sent)  # one batch on PostgreSQL
    # 29 before each row was read once; the dispatch check reads the team's members and their jobs in hand, and the
    # certificates the order's service item requires (one statement; the workers' certificates only when it does)
    assert len(sent) - audit_rows <= 21, "\n".join(sent)


def test_the_clerk_told_of_a_green_order_finds_its_chase_in_the_task_list_and_does_it(api):
    """The demo clerk holds the role in the service hall, not above the order's unit: the chase is still theirs."""
    order = api.create_order()
    api.do("auditor", order["number"], "review", decision="accept")
    advance_to(api.app.extensions["houqin"].host, api.traveller, now() + timedelta(days=3, hours=1))
    chase_id = api.task_id("clerk", order["number"], "urge")
    page = api.get(f"/tasks/{chase_id}", user="clerk")
    assert page.status_code == 200 and page.get_json()["can_complete"] is True
    answer = api.post(f"/tasks/{chase_id}/complete", user="clerk", json={"data": {"action": "已电话联系维修班组"}})
    assert answer.status_code == 200 and [t["name"] for t in answer.get_json()["open_tasks"]] == ["dispatch"]
