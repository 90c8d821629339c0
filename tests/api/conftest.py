"""Fixtures for the JSON API: the real app on a fresh SQLite file, the demo school seeded, frozen time,
a bearer token per demo user, and a second school whose people must never see the first's orders.

Every call made through :class:`Api` is checked against ``webapp/openapi.yaml``: the status must be
documented for that operation and the JSON body must match the documented schema.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from factories import FAST_HASH
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from seeded import START, demo_school_id, seeded_sqlite
from sqlalchemy import select
from werkzeug.security import generate_password_hash

import webapp
import webapp.config
import webapp.migrate
from engine.db import unit_of_work
from engine.models import HumanTask
from webapp.api.views import spec
from workflows.people import service as people_service
from workflows.people.models import Campus, School, User
from workflows.people.service import create_user, issue_token
from workflows.repair import rating_links
from workflows.repair.models import WorkOrder

PREFIX = "/api/v1"
SECRET = "test"
SPEC_URI = "urn:houqin:openapi"


def _pointer_part(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


class SpecChecker:
    """Finds the operation a request hit and validates the answer against its documented schema."""

    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.registry = Registry().with_resource(SPEC_URI, Resource.from_contents(document, default_specification=DRAFT202012))
        self.templates = [(re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), path)
                          for path in document["paths"]]

    def template_for(self, path: str) -> str | None:
        matches = [template for pattern, template in self.templates if pattern.match(path)]
        return min(matches, key=lambda template: template.count("{")) if matches else None  # a literal part wins, as in routing

    def check(self, method: str, path: str, response) -> None:
        template = self.template_for(path.removeprefix(PREFIX))
        if template is None or not path.startswith(PREFIX):
            return  # unknown paths are tested for their JSON error on their own
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            assert response.status_code == 405, f"{method} {template} is not documented"
            return
        responses = operation["responses"]
        status = str(response.status_code)
        assert status in responses, f"{method} {template} answered {status}, not documented ({sorted(responses)})"
        documented = responses[status]
        if "$ref" in documented:
            base = documented["$ref"].removeprefix("#")
            documented = self.document
            for part in base.strip("/").split("/"):
                documented = documented[part]
        else:
            base = f"/paths/{_pointer_part(template)}/{method.lower()}/responses/{status}"
        if "content" not in documented:
            return
        assert response.is_json, f"{method} {template} {status} is not JSON"
        schema = {"$ref": f"{SPEC_URI}#{base}/content/{_pointer_part('application/json')}/schema"}
        OAS31Validator(schema, registry=self.registry).validate(response.get_json())


@dataclass
class Api:
    app: Any
    client: Any
    traveller: Any
    checker: SpecChecker
    tokens: dict[str, str] = field(default_factory=dict)

    # --- calls --------------------------------------------------------------------------------
    def call(self, method: str, path: str, *, user: str | None = None, token: str | None = None,
             json: Any = None, data: Any = None, headers: dict[str, str] | None = None, **kwargs):
        headers = dict(headers or {})
        if user is not None:
            token = self.tokens[user]
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
            kwargs.setdefault("content_type", "application/json")
        response = self.client.open(PREFIX + path, method=method, headers=headers, **kwargs)
        self.checker.check(method, PREFIX + path.split("?", 1)[0], response)
        return response

    def get(self, path: str, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.call("POST", path, **kwargs)

    # --- the demo school --------------------------------------------------------------------------
    @property
    def session_factory(self):
        return self.app.extensions["houqin"].host.session_factory

    def scalar(self, stmt):
        with unit_of_work(self.session_factory) as session:
            return session.scalar(stmt)

    def user_id(self, username: str) -> int:
        return self.scalar(select(User.id).where(User.username == username))

    def school_id(self, username: str = "requester") -> int:
        return self.scalar(select(User.school_id).where(User.username == username))

    def order(self, number: str) -> WorkOrder:
        with unit_of_work(self.session_factory) as session:
            return session.scalar(select(WorkOrder).where(WorkOrder.number == number))

    def open_tasks(self, number: str) -> list[HumanTask]:
        with unit_of_work(self.session_factory) as session:
            return list(session.scalars(select(HumanTask).where(HumanTask.business_key == number)
                                        .order_by(HumanTask.created_at)))

    def first_item(self, code: str = "W01") -> dict[str, Any]:
        categories = self.get("/catalogue", user="requester").get_json()["categories"]
        return next(item for category in categories for item in category["items"] if item["code"] == code)

    def order_body(self, **overrides) -> dict[str, Any]:
        campus = self.get("/locations", user="requester").get_json()["campuses"][0]
        body = {"contact_name": "王丽华", "contact_phone": "13800000000", "campus_id": campus["id"],
                "building_id": campus["buildings"][0]["id"], "room": "305",
                "catalogue_item_id": self.first_item()["id"], "description": "三楼水管漏水"}
        body.update(overrides)
        return {key: value for key, value in body.items() if value is not ...}

    def create_order(self, user: str = "requester", **overrides) -> dict[str, Any]:
        response = self.post("/orders", user=user, json=self.order_body(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def task_id(self, user: str, number: str, name: str) -> str:
        tasks = self.get("/tasks?process=repair", user=user).get_json()["tasks"]
        [task] = [t for t in tasks if t["business_key"] == number and t["name"] == name]
        return task["id"]

    def do(self, user: str, number: str, name: str, **data) -> dict[str, Any]:
        response = self.post(f"/tasks/{self.task_id(user, number, name)}/complete", user=user, json={"data": data})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def rating_token(self, number: str, *, shown_by: str | None = None) -> str:
        """The requester's own link, or with ``shown_by`` the code that staff member showed on their screen."""
        return rating_links.make_token(SECRET, school_id=self.order(number).school_id, order_number=number,
                                       shown_by=self.user_id(shown_by) if shown_by else None)

    def done_job(self) -> str:
        """An order taken through review, dispatch and the repair, now waiting for its rating."""
        number = self.create_order()["number"]
        self.do("auditor", number, "review", decision="accept")
        self.do("auditor", number, "dispatch", team_id=self.first_item()["default_team_id"],
                worker_id=self.user_id("worker"))
        self.do("worker", number, "accept_job", decision="accept")
        self.do("worker", number, "complete_job", result="换了阀门", materials="阀门 1 个")
        return number


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as moving:
        yield moving


