"""Duty management's API: a batch of readings stored once (a second post stores nothing, an out-of-range reading
records one anomaly), bad batches refused whole with every row named, another school's caller cannot post to our
devices, scan our points or list our anomalies, and patrol scans by the person on duty."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.clock import now
from engine.db import unit_of_work
from workflows.duty.enums import EquipmentKind, PostKind
from workflows.duty.models import Equipment, Point, Post, Reading, Route, Shift


def _duty(api) -> dict:
    school, worker = api.school_id(), api.user_id("worker")
    with unit_of_work(api.session_factory) as session:
        post = Post(school_id=school, code="G1", name="东门保安岗", kind=PostKind.security, place="东门", night=False,
                    instructions="", token="post-g1", active=True)
        session.add(post)
        session.flush()
        route = Route(school_id=school, post_id=post.id, name="东门路线")
        session.add(route)
        session.flush()
        session.add(Point(school_id=school, route_id=route.id, code="G1-1", name="岗亭", position=1, token="point-g1"))
        session.add(Equipment(school_id=school, code="BOILER-9", name="9号锅炉", kind=EquipmentKind.boiler, place="锅炉房",
                              limits={}, active=True))
        session.add(Shift(school_id=school, post_id=post.id, user_id=worker, starts_at=now() - timedelta(hours=1),
                          ends_at=now() + timedelta(hours=7), status="planned", presence_plan=[]))
    return {"device": "BOILER-9", "point": "point-g1"}


def _reading(value: float, minutes_ago: int = 5) -> dict:
    return {"device": "BOILER-9", "metric": "boiler_temperature", "value": value,
            "at": (now() - timedelta(minutes=minutes_ago)).isoformat()}


def test_readings_are_stored_once_and_an_out_of_range_one_is_an_anomaly(api):
    _duty(api)
    batch = {"readings": [_reading(80, 10), _reading(99, 5)]}
    first = api.post("/duty/readings", user="auditor", json=batch)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["stored"] == 2 and len(first.get_json()["anomalies"]) == 1
    again = api.post("/duty/readings", user="auditor", json=batch).get_json()
    assert (again["stored"], again["duplicates"], again["anomalies"]) == (0, 2, [])
    listed = api.get("/duty/anomalies?kind=reading", user="supervisor").get_json()
    assert listed["total"] == 1 and listed["items"][0]["stage"] == "plan"
    number = listed["items"][0]["number"]
    assert api.get(f"/modules/duty/{number}", user="supervisor").get_json()["kind"] == "reading"
    assert api.get("/duty/anomalies", user="requester").status_code == 403


def test_bad_batches_are_refused_whole_and_another_school_is_refused(api):
    _duty(api)
    future = {**_reading(80), "at": (now() + timedelta(hours=1)).isoformat()}
    response = api.post("/duty/readings", user="auditor", json={"readings": [_reading(80), {**_reading(80), "device": "X"}, future]})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "readings[1].device" in fields and "readings[2].at" in fields
    outsider = api.post("/duty/readings", user="outsider_auditor", json={"readings": [_reading(80)]})
    assert outsider.status_code == 422 and "readings[0].device" in outsider.get_json()["error"]["fields"]
    assert api.scalar(select(func.count(Reading.id))) == 0
    assert api.get("/duty/anomalies", user="outsider_auditor").get_json()["total"] == 0


def test_patrol_scans_by_the_person_on_duty(api):
    duty = _duty(api)
    stored = api.post("/duty/patrols", user="worker", json={"scans": [{"code": duty["point"]}]})
    assert stored.status_code == 200 and stored.get_json()["stored"] == 1
    refused = api.post("/duty/patrols", user="outsider", json={"scans": [{"code": duty["point"]}]})
    assert refused.status_code == 422
