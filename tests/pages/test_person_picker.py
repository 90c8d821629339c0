"""The person picker's search (``/form-sources/<source>/search``): staff of the asker's school only, never students
or requesters unless the source says so, by name, staff number or phone tail, filtered by unit (and the units
below it) and role, a page at a time; and the delegated-task page that uses it."""
from __future__ import annotations

from sqlalchemy import select

from workflows.demo import DEMO_PASSWORD
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import create_user


def unit(site, prefix: str) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.name.startswith(prefix)))


def person(site, username: str, name: str, roles, *, kind: str = "staff", number: str | None = None,
           phone: str | None = None) -> int:
    with site.db() as session:
        user = create_user(session, username=username, password=DEMO_PASSWORD, display_name=name, school_id=site.school_id,
                           roles=roles, phone=phone)
        user.kind, user.number = kind, number
        return user.id


def names(answer) -> list[str]:
    return [p["name"] for p in answer["people"]]


def search(client, source: str = "staff", **args):
    response = client.get(f"/form-sources/{source}/search", query_string=args)
    assert response.status_code == 200, response.status_code
    return response.get_json()


def test_staff_only_by_name_number_and_phone_tail_never_students_or_requesters(site):
    cleaning = unit(site, "保洁绿化班")
    person(site, "cleaner", "保洁 马阿姨", [(Role.worker, cleaning)], number="G1001", phone="139-1234-5678")
    person(site, "pupil", "学生 马小明", [(Role.requester, None)], kind="student", number="S2024001")
    person(site, "intern", "实习生 马同学", [(Role.clerk, None)], kind="student")  # a student with a staff role
    auditor = site.client("auditor")

    answer = search(auditor)
    staff = names(answer)
    assert "保洁 马阿姨" in staff and "张伟" in staff and "刘建军" in staff
    assert not {"学生 马小明", "实习生 马同学", "王丽华"} & set(staff)  # students and requesters
    assert answer["total"] == len(staff) and answer["page"] == 1 and answer["pages"] == 1
    assert {"value": "worker", "label": "Maintenance worker"} in answer["roles"] and "requester" not in {r["value"] for r in answer["roles"]}
    assert {"id": cleaning, "name": "保洁绿化班"} in answer["units"]

    assert names(search(auditor, q="马")) == ["保洁 马阿姨"]
    assert names(search(auditor, q="g100")) == ["保洁 马阿姨"]  # staff number, any case
    hit = search(auditor, q="5678")["people"]
    assert [p["name"] for p in hit] == ["保洁 马阿姨"]  # the last digits of the phone
    assert hit[0] == {"id": hit[0]["id"], "name": "保洁 马阿姨", "number": "G1001", "label": "保洁 马阿姨 · G1001",
                      "units": ["保洁绿化班"], "roles": ["Maintenance worker"]}
    assert "phone" not in hit[0]  # found by it, never shown
    assert names(search(auditor, q="1234")) == []  # the middle of a phone number is not its tail

    everyone = names(search(auditor, "everyone", q="马"))
    assert set(everyone) == {"保洁 马阿姨", "学生 马小明", "实习生 马同学"}


def test_filters_by_unit_and_the_units_below_it_and_by_role(site):
    cleaning, company = unit(site, "保洁绿化班"), unit(site, "后勤服务公司")
    person(site, "cleaner", "保洁 马阿姨", [(Role.worker, cleaning)])
    auditor = site.client("auditor")
    assert names(search(auditor, unit=cleaning)) == ["保洁 马阿姨"]
    below = names(search(auditor, unit=company))
    assert "保洁 马阿姨" in below and "刘建军" in below and "赵永红" in below and "管理员" not in below
    assert set(names(search(auditor, role="worker"))) == {"保洁 马阿姨", "刘建军"}
    assert names(search(auditor, role="worker", unit=cleaning, q="马")) == ["保洁 马阿姨"]
    assert "王丽华" not in names(search(auditor, role="requester"))  # not a filter the staff source offers: ignored
    assert len(names(search(auditor, role="nonsense", unit=999999))) == search(auditor)["total"]


def test_pages_of_twenty(site):
    team = unit(site, "木工班")
    for n in range(25):
        person(site, f"carpenter{n:02d}", f"木工 {n:02d}", [(Role.worker, team)])
    auditor = site.client("auditor")
    first, second = search(auditor, unit=team), search(auditor, unit=team, page=2)
    assert (first["total"], first["pages"], len(first["people"])) == (25, 2, 20)
    assert names(second) == [f"木工 {n:02d}" for n in range(20, 25)] and second["page"] == 2
    assert search(auditor, unit=team, page=9)["page"] == 2  # past the end: the last page


def test_each_school_sees_only_its_own_people_and_requesters_may_not_search(site):
    site.other_school_user("elsewhere", "auditor")
    with site.db() as session:
        school = session.scalar(select(User.school_id).where(User.username == "elsewhere"))
        create_user(session, username="otherworker", password=DEMO_PASSWORD, display_name="外校 维修工", school_id=school,
                    roles=[(Role.worker, None)])
    assert "外校 维修工" not in names(search(site.client("auditor"), q="维修工"))
    theirs = names(search(site.client("elsewhere")))
    assert "外校 维修工" in theirs and not any(name in theirs for name in ("刘建军", "张伟"))

    assert site.client("requester").get("/form-sources/staff/search").status_code == 403
    assert site.client().get("/form-sources/staff/search").status_code in (302, 401)
    assert site.client("auditor").get("/form-sources/workers/search").status_code == 404  # not a picker's source
    assert site.client("auditor").get("/form-sources/nothing/search").status_code == 404


def test_the_assign_page_picks_from_staff_and_refuses_a_student(site):
    student = person(site, "pupil", "学生 马小明", [(Role.requester, None)], kind="student")
    leader = site.client("leader")
    page = leader.page("/tasks-supervision/new")
    assert 'data-person-picker' in page and 'data-search-url="/form-sources/staff/search"' in page
    assert "/static/forms.js" in page and "学生 马小明" not in page and "王丽华" not in page
    refused = leader.submit("/tasks-supervision/new", {
        "title": "迎新检修", "priority": "normal", "deadline": "2026-11-30T17:00", "assignee_id": str(student),
        "unit_id": ""})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
