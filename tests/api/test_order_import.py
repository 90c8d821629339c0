"""POST /orders/import: orders of another platform, idempotent by its ids; refused rows write nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from engine.db import unit_of_work
from engine.models import AuditEvent, ProcessInstance
from workflows.people.models import Campus, User
from workflows.repair.models import WorkOrder

CAMPUS: list[str] = []  # the demo school's first campus, by its name


@pytest.fixture
def importer(api):
    """The requester known by staff number T1001 and phone 13900001111."""
    school = api.school_id()
    with unit_of_work(api.session_factory) as session:
        session.execute(update(User).where(User.username == "requester").values(number="T1001", phone="13900001111"))
        CAMPUS[:] = [session.scalar(select(Campus.name).where(Campus.school_id == school).order_by(Campus.id))]
    return api


def _row(**overrides):
    row = {"external_source": "campus-app", "external_id": "A-1", "requester": "T1001", "campus": CAMPUS[0],
           "item_code": "W01", "description": "宿舍水龙头漏水", "reported_at": "2026-11-15T20:30:00", "room": "305"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def _count(api, model):
    return api.scalar(select(func.count()).select_from(model))


def test_imported_orders_start_like_any_channel(importer):
    api = importer
    answer = api.post("/orders/import", user="clerk", json={"orders": [_row(), _row(external_id="A-2",
                                                                                      requester="139 0000 1111")]})
    assert answer.status_code == 200, answer.get_json()
    created = answer.get_json()["created"]
    assert [c["external_id"] for c in created] == ["A-1", "A-2"] and answer.get_json()["already_imported"] == []
    order = api.order(created[0]["number"])
    assert order.channel == "imported" and order.external_source == "campus-app" and order.external_id == "A-1"
    assert order.requester_id == api.user_id("requester") and order.entered_by_id == api.user_id("clerk")
    assert order.reported_at.isoformat() == "2026-11-15T12:30:00+00:00"  # Beijing time, stored in UTC
    assert order.contact_phone == "13900001111"
    assert [t.task_name for t in api.open_tasks(order.number)] == ["review"]


def test_a_re_import_of_the_same_external_orders_changes_nothing(importer):
    api = importer
    rows = {"orders": [_row(), _row(external_id="A-2")]}
    first = api.post("/orders/import", user="clerk", json=rows).get_json()
    counts = (_count(api, WorkOrder), _count(api, ProcessInstance), _count(api, AuditEvent))
    again = api.post("/orders/import", user="clerk", json=rows)
    assert again.status_code == 200
    assert again.get_json()["created"] == []
    assert again.get_json()["already_imported"] == first["created"]
    assert (_count(api, WorkOrder), _count(api, ProcessInstance), _count(api, AuditEvent)) == counts


def test_a_refused_row_is_reported_by_row_and_column_and_nothing_is_written(importer):
    api = importer
    before = _count(api, WorkOrder)
    answer = api.post("/orders/import", user="admin", json={"orders": [
        _row(), _row(external_id="A-2", item_code="NOPE", requester="nobody"), _row(external_id="A-3", campus=None),
        _row(external_id="A-1"), _row(external_id="A-4", reported_at="yesterday", urgency="now"),
        _row(external_id="A-5", room=["3", "05"], colour="red"), "not a row"]})
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code"] == "invalid_rows"
    cells = {(r["row"], r["column"], r["problem"]) for r in error["rows"]}
    assert cells == {(2, "item_code", "unknown_item"), (2, "requester", "unknown_requester"), (3, "campus", "required"),
                     (4, "external_id", "duplicate"), (5, "reported_at", "bad_time"), (5, "urgency", "bad_urgency"),
                     (6, "room", "not_text"), (6, "colour", "unknown_column"), (7, "row", "not_object")}
    assert _count(api, WorkOrder) == before


def test_only_admins_and_clerks_import_within_their_school(importer):
    api = importer
    assert api.post("/orders/import", user="worker", json={"orders": [_row()]}).status_code == 403
    outside = api.post("/orders/import", user="outsider", json={"orders": [_row()]})
    assert outside.status_code == 403
    assert api.post("/orders/import", user="clerk", json={"orders": []}).status_code == 422
    assert api.post("/orders/import", user="clerk", json={"orders": [_row()], "more": 1}).status_code == 422
    assert api.post("/orders/import", user="clerk", data="[1, 2]").status_code == 400


def test_the_same_external_id_from_another_platform_is_another_order(importer):
    api = importer
    api.post("/orders/import", user="clerk", json={"orders": [_row()]})
    answer = api.post("/orders/import", user="clerk", json={"orders": [_row(external_source="hotline-crm")]})
    assert len(answer.get_json()["created"]) == 1
