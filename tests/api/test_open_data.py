"""The open-data resources: dashboard figures with their definitions, plans and occurrences, delegated tasks —
each confined to the caller's school and to the roles its page asks for, each answer as openapi.yaml says."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import unit_of_work
from workflows.delegation.models import DelegatedTask
from workflows.demo_plans import seed_plans
from workflows.people.models import User
from workflows.people.service import create_user, issue_token
from workflows.plans.models import PlanOccurrence, WorkPlan


@pytest.fixture
def planned(api):
    """The demo plans and delegated task tree, and a supervisor of the other school with a token."""
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        seed_plans(session, runtime.host, runtime.rules, school_id=api.school_id())
        other_school = session.scalar(select(User.school_id).where(User.username == "outsider"))
        stranger = create_user(session, username="outside_supervisor", password="x", display_name="外校监管",
                               school_id=other_school, roles=[("supervisor", None)])
        api.tokens["outside_supervisor"] = issue_token(session, user=stranger, name="tests")
    return api


def test_the_figures_come_with_their_definitions_in_the_callers_language(api):
    api.create_order()
    answer = api.get("/dashboard/figures?lang=en", user="schoolboss")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["figures"]["received"] == 1 and body["figures"]["completion_rate"] == 0
    definitions = {d["key"]: d["text"] for d in body["definitions"]}
    assert definitions["received"].startswith("Received: all orders in scope")
    chinese = api.get("/dashboard/figures?lang=zh_CN", user="schoolboss").get_json()["definitions"]
    assert {d["key"]: d["text"] for d in chinese}["received"] != definitions["received"]
    assert {f["key"] for f in body["module_figures"]} >= {"plan_occurrences", "delegated_open"}
    assert body["end"] == "2026-11-16" and body["start"] == "2026-11-03"  # the last 14 days by default


def test_the_figures_are_for_leaders_of_the_callers_school_only(api):
    api.create_order()
    assert api.get("/dashboard/figures", user="requester").status_code == 403
    assert api.get("/dashboard/figures", user="outsider_auditor").status_code == 403
    assert api.get("/dashboard/figures", user="supervisor").get_json()["figures"]["received"] == 1


@pytest.mark.parametrize("query, field", [("start=2026-13-01", "start"), ("end=soon", "end"),
                                          ("start=2026-11-10&end=2026-11-01", "start"), ("campus_id=-3", "campus_id"),
                                          ("start=2020-01-01&end=2026-01-01", "start"), ("campus_id=99999999999", "campus_id")])
def test_a_bad_range_is_refused_field_by_field(api, query, field):
    answer = api.get(f"/dashboard/figures?{query}", user="leader")
    assert answer.status_code == 422
    assert field in answer.get_json()["error"]["fields"]


def test_plans_and_their_occurrences_page_within_the_school(planned):
    api = planned
    listed = api.get("/plans?per_page=2&lang=en", user="supervisor").get_json()
    assert listed["per_page"] == 2 and listed["total"] >= 3 and len(listed["plans"]) == 2
    plan_id = api.scalar(select(PlanOccurrence.plan_id))
    plan = api.get(f"/plans/{plan_id}?lang=en", user="supervisor").get_json()
    assert plan["id"] == plan_id and plan["described"]
    occurrences = api.get(f"/plans/{plan_id}/occurrences", user="supervisor").get_json()
    assert occurrences["total"] >= 1
    first = occurrences["occurrences"][0]
    assert first["plan_id"] == plan_id and first["state"]
    assert api.get(f"/modules/plans/{first['number']}", user="supervisor").status_code == 200


def test_plans_are_for_supervisors_and_leaders_and_never_another_schools(planned):
    api = planned
    plan_id = api.scalar(select(WorkPlan.id))
    assert api.get("/plans", user="requester").status_code == 403
    assert api.get(f"/plans/{plan_id}", user="outside_supervisor").status_code == 404
    assert api.get(f"/plans/{plan_id}/occurrences", user="outside_supervisor").status_code == 404
    assert api.get("/plans", user="outside_supervisor").get_json()["total"] == 0
    assert api.get("/plans/99999999999", user="supervisor").status_code == 404


def test_delegated_tasks_list_every_depth_and_one_comes_with_its_tree(planned):
    api = planned
    listed = api.get("/delegated-tasks", user="leader").get_json()
    assert listed["total"] == 2
    child = next(t for t in listed["tasks"] if t["parent"] is not None)
    root = child["parent"]
    body = api.get(f"/delegated-tasks/{root}", user="leader").get_json()
    assert body["number"] == root and body["tree"]["children"][0]["number"] == child["number"]
    assert isinstance(body["timeline"], list)
    assert api.get("/delegated-tasks?status=closed", user="leader").get_json()["total"] == 0
    assert api.get("/delegated-tasks?status=nonsense", user="leader").status_code == 422


def test_delegated_tasks_are_for_the_board_and_stay_in_their_school(planned):
    api = planned
    number = api.scalar(select(DelegatedTask.number).where(DelegatedTask.parent_id.is_(None)))
    assert api.get("/delegated-tasks", user="requester").status_code == 403
    assert api.get(f"/delegated-tasks/{number}", user="requester").status_code == 404
    assert api.get(f"/delegated-tasks/{number}", user="outside_supervisor").status_code == 404
    assert api.get("/delegated-tasks", user="outside_supervisor").get_json()["total"] == 0
