"""Creating and reading repair orders through /api/v1/orders."""
from __future__ import annotations

import base64
import io
import os

from PIL import Image
from sqlalchemy import func, select

from webapp.api.views import ORDER_BODY_LIMIT
from workflows.people.models import Campus, School
from workflows.repair.models import OrderPhoto, WorkOrder

ENGLISH = {"Accept-Language": "en"}  # the messages these tests read are in English


def png(size=(8, 8), colour="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def noise_png(edge: int) -> bytes:
    """A PNG that does not compress: about ``3 * edge**2`` bytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (edge, edge), os.urandom(edge * edge * 3)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def order_count(api) -> int:
    return api.scalar(select(func.count(WorkOrder.id)))


def stored_files(api) -> list:
    uploads = api.app.extensions["houqin"].uploads_dir
    return sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []


def test_requester_creates_an_order_for_themself_and_reads_it_with_timeline_and_open_tasks(api):
    response = api.post("/orders", user="requester", json=api.order_body(urgency="urgent"))
    assert response.status_code == 201
    order = response.get_json()
    assert order["number"].startswith("BX20261116") and order["status"] == "submitted"
    assert (order["channel"], order["urgency"], order["description"]) == ("api", "urgent", "三楼水管漏水")
    assert order["catalogue_item"]["code"] == "W01" and order["catalogue_item"]["name"] == "水管漏水"
    assert order["location"]["room"] == "305" and order["contact"] == {"name": "王丽华", "phone": "13800000000"}
    assert response.headers["Location"].endswith(f"/api/v1/orders/{order['number']}")
    stored = api.order(order["number"])
    assert (stored.requester_id, stored.entered_by_id) == (api.user_id("requester"), None)

    detail = api.get(f"/orders/{order['number']}?lang=en", user="requester").get_json()
    assert detail["number"] == order["number"] and detail["catalogue_item"]["name"] == "Water leak"
    assert [(event["action"], event["what"], event["who"]) for event in detail["timeline"]] == [
        ("instance.started", "Reported", "王丽华")]
    assert [(t["name"], t["can_complete"]) for t in detail["open_tasks"]] == [("review", False)]
    staff_view = api.get(f"/orders/{order['number']}", user="auditor").get_json()
    assert [(t["name"], t["can_complete"]) for t in staff_view["open_tasks"]] == [("review", True)]


def test_orders_of_another_school_or_person_are_not_found_like_missing_ones(api):
    number = api.create_order()["number"]
    missing = api.get("/orders/BX000000000000", user="outsider")
    assert missing.status_code == 404
    for user in ("outsider", "outsider_auditor", "neighbour"):
        response = api.get(f"/orders/{number}", user=user)
        assert response.status_code == 404, user
        assert response.get_json()["error"]["code"] == "not_found"
        assert number in response.get_json()["error"]["message"]
    assert api.get(f"/orders/{number}", user="auditor").status_code == 200  # staff of the school may look
    # a worker sees an order only once it is, was or may be theirs (assigned, worked on, or a job offered to them)
    assert api.get(f"/orders/{number}", user="worker").status_code == 404


def test_a_clerk_records_a_hotline_order_for_a_requester_who_can_then_read_it(api):
    body = api.order_body(channel="hotline", requester_id=api.user_id("requester"))
    response = api.post("/orders", user="clerk", json=body)
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert order["channel"] == "hotline"
    stored = api.order(order["number"])
    assert (stored.requester_id, stored.entered_by_id) == (api.user_id("requester"), api.user_id("clerk"))
    assert api.get(f"/orders/{order['number']}", user="requester").status_code == 200
    assert api.get(f"/orders/{order['number']}", user="clerk").status_code == 200


def test_only_clerks_act_for_others_or_other_channels_and_only_requesters_and_clerks_create(api):
    cases = [("requester", {"channel": "hotline"}), ("requester", {"requester_id": api.user_id("neighbour")}),
             ("worker", {}), ("auditor", {})]
    for user, overrides in cases:
        response = api.post("/orders", user=user, json=api.order_body(**overrides))
        assert response.status_code == 403, (user, overrides)
        assert response.get_json()["error"]["code"] == "forbidden"
    assert order_count(api) == 0


def test_a_clerk_cannot_create_for_someone_of_another_school(api):
    response = api.post("/orders", user="clerk", json=api.order_body(requester_id=api.user_id("outsider")), headers=ENGLISH)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"requester_id": ["unknown requester"]}


def test_invalid_fields_are_all_reported_at_once_and_nothing_is_saved(api):
    body = api.order_body(campus_id="1", catalogue_item_id=True, building_id=-3, contact_name="  ", room=5,
                          urgency="whenever", channel="portal", description=..., colour="red", photos="abc")
    response = api.post("/orders", user="requester", json=body, headers=ENGLISH)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_data"
    assert error["fields"] == {
        "campus_id": ["must be a positive integer"], "catalogue_item_id": ["must be a positive integer"],
        "building_id": ["must be a positive integer"], "contact_name": ["this field is required"],
        "room": ["must be a string"], "urgency": ["must be one of normal, urgent, emergency"],
        "channel": ["must be one of api, counter, hotline"], "description": ["this field is required"],
        "colour": ["unknown field"], "photos": ["must be a list of base64 strings"],
    }
    too_long = api.post("/orders", user="requester", json=api.order_body(contact_phone="1" * 41), headers=ENGLISH)
    assert too_long.get_json()["error"]["fields"] == {"contact_phone": ["at most 40 characters"]}
    assert order_count(api) == 0


def test_references_outside_the_school_or_catalogue_are_field_errors(api):
    categories = api.get("/catalogue", user="requester").get_json()["categories"]
    other_campus = api.scalar(select(Campus.id).join(School, School.id == Campus.school_id).where(School.code == "other"))
    cases = {
        "catalogue_item_id": ({"catalogue_item_id": categories[0]["id"]}, "unknown service item"),  # a category
        "campus_id": ({"campus_id": other_campus, "building_id": None}, "unknown campus"),
        "building_id": ({"building_id": 9999}, "the building is not on that campus"),
    }
    for field, (overrides, message) in cases.items():
        response = api.post("/orders", user="requester", json=api.order_body(**overrides), headers=ENGLISH)
        assert response.status_code == 422, field
        assert response.get_json()["error"]["fields"] == {field: [message]}
    assert order_count(api) == 0


def test_malformed_and_non_object_bodies_are_bad_requests(api):
    for data, code in (("{not json", "bad_json"), ("NaN", "bad_json"), ("[1, 2]", "invalid_request"),
                       ('"text"', "invalid_request"), ("", "invalid_request")):
        response = api.post("/orders", user="requester", data=data)
        assert response.status_code == 400, data
        assert response.get_json()["error"]["code"] == code, data
    assert order_count(api) == 0


def test_photos_are_stored_as_base64_or_data_urls(api):
    body = api.order_body(photos=[b64(png()), "data:image/png;base64," + b64(png(colour="blue"))])
    response = api.post("/orders", user="requester", json=body)
    assert response.status_code == 201, response.get_json()
    assert [p["stage"] for p in response.get_json()["photos"]] == ["report", "report"]
    assert len(stored_files(api)) == 4  # each photo and its thumbnail


def test_one_bad_photo_refuses_the_order_and_stores_no_file(api):
    cases = {
        "not base64": ([b64(png()), "***"], ["photo 2 is not valid base64"]),
        "not an image": ([b64(png()), b64(b"just some text")], ["photo 2 is not a readable image"]),
        "not a string": ([b64(png()), 42], ["photo 2 must be a base64 string"]),
        "too many": ([b64(png())] * 7, ["at most 6 photos"]),
        "too large": ([b64(b"\x89PNG" + bytes(8 * 1024 * 1024))], ["photo 1 is larger than 8 MB"]),
    }
    for case, (photo_list, messages) in cases.items():
        response = api.post("/orders", user="requester", json=api.order_body(photos=photo_list), headers=ENGLISH)
        assert response.status_code == 422, case
        assert response.get_json()["error"]["fields"] == {"photos": messages}, case
    assert order_count(api) == 0 and api.scalar(select(func.count(OrderPhoto.id))) == 0
    assert stored_files(api) == []


def test_several_large_photos_fit_although_the_body_is_over_the_app_wide_limit(api):
    big = [b64(noise_png(1500)) for _ in range(2)]
    assert sum(map(len, big)) > api.app.config["MAX_CONTENT_LENGTH"]
    response = api.post("/orders", user="requester", json=api.order_body(photos=big))
    assert response.status_code == 201, response.get_json()
    assert len(response.get_json()["photos"]) == 2


def test_a_body_over_the_order_limit_is_refused_in_json(api):
    response = api.post("/orders", user="requester", data="x" * (ORDER_BODY_LIMIT + 1))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    assert order_count(api) == 0


def test_the_orders_timeline_is_its_business_events_with_names_notes_and_stars_in_the_callers_language(api):
    number = api.create_order()["number"]
    api.do("auditor", number, "review", decision="accept", reason="情况属实")
    api.do("auditor", number, "dispatch", team_id=api.first_item()["default_team_id"], worker_id=api.user_id("worker"),
           note="请带管钳")
    api.do("worker", number, "accept_job", decision="accept")
    api.do("worker", number, "complete_job", result="换了阀门", materials="阀门 1 个")
    api.do("requester", number, "rate", overall=2, quality=2, efficiency=3, attitude=2, comment="还在滴水")
    api.do("auditor", number, "callback", requester_said="接口仍在滴水", real_problem="yes")

    timeline = api.get(f"/orders/{number}?lang=en", user="auditor").get_json()["timeline"]
    assert [e["action"] for e in timeline] == ["instance.started", "order.reviewed", "order.dispatched",
                                               "order.job_accepted", "order.completed", "order.rated", "order.called_back"]
    reviewed, dispatched, completed, rated, called = (timeline[i] for i in (1, 2, 4, 5, 6))
    assert (reviewed["who"], reviewed["outcome"], reviewed["notes"]) == ("张伟", "accepted", [{"label": "Reason", "text": "情况属实"}])
    assert {"label": "Worker", "text": "刘建军"} in dispatched["notes"] and {"label": "Note", "text": "请带管钳"} in dispatched["notes"]
    assert [n["text"] for n in completed["notes"]] == ["换了阀门", "阀门 1 个"] and completed["who"] == "刘建军"
    assert (rated["stars"], rated["outcome"], rated["who"]) == (2, "bad rating", "王丽华")
    assert called["notes"] == [{"label": "What the requester said", "text": "接口仍在滴水"}] and "real problem" in called["outcome"]
    assert all(e["count"] == 1 and e["kind"] is None for e in timeline)

    chinese = api.get(f"/orders/{number}?lang=zh_CN", user="requester").get_json()["timeline"]
    assert [e["what"] for e in chinese][:3] == ["提交报修", "已审核", "已派单"] and chinese[5]["outcome"] == "差评"
    via_module = api.get(f"/modules/repair/{number}?lang=en", user="auditor").get_json()["timeline"]
    assert via_module == timeline