def _seed_other_school(session) -> list[User]:
    school = School(code="other", name="另一所学校 Other College")
    session.add(school)
    session.flush()
    session.add(Campus(school_id=school.id, name="北校区 North campus"))
    return [create_user(session, username=name, password="x", display_name=name, school_id=school.id, roles=[(role, None)])
            for name, role in (("outsider", "requester"), ("outsider_auditor", "auditor"))]


@pytest.fixture
def api(tmp_path, traveller, monkeypatch) -> Api:
    settings = webapp.config.Settings(database_url=seeded_sqlite(tmp_path / "t.db"), redis_url=None, secret_key=SECRET,
                                      data_dir=tmp_path)
    # nobody logs in with a password here: the accounts added below take a cheap hash (after the copy: the seeded
    # site this process may have built just now keeps the real one)
    monkeypatch.setattr(people_service, "generate_password_hash", lambda password: generate_password_hash(password, method=FAST_HASH))
    app = webapp.create_app(config={"TESTING": True}, settings=settings)
    runtime = app.extensions["houqin"]
    tokens = {}
    with unit_of_work(runtime.host.session_factory) as session:
        demo_school = demo_school_id(session)
        users = list(session.scalars(select(User)))
        users.append(create_user(session, username="neighbour", password="x", display_name="邻居", school_id=demo_school,
                                 roles=[("requester", None)]))
        users.extend(_seed_other_school(session))
        for user in users:
            tokens[user.username] = issue_token(session, user=user, name="tests")
    yield Api(app, app.test_client(), traveller, SpecChecker(spec()), tokens)
    runtime.db_engine.dispose()
