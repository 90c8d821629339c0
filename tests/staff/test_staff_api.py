"""The staff register through the API: a reader of the school gets the people and their certificates with their
colour; a worker is refused; another school's administrator finds nobody."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.statements import statements
from workflows.people.models import OrgUnit, User
from workflows.people.service import issue_token
from workflows.staff import certificates, register
from workflows.staff.enums import CertificateStatus
from workflows.staff.models import CertificateType, Post


def _token(site, username: str) -> dict[str, str]:
    with site.db() as session:
        user = session.scalar(select(User).where(User.username == username))
        return {"Authorization": f"Bearer {issue_token(session, user=user, name='t', scope='read')}"}


def test_readers_get_the_register_and_other_schools_do_not(site):
    with site.db() as session:
        team = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.name == "水电维修班"))
        post = Post(school_id=site.school_id, code="electrician", name_zh="电工", name_en="Electrician")
        kind = CertificateType(school_id=site.school_id, code="op", name_zh="电工证", name_en="Electrician's certificate")
        session.add_all([post, kind])
        session.flush()
        person = register.create(session, actor="admin", school_id=site.school_id, data=register.StaffInput(
            number="E01", name="王师傅", unit_id=team, post_id=post.id, started_on=date(2025, 1, 1)))
        certificates.add(session, site.runtime.host, actor="admin", user_id=None, person=person, data=certificates.CertificateInput(
            type_id=kind.id, number="T1", issuer="应急管理局", valid_from=date(2024, 1, 1), valid_until=date(2027, 6, 1)))
        staff_id = person.id
    http = site.app.test_client()
    supervisor = _token(site, "supervisor")
    listed = http.get("/api/v1/staff?lang=en", headers=supervisor).get_json()
    assert [p["number"] for p in listed["staff"]] == ["E01"] and listed["staff"][0]["post"] == "Electrician"
    one = http.get(f"/api/v1/staff/{staff_id}", headers=supervisor).get_json()
    assert [(c["number"], c["colour"]) for c in one["certificates"]] == [("T1", "valid")]
    expiring = http.get("/api/v1/certificates?colour=expiring", headers=supervisor).get_json()
    assert expiring["certificates"] == []  # June is far off
    assert http.get("/api/v1/certificates?colour=blue", headers=supervisor).status_code == 422
    key = one["certificates"][0]["key"]
    assert http.get(f"/api/v1/modules/staff/{key}", headers=supervisor).get_json()["person"]["number"] == "E01"

    assert http.get("/api/v1/staff", headers=_token(site, "worker")).status_code == 403
    site.other_school_user("admin2", "admin")
    other = _token(site, "admin2")
    assert http.get("/api/v1/staff", headers=other).get_json()["staff"] == []
    assert http.get(f"/api/v1/staff/{staff_id}", headers=other).status_code == 404
    assert http.get(f"/api/v1/modules/staff/{key}", headers=other).status_code == 404


def test_the_status_filter_and_the_status_shown_follow_one_rule(site):
    with site.db() as session:
        team = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.name == "水电维修班"))
        for number, started_on in (("E01", date(2025, 1, 1)), ("E02", date(2026, 12, 1))):  # E02 starts next month
            register.create(session, actor="admin", school_id=site.school_id, data=register.StaffInput(
                number=number, name="王师傅", unit_id=team, post_id=None, started_on=started_on))
    http, supervisor = site.app.test_client(), _token(site, "supervisor")

    def listed(status: str) -> list[tuple[str, str]]:
        body = http.get(f"/api/v1/staff?status={status}", headers=supervisor).get_json()
        return [(p["number"], p["status"]) for p in body["staff"]]

    assert listed("active") == [("E01", "active")]
    assert listed("starting") == [("E02", "starting")]
    assert listed("left") == []
    assert listed("") == [("E01", "active"), ("E02", "starting")]


# Certificates of each colour on the frozen school day, 16 November 2026 (expiring: the last valid day is less than
# 30 days off), by number: (last valid day, waiting for review, the status the process has set since).
BY_COLOUR = {
    "valid": {"V-FAR": (date(2027, 6, 1), False, None), "V-30-DAYS": (date(2026, 12, 16), False, None)},
    "expiring": {"Y-29-DAYS": (date(2026, 12, 15), False, None), "Y-TODAY": (date(2026, 11, 16), False, None)},
    "expired": {"R-YESTERDAY": (date(2026, 11, 15), False, None),
                "R-MARKED": (date(2027, 3, 1), False, CertificateStatus.expired)},
    "pending": {"P-WAITING": (date(2027, 1, 10), True, None)},
}


def _certificates_of_every_colour(site) -> None:
    with site.db() as session:
        team = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.name == "水电维修班"))
        kind = CertificateType(school_id=site.school_id, code="op", name_zh="电工证", name_en="Electrician's certificate")
        session.add(kind)
        session.flush()
        person = register.create(session, actor="admin", school_id=site.school_id, data=register.StaffInput(
            number="E01", name="王师傅", unit_id=team, post_id=None, started_on=date(2025, 1, 1)))
        for number, (until, review, status) in [item for shown in BY_COLOUR.values() for item in shown.items()]:
            added = certificates.add(session, site.runtime.host, actor="admin", user_id=None, person=person, review=review,
                                     data=certificates.CertificateInput(type_id=kind.id, number=number, issuer="应急管理局",
                                                                        valid_from=date(2024, 1, 1), valid_until=until))
            added.status = status or added.status


def test_each_colour_lists_exactly_its_certificates_soonest_expiry_first(site):
    _certificates_of_every_colour(site)
    http, supervisor = site.app.test_client(), _token(site, "supervisor")
    for colour, shown in BY_COLOUR.items():
        listed = http.get(f"/api/v1/certificates?colour={colour}", headers=supervisor).get_json()
        assert [c["number"] for c in listed["certificates"]] == sorted(shown, key=lambda n: shown[n][0]), colour
        assert {c["colour"] for c in listed["certificates"]} == {colour} and listed["total"] == len(shown)
    every = http.get("/api/v1/certificates", headers=supervisor).get_json()
    assert every["total"] == sum(len(shown) for shown in BY_COLOUR.values())


def test_a_colour_reads_one_page_of_certificates_not_all_of_them(site):
    _certificates_of_every_colour(site)
    http, supervisor = site.app.test_client(), _token(site, "supervisor")
    http.get("/api/v1/certificates?colour=valid", headers=supervisor)  # the token's "last used" written
    with statements(site.runtime.db_engine) as sent:
        page = http.get("/api/v1/certificates?colour=expired&per_page=1", headers=supervisor).get_json()
    assert [c["number"] for c in page["certificates"]] == ["R-YESTERDAY"] and page["total"] == 2
    rows_read = [s for s in sent if s.startswith("SELECT certificate.id")]
    assert len(rows_read) == 1 and " LIMIT " in rows_read[0], rows_read
