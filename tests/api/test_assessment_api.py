"""Assessment over the API: a scheme entered and read back, weights not adding up to 100 refused with the field,
a version a campaign used refused with 409 and unchanged, campaigns started and read with their items, the ranking,
and another school's supervisor sees none of it. Every answer is checked against openapi.yaml."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db import unit_of_work
from tests.statements import statements
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.service import create_user, issue_token

ITEMS = [
    {"name": "报修好评率", "weight": 60, "kind": "computed", "indicator": "repair_good_rate", "zero_at": 80, "full_at": 98},
    {"name": "公共区域保洁", "weight": 40, "kind": "scored", "rules": [{"text": "少扫一次", "deduct": 2, "cap": 10}]},
]


@pytest.fixture
def assessing(api):
    with unit_of_work(api.session_factory) as session:
        other_school = session.scalar(select(User.school_id).where(User.username == "outsider"))
        stranger = create_user(session, username="outside_supervisor", password="x", display_name="外校监管",
                               school_id=other_school, roles=[("supervisor", None)])
        api.tokens["outside_supervisor"] = issue_token(session, user=stranger, name="tests")
    api.company = api.scalar(select(OrgUnit.id).where(OrgUnit.school_id == api.school_id(), OrgUnit.kind == UnitKind.service_unit))
    return api


def test_a_scheme_is_entered_versioned_by_use_and_read_only_in_its_school(assessing):
    api = assessing
    wrong = api.call("POST", "/assessment/schemes", user="supervisor", headers={"Accept-Language": "en"},
                     json={"name": "物业考核", "unit_id": api.company, "items": [{**ITEMS[0], "weight": 50}, ITEMS[1]]})
    assert wrong.status_code == 422 and "add up to 90" in str(wrong.get_json())
    created = api.call("POST", "/assessment/schemes", user="supervisor",
                       json={"name": "物业考核", "unit_id": api.company, "items": ITEMS, "schedule": "none"})
    assert created.status_code == 201
    scheme = created.get_json()
    assert [i["weight"] for i in scheme["items"]] == [60.0, 40.0] and scheme["version"] == 1
    started = api.call("POST", "/assessment/campaigns", user="supervisor",
                       json={"scheme_code": scheme["code"], "kind": "special", "first": "2026-11-01", "last": "2026-11-15"})
    assert started.status_code == 201
    campaign = started.get_json()
    assert campaign["status"] == "scoring" and campaign["items"][0]["points"] == 60.0  # no ratings: full points
    twice = api.call("POST", "/assessment/campaigns", user="supervisor",
                     json={"scheme_code": scheme["code"], "kind": "monthly", "first": "2026-10-01", "last": "2026-10-31"})
    assert twice.status_code == 201
    again = api.call("POST", "/assessment/campaigns", user="supervisor",
                     json={"scheme_code": scheme["code"], "kind": "monthly", "first": "2026-10-01", "last": "2026-10-31"})
    assert again.status_code == 422 and "该考核期已有考核" in str(again.get_json())  # the caller's language: zh_CN

    changed = api.call("PUT", f"/assessment/schemes/{scheme['id']}", user="supervisor",
                       json={"name": "改名", "unit_id": api.company, "items": ITEMS})
    assert changed.status_code == 409 and changed.get_json()["error"]["code"] == "version_in_use"
    assert api.get(f"/assessment/schemes/{scheme['id']}", user="leader").get_json()["name"] == "物业考核"

    read = api.get(f"/assessment/campaigns/{campaign['number']}", user="leader").get_json()
    assert read["number"] == campaign["number"] and read["timeline"]
    assert api.get("/assessment/campaigns?status=scoring", user="leader").get_json()["total"] == 2
    assert api.get("/assessment/results", user="leader").get_json()["ranking"] == []

    assert api.get(f"/assessment/campaigns/{campaign['number']}", user="outside_supervisor").status_code == 404
    assert api.get(f"/assessment/schemes/{scheme['id']}", user="outside_supervisor").status_code == 404
    assert api.get("/assessment/schemes", user="outside_supervisor").get_json()["schemes"] == []
    assert api.get("/assessment/schemes", user="requester").status_code == 403
    assert api.call("POST", "/assessment/schemes", user="leader", json={}).status_code == 403


def _statements_listing_campaigns(api) -> tuple[int, list[str]]:
    """The campaign list read by a leader: how many campaigns it holds and the SQL statements it ran."""
    with statements(api.app.extensions["houqin"].db_engine) as sent:
        listed = api.get("/assessment/campaigns", user="leader").get_json()
    return len(listed["campaigns"]), sent


def test_the_campaign_list_reads_in_as_many_statements_for_one_campaign_as_for_several(assessing):
    """Each campaign's unit, scheme, item scores and appeals are loaded for the whole page at once: a query per
    campaign would show as more statements for four campaigns than for one."""
    api = assessing
    scheme = api.call("POST", "/assessment/schemes", user="supervisor",
                      json={"name": "物业考核", "unit_id": api.company, "items": ITEMS, "schedule": "none"}).get_json()
    periods = [("2026-11-01", "2026-11-15"), ("2026-09-01", "2026-09-30"), ("2026-08-01", "2026-08-31"),
               ("2026-07-01", "2026-07-31")]
    for first, last in periods:
        started = api.call("POST", "/assessment/campaigns", user="supervisor",
                           json={"scheme_code": scheme["code"], "kind": "special", "first": first, "last": last})
        assert started.status_code == 201
        if first == periods[0][0]:
            one, alone = _statements_listing_campaigns(api)
    several, together = _statements_listing_campaigns(api)
    assert (one, several) == (1, len(periods))
    assert len(together) == len(alone), "\n".join(together)


def test_malformed_scheme_bodies_are_refused_field_by_field(assessing):
    api = assessing
    for body in ({"name": "x", "unit_id": api.company, "items": "no"},
                 {"name": "x", "unit_id": api.company, "items": [{"name": "a", "weight": 100, "kind": "computed",
                                                                 "indicator": ["x"]}]},
                 {"name": "x", "unit_id": api.company, "items": ITEMS, "bands": [{"grade": ["x"], "min": 0}]},
                 {"name": "x", "unit_id": "1", "items": ITEMS}, {"name": "x", "unit_id": api.company, "items": ITEMS, "extra": 1}):
        assert api.call("POST", "/assessment/schemes", user="supervisor", json=body).status_code == 422, body
