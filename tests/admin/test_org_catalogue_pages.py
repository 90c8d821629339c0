"""The org chart, catalogue and location admin pages through the real app, and the admin JSON API."""
from __future__ import annotations

import io
import re

from factories import campus_named, campus_of_another_school
from sqlalchemy import select
from websupport import csrf_from

from engine.models import AuditEvent, HumanTask
from workflows.catalogue.models import Building, CatalogueItem, Room
from workflows.people.models import OrgUnit, School, User
from workflows.people.service import issue_token


def _unit(site, name: str) -> OrgUnit:
    with site.db() as session:
        return session.scalar(select(OrgUnit).where(OrgUnit.name.startswith(name)))


def test_units_are_created_moved_deactivated_and_an_acting_leader_appointed(site):
    admin = site.client("admin")
    company = _unit(site, "后勤服务公司")
    assert admin.submit("/admin/org/new", {"name": "电梯维修班", "kind": "team", "parent_id": str(company.id)}).status_code == 302
    lift = _unit(site, "电梯维修班")
    assert lift.parent_id == company.id and 'data-unit="电梯维修班"' in admin.page("/admin/org/")

    cycle = admin.submit(f"/admin/org/{company.id}", {"name": company.name, "kind": "service_unit",
                                                      "parent_id": str(lift.id)}).get_data(as_text=True)
    assert "A unit cannot move under itself." in cycle and _unit(site, "后勤服务公司").parent_id is None

    deputy = site.user("deputy")
    appointed = admin.submit(f"/admin/org/{company.id}/appoint", {
        "username": "supervisor", "role": "deputy_leader", "starts_on": "2026-11-16", "ends_on": "2026-11-20",
        "covers_user_id": str(deputy.id)}, form_page=f"/admin/org/{company.id}")
    assert appointed.status_code == 302
    org = admin.page("/admin/org/")
    assert "acting for 赵永红" in org
    reversed_dates = admin.submit(f"/admin/org/{company.id}/appoint", {
        "username": "clerk", "role": "deputy_leader", "starts_on": "2026-11-20", "ends_on": "2026-11-16",
        "covers_user_id": ""}, form_page=f"/admin/org/{company.id}")
    assert "The end date is before the start date." in reversed_dates.get_data(as_text=True)

    admin.submit(f"/admin/org/{lift.id}/active", {"active": "0"}, form_page="/admin/org/")
    assert not _unit(site, "电梯维修班").active
    with site.db() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("admin.%"))
                                                    .order_by(AuditEvent.id))]
    assert actions == ["admin.unit.create", "admin.role.grant", "admin.unit.deactivate"]


def test_catalogue_items_get_a_default_team_codes_stay_unique_and_items_retire(site):
    admin = site.client("admin")
    with site.db() as session:
        water = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W"))
    team = _unit(site, "水电维修班")
    item = {"code": "W05", "name_zh": "热水器维修", "name_en": "Water heater repair", "parent_id": str(water.id),
            "default_team_id": str(team.id), "active": "y"}
    assert admin.submit("/admin/catalogue/new", item).status_code == 302
    dup = admin.submit("/admin/catalogue/new", {**item, "code": "W01"}).get_data(as_text=True)
    assert "Another entry has this code." in dup
    with site.db() as session:
        added = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W05"))
    assert (added.parent_id, added.default_team_id) == (water.id, team.id)
    page = admin.page("/admin/catalogue/")
    assert 'data-item="W05"' in page and '/admin/rules/edit?category=W' in page
    admin.submit(f"/admin/catalogue/{added.id}", {k: v for k, v in item.items() if k != "active"})
    with site.db() as session:
        assert not session.get(CatalogueItem, added.id).active


