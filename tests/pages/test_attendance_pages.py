"""The attendance pages and the check-in API through the real app: points with a token shown once, enrolment from a
person's page, kiosk and phone check-ins with real photos, rosters, rates, the monthly sheet, and a second school
that sees none of it."""
from __future__ import annotations

import base64
import io
import re
from datetime import date, time

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from tests.faces import pictures
from workflows.attendance import enrolment
from workflows.attendance.models import Checkin, CheckinPoint, Enrolment, RosterEntry, Shift, UnknownAttempt
from workflows.catalogue.models import Building
from workflows.faces.matcher import GALLERIES
from workflows.people.models import User
from workflows.staff.models import Post, StaffMember


@pytest.fixture
def staffed(site):
    GALLERIES.forget()
    with site.db() as session:
        post = Post(school_id=site.school_id, code="dorm", name_zh="宿舍管理员", name_en="Dormitory keeper")
        session.add(post)
        session.flush()
        worker = session.scalar(select(User).where(User.username == "worker"))
        session.execute(update(StaffMember).where(StaffMember.user_id == worker.id).values(user_id=None))  # the demo's link
        for number, name, user in (("D001", "Barack", worker), ("D002", "Joe", None)):
            session.add(StaffMember(school_id=site.school_id, unit_id=worker.roles[0].org_unit_id,
                                    post_id=post.id, number=number, name=name, user_id=user.id if user else None,
                                    started_on=date(2024, 1, 1)))
        building = session.scalar(select(Building).where(Building.school_id == site.school_id).limit(1))
    return site, post.id, building.id


def staff_id(site, number: str) -> int:
    with site.db() as session:
        return session.scalar(select(StaffMember.id).where(StaffMember.number == number))


def add_point(admin, kind: str, post_id: int, building_id: int) -> str:
    html = admin.submit("/attendance/points", {"kind": kind, "name": f"{kind} at dorm 1", "post_id": str(post_id),
                                               "building_id": str(building_id)}, follow_redirects=True).get_data(as_text=True)
    return html


def enrol(site, admin, number: str, photo: str) -> None:
    person = staff_id(site, number)
    response = admin.submit(f"/attendance/staff/{person}/enrol", {
        "enrol-photos": [(io.BytesIO(pictures.photo_bytes(photo)), f"{photo}.jpg")], "enrol-consent": "y",
        "enrol-note": "signed form"}, form_page=f"/attendance/staff/{person}")
    assert response.status_code == 302, response.get_data(as_text=True)
    enrolment.encode_waiting(site.runtime.host.session_factory, site.runtime.rules)


def test_a_kiosk_checks_in_an_enrolled_person_and_refuses_strangers(staffed):
    site, post_id, building_id = staffed
    admin = site.client("admin")
    html = add_point(admin, "kiosk", post_id, building_id)
    token = re.search(r'data-testid="point-token">.*?<code>([^<]+)</code>', html, re.S).group(1)
    assert token not in admin.page("/attendance/points")  # shown once
    enrol(site, admin, "D001", "obama")
    assert "Enrolled: 1 face photos can check in." in admin.page(f"/attendance/staff/{staff_id(site, 'D001')}")

    api = site.app.test_client()

    def post(photo: bytes, bearer: str = token):
        return api.post("/api/v1/attendance/checkins?lang=en", json={"photo": base64.b64encode(photo).decode()},
                        headers={"Authorization": f"Bearer {bearer}"})

    answer = post(pictures.kiosk_frame("obama2"))
    assert answer.status_code == 201 and answer.json["staff"]["number"] == "D001"
    stranger = post(pictures.kiosk_frame("biden"))
    assert stranger.status_code == 422 and stranger.json["error"]["code"] == "unknown_face"
    no_face = post(pictures.no_face())
    assert no_face.status_code == 422 and no_face.json["error"]["message"].startswith("No face was found")
    assert post(pictures.kiosk_frame("obama2"), "wrong-token").status_code == 401
    with site.db() as session:
        assert session.scalar(select(func.count(Checkin.id))) == 1
        assert session.scalar(select(func.count(UnknownAttempt.id))) == 1
    assert "Refused face" in admin.page("/attendance/unknown")


def test_a_phone_check_in_at_a_post_qr_code_must_be_the_own_face(staffed):
    site, post_id, building_id = staffed
    admin = site.client("admin")
    add_point(admin, "post_qr", post_id, building_id)
    with site.db() as session:
        code = session.scalar(select(CheckinPoint.code))
    assert "<svg" in admin.page("/attendance/points")
    enrol(site, admin, "D001", "obama")
    enrol(site, admin, "D002", "biden")
    phone = site.client("worker")  # the worker's account is Barack's (D001)
    refused = phone.submit(f"/m/checkin/{code}", {"photo": (io.BytesIO(pictures.photo_bytes("biden")), "me.jpg")})
    assert refused.status_code == 422 and "This face is not yours" in refused.get_data(as_text=True)
    done = phone.submit(f"/m/checkin/{code}", {"photo": (io.BytesIO(pictures.kiosk_frame("obama3")), "me.jpg")})
    assert done.status_code == 200 and 'data-testid="checked-in"' in done.get_data(as_text=True)
    assert site.client("requester").page(f"/m/checkin/{code}", status=403)  # not in the staff register


