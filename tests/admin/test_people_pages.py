"""The people admin pages, driven through the real app as an admin would: add, edit, find, import with a
preview, tokens and passwords shown once, deactivation that asks for a new holder of every open task."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from factories import campus_of_another_school
from sqlalchemy import select
from websupport import csrf_from

from engine.models import AuditEvent, HumanTask
from workflows.demo import DEMO_PASSWORD
from workflows.people.models import ApiToken, Campus, OrgUnit, RoleAssignment
from workflows.people.service import create_user

PERSON = {"display_name": "李伟", "number": "T1001", "kind": "staff", "phone": "", "email": "", "locale": ""}


def _audit(site, action: str) -> list[AuditEvent]:
    with site.db() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _secret(html: str) -> str:
    return re.search(r'data-testid="secret">.*?<code>([^<]+)</code>', html, re.S).group(1)


def _csv(lines: list[str]) -> tuple[io.BytesIO, str]:
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8-sig")), "people.csv"


def test_admin_adds_edits_and_finds_people_audited_and_sees_why_someone_may_do_what(site):
    admin = site.client("admin")
    created = admin.submit("/admin/people/new", {"username": "li.wei", "password": "first-pass-1", **PERSON})
    assert created.status_code == 302
    user = site.user("li.wei")
    again = admin.submit("/admin/people/new", {"username": "li.wei", "password": "first-pass-1", **PERSON, "number": "T1002"})
    assert again.status_code == 200 and "This username is already taken." in again.get_data(as_text=True)
    clash = admin.submit("/admin/people/new", {"username": "li.wei2", "password": "first-pass-1", **PERSON})
    assert "Another person has this number." in clash.get_data(as_text=True)

    admin.submit(f"/admin/people/{user.id}", {**PERSON, "phone": "13900000000"})
    assert site.user("li.wei").phone == "13900000000"
    update = _audit(site, "admin.user.update")[-1]
    assert (update.actor, update.details["target"]) == ("admin", f"user:{user.id}")
    assert (update.details["before"], update.details["after"]) == ({"phone": None}, {"phone": "13900000000"})
    assert _audit(site, "admin.user.create")[-1].details["after"]["number"] == "T1001"

    log = admin.page("/admin/changes/?subject=user")
    assert 'data-action="admin.user.update"' in log and "13900000000" in log
    assert 'data-action="admin.user.create"' not in admin.page("/admin/changes/?actor=nobody")

    found = admin.page("/admin/people/?q=T1001")
    assert 'data-user="li.wei"' in found and 'data-user="worker"' not in found
    workers = admin.page("/admin/people/?role=worker")
    assert 'data-user="worker"' in workers and 'data-user="li.wei"' not in workers

    # why the deputy leader may see what they see
    deputy = site.user("deputy")
    page = admin.page(f"/admin/permissions/{deputy.id}")
    assert 'data-role="deputy_leader"' in page and "后勤服务公司" in page and "水电维修班" in page  # reaches the teams
    assert 'data-page="/dashboard/"' in page or 'data-page="/dashboard"' in page
    assert 'data-page="/admin/people/"' not in page
    assert 'data-page="/admin/people/"' in admin.page(f"/admin/permissions/{site.user('admin').id}")


def _campuses(site) -> dict[str, int]:
    with site.db() as session:
        return dict(session.execute(select(Campus.name, Campus.id).where(Campus.school_id == site.school_id)).all())


def _selected(html: str, select: str) -> str:
    """The label of the chosen option of the select named ``select``."""
    options = re.search(rf'<select[^>]*name="{select}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r"<option\b[^>]*\bselected\b[^>]*>([^<]*)</option>", options).group(1)


def test_admin_chooses_a_person_s_campus_among_the_school_s_audited_and_finds_people_by_campus(site):
    campuses = _campuses(site)
    with site.db() as session:
        foreign_id = campus_of_another_school(session)
    admin = site.client("admin")
    form = admin.page("/admin/people/new")
    assert "南湖校区" in form and "本部校区" in form and "外校校区" not in form
    created = admin.submit("/admin/people/new", {"username": "li.wei", "password": "first-pass-1", **PERSON,
                                                 "campus_id": str(campuses["南湖校区"])})
    assert created.status_code == 302
    user = site.user("li.wei")
    assert user.campus_id == campuses["南湖校区"]
    assert _audit(site, "admin.user.create")[-1].details["after"]["campus_id"] == campuses["南湖校区"]
    assert _selected(admin.page(f"/admin/people/{user.id}"), "campus_id") == "南湖校区"

    refused = admin.submit(f"/admin/people/{user.id}", {**PERSON, "campus_id": str(foreign_id)})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    assert site.user("li.wei").campus_id == campuses["南湖校区"]

    assert admin.submit(f"/admin/people/{user.id}", {**PERSON, "campus_id": str(campuses["本部校区"])}).status_code == 302
    update = _audit(site, "admin.user.update")[-1]
    assert (update.details["before"], update.details["after"]) == ({"campus_id": campuses["南湖校区"]},
                                                                   {"campus_id": campuses["本部校区"]})
    listed = admin.page(f"/admin/people/?campus={campuses['本部校区']}&q=li.wei")
    assert 'data-user="li.wei"' in listed and "本部校区" in listed
    assert 'data-user="li.wei"' not in admin.page(f"/admin/people/?campus={campuses['南湖校区']}")
    assert 'data-user="li.wei"' not in admin.page("/admin/people/?campus=none")

    assert admin.submit(f"/admin/people/{user.id}", {**PERSON, "campus_id": ""}).status_code == 302  # "—": none
    assert site.user("li.wei").campus_id is None
    assert 'data-user="li.wei"' in admin.page("/admin/people/?campus=none")
    assert _selected(admin.page("/admin/people/?campus=none"), "campus") == "No campus"


def test_the_import_s_campus_column_sets_campuses_by_name_refuses_unknown_ones_and_an_empty_cell_keeps_one(site):
    campuses = _campuses(site)
    admin = site.client("admin")
    lines = ["工号/学号,姓名,类别,校区", "S001,南湖学生,学生,南湖校区", "S002,北校学生,学生,北校区", "S003,本部学生,学生,本部校区",
             "S004,无校区学生,学生,"]
    token = csrf_from(admin.page("/admin/import/people"))
    assert "校区 (campus, optional" in admin.page("/admin/import/people")
    preview = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(lines)}).get_data(as_text=True)
    assert "3 changes will be made; 0 rows are already up to date; 1 cells are rejected" in preview
    assert 'data-row="3" data-column="campus"' in preview and "No active campus has this name." in preview
    upload = re.search(r'name="upload"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="upload"', preview)
    assert admin.post("/admin/import/people/confirm", {"csrf_token": token,
                                                       "upload": upload.group(1) or upload.group(2)}).status_code == 302
    assert site.user("S001").campus_id == campuses["南湖校区"] and site.user("S003").campus_id == campuses["本部校区"]
    assert site.user("S004").campus_id is None and site.user("S002") is None

    again = ["工号/学号,姓名,类别", "S001,南湖学生,学生", "S003,本部学生,学生"]  # no campus column: campuses stay
    second = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(again)}).get_data(as_text=True)
    assert "0 changes will be made; 2 rows are already up to date" in second
    moved = ["Number,Name,Kind,Campus", "S001,南湖学生,student,本部校区"]  # English headers
    preview = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(moved)}).get_data(as_text=True)
    assert "1 changes will be made" in preview
    upload = re.search(r'name="upload"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="upload"', preview)
    admin.post("/admin/import/people/confirm", {"csrf_token": token, "upload": upload.group(1) or upload.group(2)})
    assert site.user("S001").campus_id == campuses["本部校区"]
    change = _audit(site, "admin.people.import")[-1].details["updated"]
    assert [(c["before"]["campus_id"], c["after"]["campus_id"]) for c in change] == [(campuses["南湖校区"],
                                                                                     campuses["本部校区"])]


def test_import_previews_reports_bad_cells_applies_and_a_second_import_changes_nothing(site):
    admin = site.client("admin")
    lines = ["工号/学号,姓名,类别,部门,角色,电话,邮箱"] + [f"S{i:03d},导入学生{i:02d},学生,,,," for i in range(30)]
    lines.append("S999,坏行,学生,,,,not-mail")  # sheet row 32
    token = csrf_from(admin.page("/admin/import/people"))
    preview = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(lines)}).get_data(as_text=True)
    assert "30 changes will be made; 0 rows are already up to date; 1 cells are rejected" in preview
    assert 'data-row="32" data-column="email"' in preview and "Not an e-mail address." in preview
    assert site.user("S000") is None  # nothing happens before the confirmation
    upload = re.search(r'name="upload"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="upload"', preview)
    done = admin.post("/admin/import/people/confirm", {"csrf_token": token, "upload": upload.group(1) or upload.group(2)})
    assert done.status_code == 302
    assert site.user("S007").display_name == "导入学生07" and site.user("S999") is None
    fresh = site.client()  # an imported account has no usable password until an admin resets it
    assert fresh.http.post("/login", data={"csrf_token": csrf_from(fresh.page("/login")), "username": "S007",
                                           "password": ""}).status_code == 200

    listed = admin.page("/admin/people/?q=导入学生")
    assert listed.count('data-user="S0') == 25 and 'rel="next"' in listed
    assert admin.page("/admin/people/?q=导入学生&page=2").count('data-user="S0') == 5

    second = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(lines)}).get_data(as_text=True)
    assert "0 changes will be made; 30 rows are already up to date" in second
    bad = admin.post("/admin/import/people", {"csrf_token": token, "sheet": _csv(["姓名", "张三"])}).get_data(as_text=True)
    assert "Columns missing from the first row: number" in bad


def test_tokens_and_passwords_are_shown_once_and_work(site):
    admin = site.client("admin")
    me = site.user("admin")
    html = admin.submit(f"/admin/people/{me.id}/tokens", {"name": "ERP sync", "scope": "read",
                                                          "expires_on": (date(2026, 11, 16) + timedelta(days=1)).isoformat()},
                        form_page=f"/admin/people/{me.id}").get_data(as_text=True)
    token = _secret(html)
    assert token not in admin.page(f"/admin/people/{me.id}")  # shown once
    api = site.client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.http.get("/api/v1/admin/people", headers=bearer).status_code == 200
    refused = api.http.post("/api/v1/admin/people", json={"username": "x"}, headers=bearer)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "insufficient_scope"
    assert site.user("x") is None  # a read-only token writes nothing
    site.traveller.shift(timedelta(days=2))
    assert api.http.get("/api/v1/admin/people", headers=bearer).status_code == 401  # expired

    worker = site.user("worker")
    html = admin.submit(f"/admin/people/{worker.id}/password", {}, form_page=f"/admin/people/{worker.id}").get_data(as_text=True)
    password = _secret(html)
    fresh = site.client()
    assert fresh.http.post("/login", data={"csrf_token": csrf_from(fresh.page("/login")), "username": "worker",
                                           "password": password}).status_code == 302
    assert password not in str([e.details for e in _audit(site, "admin.user.password_reset")])

    html = admin.submit(f"/admin/people/{me.id}/tokens", {"name": "Kiosk", "scope": "read", "expires_on": ""},
                        form_page=f"/admin/people/{me.id}").get_data(as_text=True)
    kiosk = {"Authorization": f"Bearer {_secret(html)}"}
    assert api.http.get("/api/v1/admin/people", headers=kiosk).status_code == 200
    with site.db() as session:
        kiosk_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "Kiosk"))
        grant = session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == worker.id))
    page = f"/admin/people/{me.id}"
    assert admin.submit(f"/admin/people/{me.id}/tokens/{kiosk_id}/revoke", {}, form_page=page).status_code == 302
    assert api.http.get("/api/v1/admin/people", headers=kiosk).status_code == 401
    assert _audit(site, "admin.token.revoke")[-1].details["target"] == f"user:{me.id}"
    # another person's grant through this person's page is not found, and stays
    assert admin.submit(f"/admin/people/{me.id}/roles/{grant}/revoke", {}, form_page=page).status_code == 404
    assert admin.submit(f"/admin/people/{worker.id}/roles/{grant}/revoke", {}, form_page=page).status_code == 302
    assert _audit(site, "admin.role.revoke")[-1].details["target"] == f"user:{worker.id}"


def test_deactivating_a_worker_lists_open_tasks_and_requires_a_new_holder_first(site):
    number = site.report()
    site.do(number, "review", "auditor", decision="accept")
    worker = site.user("worker")
    with site.db() as session:
        team = session.scalar(select(OrgUnit.id).where(OrgUnit.name.startswith("水电")))
        other = create_user(session, username="worker2", password=DEMO_PASSWORD, display_name="维修工 马师傅",
                            school_id=site.school_id, roles=[("worker", team)]).id
    site.do(number, "dispatch", "auditor", team_id=str(team), worker_id=str(worker.id))
    with site.db() as session:
        task = session.scalar(select(HumanTask).where(HumanTask.business_key == number))
    admin = site.client("admin")
    path = f"/admin/people/{worker.id}/deactivate"
    page = admin.page(path)
    assert f'data-task="{task.id}"' in page and "维修工 马师傅" in page

    refused = admin.submit(path, {}).get_data(as_text=True)
    assert "hand each one to someone else first" in refused
    assert site.user("worker").active

    assert admin.submit(path, {f"hand_to-{task.id}": str(other)}).status_code == 302
    assert not site.user("worker").active
    with site.db() as session:
        assert session.get(HumanTask, task.id).assignee_id == other
    assert _audit(site, "admin.user.deactivate")[-1].details["handed_over"] == {task.id: other}
    fresh = site.client()
    assert fresh.http.post("/login", data={"csrf_token": csrf_from(fresh.page("/login")), "username": "worker",
                                           "password": DEMO_PASSWORD}).status_code == 200  # refused: inactive
    assert 'data-user="worker"' in admin.page("/admin/people/?status=inactive")