def test_locations_are_imported_idempotently_and_edited_one_by_one(site):
    admin = site.client("admin")
    sheet = "校区,楼宇,楼层,房间号,名称\n本部校区,图书馆,1,101,借阅室\n本部校区,图书馆,2,201,\n东校区,实验楼,B1,B101,配电房\n"

    def upload() -> str:
        token = csrf_from(admin.page("/admin/import/locations"))
        return admin.post("/admin/import/locations", {"csrf_token": token,
                                                      "sheet": (io.BytesIO(sheet.encode()), "rooms.csv")}).get_data(as_text=True)

    preview = upload()
    assert "5 changes will be made" in preview  # a campus, a building and three rooms
    token, name = csrf_from(preview), re.search(r'name="upload"[^>]*value="([^"]+)"', preview).group(1)
    assert admin.post("/admin/import/locations/confirm", {"csrf_token": token, "upload": name}).status_code == 302
    page = admin.page("/admin/locations/")
    assert 'data-campus="东校区"' in page and 'data-building="实验楼"' in page and "配电房" in page
    with site.db() as session:
        assert sorted(session.scalars(select(Room.number))) == ["101", "201", "B101"]
    assert "0 changes will be made; 3 rows are already up to date" in upload()
    assert admin.post("/admin/import/locations/confirm", {"csrf_token": token, "upload": name}).status_code == 302
    with site.db() as session:
        assert len(list(session.scalars(select(Room.id)))) == 3  # a stale confirmation imports nothing twice

    # one by one: a campus, renamed; a building on it; a room, once only; the school's own name
    admin.submit("/admin/locations/campus/new", {"name": "南校区"}, form_page="/admin/locations/")
    with site.db() as session:
        south = campus_named(session, site.school_id, "南校区")
    admin.submit("/admin/locations/campus/%d" % south, {"name": "南校区 South"}, form_page="/admin/locations/")
    admin.submit("/admin/locations/building/new", {"name": "游泳馆", "parent_id": str(south)}, form_page="/admin/locations/")
    with site.db() as session:
        gym = session.scalar(select(Building).where(Building.name == "游泳馆"))
    assert gym.campus_id == south
    admin.submit("/admin/locations/room/new", {"floor": "1", "number": "101", "name": "器材室", "parent_id": str(gym.id)},
                 form_page="/admin/locations/")
    twice = admin.submit("/admin/locations/room/new", {"floor": "2", "number": "101", "name": "", "parent_id": str(gym.id)},
                         form_page="/admin/locations/", follow_redirects=True).get_data(as_text=True)
    assert "This building already has a room with this number." in twice
    page = admin.page("/admin/locations/")
    assert 'data-campus="南校区 South"' in page and 'data-room="101"' in page
    admin.submit("/admin/org/school", {"name": "示范学院"}, form_page="/admin/org/")
    with site.db() as session:
        assert session.get(School, site.school_id).name == "示范学院"
        actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("admin.%"))
                                                    .order_by(AuditEvent.id))]
    assert actions == ["admin.locations.import", "admin.campus.create", "admin.campus.update", "admin.building.create",
                       "admin.room.create", "admin.school.update"]


def test_admin_api_lists_creates_and_refuses_to_deactivate_a_holder_of_open_tasks(site):
    number = site.report()
    site.do(number, "review", "auditor", decision="accept")
    auditor = site.user("auditor")
    with site.db() as session:
        token = issue_token(session, user=session.scalar(select(User).where(User.username == "admin")), name="ops")
        dispatch = session.scalar(select(HumanTask).where(HumanTask.business_key == number))
        dispatch.assignee_id = auditor.id  # the auditor has claimed the dispatch
    api = site.client()
    bearer = {"Authorization": f"Bearer {token}"}
    listed = api.http.get("/api/v1/admin/people?role=auditor", headers=bearer).get_json()
    assert [p["username"] for p in listed["people"]] == ["auditor"]
    created = api.http.post("/api/v1/admin/people", json={"username": "api.user", "password": "pw-12345678",
                                                          "display_name": "接口用户", "kind": "staff"}, headers=bearer)
    assert created.status_code == 201 and created.get_json()["username"] == "api.user"
    assert api.http.post("/api/v1/admin/people", json={"username": "x"}, headers=bearer).status_code == 422
    weak = api.http.post("/api/v1/admin/people", json={"username": "weak.user", "password": "1", "display_name": "弱"},
                         headers=bearer)  # the same password rule as the page's
    assert weak.status_code == 422 and "password" in weak.get_json()["error"]["fields"]
    refused = api.http.post(f"/api/v1/admin/people/{auditor.id}/deactivate", json={}, headers=bearer)
    assert refused.status_code == 409 and [t["business_key"] for t in refused.get_json()["error"]["tasks"]] == [number]
    assert site.user("auditor").active
    units = api.http.get("/api/v1/admin/org-units", headers=bearer).get_json()["units"]
    assert any(u["name"].startswith("后勤服务公司") and u["in_charge"] for u in units)


def test_the_admin_api_gives_people_a_campus_of_the_school_and_lists_by_campus(site):
    with site.db() as session:
        token = issue_token(session, user=session.scalar(select(User).where(User.username == "admin")), name="ops")
        lake = campus_named(session, site.school_id, "南湖校区")
        foreign_id = campus_of_another_school(session, "本部校区")
    api, bearer = site.client(), {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    def add(username: str, campus: object):
        return api.http.post("/api/v1/admin/people", headers=bearer, json={
            "username": username, "password": "pw-12345678", "display_name": "湖区学生", "kind": "student",
            "campus_id": campus})

    created = add("lake.student", lake)
    assert created.status_code == 201 and created.get_json()["campus_id"] == lake
    assert add("no.campus", None).get_json()["campus_id"] is None
    refused = add("far.student", foreign_id)
    assert refused.status_code == 422 and list(refused.get_json()["error"]["fields"]) == ["campus_id"]
    assert add("text.campus", str(lake)).get_json()["error"]["fields"] == {
        "campus_id": ["must be an id (a whole number) or null"]}
    assert site.user("far.student") is None and site.user("text.campus") is None

    def listed(campus: str) -> set[str]:  # the people added here, by the name they share
        answer = api.http.get(f"/api/v1/admin/people?campus={campus}&q=湖区学生", headers=bearer).get_json()
        return {p["username"] for p in answer["people"]}

    assert listed(str(lake)) == {"lake.student"} and listed("none") == {"no.campus"}