def test_shifts_rosters_rates_and_the_monthly_sheet(staffed):
    site, post_id, _building = staffed
    supervisor = site.client("supervisor")
    saved = supervisor.submit("/attendance/shifts", {"shift-post_id": str(post_id), "shift-name": "Night",
                                                     "shift-starts": "22:00", "shift-ends": "06:00"})
    assert saved.status_code == 302
    with site.db() as session:
        shift_id = session.scalar(select(Shift.id))
    rostered = supervisor.submit("/attendance/shifts", {"roster-staff_id": str(staff_id(site, "D001")), "roster-shift_id": str(shift_id),
                                                        "roster-first": "2025-02-01", "roster-last": "2025-02-03"})
    assert rostered.status_code == 302
    assert "(next day)" in supervisor.page("/attendance/shifts")
    rates = supervisor.page("/attendance/rates?start=2025-02-01T00:00:00%2B08:00&end=2025-02-04T00:00:00%2B08:00")
    per_post = rates.split('data-testid="per-post"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'>([^<>]+)</a></td>\s*<td data-label="Shifts">(\d+)</td><td data-label="On post">(\d+)</td>'
                      r'\s*<td data-label="On-post rate">([^<]+)</td>', per_post) == [("Dormitory keeper", "3", "0", "0%")]
    drill = supervisor.page(f"/attendance/rates?start=2025-02-01T00:00:00%2B08:00&end=2025-02-04T00:00:00%2B08:00&post_id={post_id}")
    assert drill.count("Absent") >= 3
    sheet = supervisor.get("/attendance/sheet.xlsx?month=2025-02")
    book = load_workbook(io.BytesIO(sheet.data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "D001" and rows[1][3] == "Absent" and rows[1][-2] == 3
    person = staff_id(site, "D001")
    fixed = supervisor.submit(f"/attendance/staff/{person}/correct?month=2025-02", {"fix-at": "2025-02-01T22:01",
                              "fix-reason": "kiosk was down"}, form_page=f"/attendance/staff/{person}?month=2025-02")
    assert fixed.status_code == 302
    calendar = supervisor.page(f"/attendance/staff/{person}?month=2025-02")
    assert "Missing check-out" in calendar and "Late" not in calendar  # 22:01 school time, on time (stored in UTC)


def test_the_rates_page_reaches_back_a_year_at_most(staffed):
    """A link asking for decades reads the year before its end: the shift of 1 February 2025 is older than that."""
    site, post_id, _building = staffed
    person = staff_id(site, "D001")
    with site.db() as session:
        shift = Shift(school_id=site.school_id, post_id=post_id, name="Day", starts=time(8), ends=time(16))
        session.add(shift)
        session.flush()
        session.add_all([RosterEntry(school_id=site.school_id, staff_id=person, shift_id=shift.id, day=day)
                         for day in (date(2025, 2, 1), date(2025, 3, 1))])
    rates = site.client("supervisor").page("/attendance/rates?start=2000-01-01T00:00:00%2B08:00"
                                           f"&end=2026-03-01T00:00:00%2B08:00&post_id={post_id}")
    listed = rates.split('data-testid="shift-rows"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r"<tr><td>([\d-]+)</td>", listed) == ["2025-03-01"]


def test_the_staff_pages_list_the_people_in_service_today(staffed):
    """Someone who left last month is gone from the list and the roster's choices; someone leaving next month is
    still there."""
    site, _post, _building = staffed
    with site.db() as session:
        unit = session.scalar(select(StaffMember.unit_id).where(StaffMember.number == "D001"))
        session.add_all([StaffMember(school_id=site.school_id, unit_id=unit, number=number, name=name,
                                     started_on=date(2024, 1, 1), left_on=left_on)
                         for number, name, left_on in (("D003", "Hillary", date(2026, 10, 20)),
                                                       ("D004", "Kamala", date(2026, 12, 20)))])
    supervisor = site.client("supervisor")
    listed = re.findall(r"<tr><td>(D\d+)</td>", supervisor.page("/attendance/staff"))
    assert listed == ["D001", "D002", "D004"]
    choices = re.findall(r'<option value="\d+">\w+ \((D\d+)\)</option>', supervisor.page("/attendance/shifts"))
    assert choices == ["D001", "D002", "D004"]


def test_a_second_school_sees_none_of_it(staffed):
    site, post_id, building_id = staffed
    admin = site.client("admin")
    add_point(admin, "kiosk", post_id, building_id)
    enrol(site, admin, "D001", "obama")
    site.other_school_user("otheradmin", "admin")
    other = site.client("otheradmin")
    person = staff_id(site, "D001")
    other.page(f"/attendance/staff/{person}", status=404)
    assert "D001" not in other.page("/attendance/staff")
    with site.db() as session:
        point_id = session.scalar(select(CheckinPoint.id))
    assert other.submit(f"/attendance/points/{point_id}/revoke", {}, form_page="/attendance/points").status_code == 404
    assert other.submit(f"/attendance/staff/{staff_id(site, 'D002')}/enrol", {
        "enrol-photos": [(io.BytesIO(pictures.photo_bytes("biden")), "biden.jpg")], "enrol-consent": "y",
        "enrol-note": ""}, form_page="/attendance/points").status_code == 404
    assert site.client("requester").get("/attendance/staff").status_code == 403
    with site.db() as session:  # the school's own enrolment only: the other school's attempt stored nothing
        assert session.scalar(select(func.count(Enrolment.id))) == 1
        assert session.scalar(select(Enrolment.staff_id)) == person


def test_bulk_enrolment_by_staff_number_shows_its_progress(staffed):
    site, _post, _building = staffed
    admin = site.client("admin")
    refused = admin.submit("/attendance/enrol", {"photos": [(io.BytesIO(pictures.photo_bytes("obama")), "D001.jpg"),
                                                            (io.BytesIO(pictures.photo_bytes("biden")), "X999.jpg")],
                                                 "consent": "y"})
    assert refused.status_code == 200 and "X999: no such staff number in this school." in refused.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(Enrolment.id))) == 0  # nothing half-stored
    done = admin.submit("/attendance/enrol", {"photos": [(io.BytesIO(pictures.photo_bytes("obama")), "D001.jpg"),
                                                         (io.BytesIO(pictures.photo_bytes("obama2")), "D001_2.jpg"),
                                                         (io.BytesIO(pictures.photo_bytes("biden")), "D002.jpg")],
                                              "consent": "y", "note": "signed forms"})
    assert done.status_code == 302
    batch = done.headers["Location"].rsplit("batch=", 1)[1]
    assert admin.get(f"/attendance/enrol/{batch}.json").json == {
        "total": 2, "done": 0, "ready": 0, "failed": 0, "finished": False,
        "summary": "0 of 2 people done: 0 enrolled, 0 without a usable face."}
    enrolment.encode_waiting(site.runtime.host.session_factory, site.runtime.rules)
    assert admin.get(f"/attendance/enrol/{batch}.json").json["ready"] == 2
    assert "2 of 2 people done: 2 enrolled" in admin.page(f"/attendance/enrol?batch={batch}")


def test_a_vendor_terminal_checks_in_by_staff_number_and_bad_bodies_are_refused(staffed):
    site, post_id, building_id = staffed
    admin = site.client("admin")
    terminal = re.search(r"<code>([^<]+)</code>", add_point(admin, "terminal", post_id, building_id)).group(1)
    kiosk = re.search(r"<code>([^<]+)</code>", add_point(admin, "kiosk", post_id, building_id)).group(1)
    api = site.app.test_client()

    def post(token: str, **body):
        return api.post("/api/v1/attendance/checkins", json=body, headers={"Authorization": f"Bearer {token}"})

    done = post(terminal, staff_number="D002", at="2025-03-03T08:58:00+08:00")
    assert done.status_code == 201 and done.json["checkin"]["channel"] == "terminal" and done.json["checkin"]["distance"] is None
    assert done.json["checkin"]["at"].startswith("2025-03-03T00:58:00")  # kept in UTC
    assert post(terminal, staff_number="NOBODY").json["error"]["fields"] == {"problem": ["not_staff"]}
    assert post(kiosk, staff_number="D002").status_code == 422  # a kiosk sends faces, not numbers
    assert post(terminal, staff_number="D002", photo="AAAA").status_code == 422  # one or the other
    assert post(terminal, photo="not base64!").json["error"]["fields"] == {"photo": ["不是有效的 base64"]}  # no ?lang=: zh_CN
    assert post(terminal, photo=42).json["error"]["fields"] == {"photo": ["须为 base64 字符串"]}  # as an order's photo says it
    english = api.post("/api/v1/attendance/checkins?lang=en", json={"photo": "data:image/jpeg,raw"},
                       headers={"Authorization": f"Bearer {terminal}"})
    assert english.json["error"]["fields"] == {"photo": ["must be base64-encoded"]}
    assert post(terminal, staff_number="D002", at="yesterday").status_code == 422
    huge = api.post("/api/v1/attendance/checkins", data=b"{" + b" " * (12 * 1024 * 1024) + b"}",
                    headers={"Authorization": f"Bearer {terminal}", "Content-Type": "application/json"})
    assert huge.status_code == 413
    with site.db() as session:
        assert session.scalar(select(func.count(Checkin.id))) == 1


def test_a_refused_shift_says_why_in_chinese_beside_its_field(staffed):
    site, post_id, _building = staffed
    supervisor = site.client("supervisor")
    refused = supervisor.submit("/attendance/shifts", {"shift-post_id": str(post_id), "shift-name": "夜班",
                                                       "shift-starts": "22:00", "shift-ends": "22:00"},
                                form_page="/attendance/shifts?lang=zh_CN")
    assert refused.status_code == 200 and "班次的结束时间不能与开始时间相同。" in refused.get_data(as_text=True)
