"""Bearer tokens, JSON errors everywhere under /api/v1, and the catalogue and location look-ups."""
from __future__ import annotations

from sqlalchemy import select

from workflows.catalogue.models import CatalogueItem
from workflows.people.models import OrgUnit

PROTECTED = [("GET", "/tasks"), ("POST", "/tasks/abc/complete"), ("POST", "/orders"), ("GET", "/orders/BX1"),
             ("GET", "/catalogue"), ("GET", "/locations")]


def test_every_protected_endpoint_needs_a_valid_bearer_token(api):
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer nonsense"},
                    {"Authorization": f"Basic {api.tokens['requester']}"}, {"Authorization": api.tokens["requester"]}):
        for method, path in PROTECTED:
            response = api.call(method, path, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert response.get_json() == {"error": {"code": "unauthorized", "message": "需要有效的 Bearer 令牌"}}
            english = api.call(method, path, headers={**headers, "Accept-Language": "en"}, json={})
            assert english.get_json() == {"error": {"code": "unauthorized", "message": "a valid bearer token is required"}}


def test_unknown_paths_and_wrong_methods_answer_in_json(api):
    missing = api.client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong = api.client.delete("/api/v1/orders")
    assert wrong.status_code == 405 and wrong.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]
    page = api.client.get("/no-such-page")  # outside the API the HTML error page stays
    assert page.status_code == 404 and not page.is_json


def test_the_catalogue_has_both_languages_and_the_default_teams(api):
    categories = api.get("/catalogue", user="requester").get_json()["categories"]
    assert [c["code"] for c in categories] == ["C", "G", "H", "W"]
    water = categories[-1]
    assert water["name"] == {"zh_CN": "水电维修", "en": "Plumbing & electrics"}
    assert [(i["code"], i["name"]["en"]) for i in water["items"]] == [
        ("W01", "Water leak"), ("W02", "Blocked drain"), ("W03", "Electrical fault"), ("W04", "Light replacement")]
    plumbing = api.scalar(select(OrgUnit.id).where(OrgUnit.name.like("水电维修班%")))
    assert {i["default_team_id"] for i in water["items"]} == {plumbing}
    assert sum(len(c["items"]) for c in categories) == 12


def test_inactive_catalogue_entries_are_left_out(api):
    with api.session_factory.begin() as session:
        session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W02")).active = False
        session.scalar(select(CatalogueItem).where(CatalogueItem.code == "G")).active = False
    categories = api.get("/catalogue", user="requester").get_json()["categories"]
    assert [c["code"] for c in categories] == ["C", "H", "W"]
    assert [i["code"] for i in categories[-1]["items"]] == ["W01", "W03", "W04"]


def test_look_ups_are_confined_to_the_callers_school(api):
    from workflows.demo import CAMPUSES

    campuses = api.get("/locations", user="requester").get_json()["campuses"]
    assert {c["name"]: sorted(b["name"] for b in c["buildings"]) for c in campuses} == {
        name: sorted(buildings) for name, buildings in CAMPUSES.items()}
    theirs = api.get("/locations", user="outsider").get_json()["campuses"]
    assert [(c["name"], c["buildings"]) for c in theirs] == [("北校区 North campus", [])]
    assert api.get("/catalogue", user="outsider").get_json() == {"categories": []}
