"""The staff register's tables as migration 0027 creates them: a person, their post and certificate, a staffing
plan; a staff number is unique in its school only; leaving keeps the person."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflows.staff.enums import CertificateStatus, EmploymentKind, StaffStatus
from workflows.staff.models import (
    Certificate,
    CertificateType,
    Post,
    PostCertificateType,
    StaffingPlan,
    StaffMember,
    in_service_on,
    with_status,
)


@pytest.fixture
def pg(runtime, migrated_pg_url):
    return runtime(migrated_pg_url)


def _register(session, school_id: int, unit_id: int) -> StaffMember:
    post = Post(school_id=school_id, code="electrician", name_zh="电工", name_en="Electrician")
    kind = CertificateType(school_id=school_id, code="op-electric", name_zh="特种作业操作证-电工",
                           name_en="Special operation certificate: electrician")
    session.add_all([post, kind])
    session.flush()
    session.add(PostCertificateType(post_id=post.id, certificate_type_id=kind.id))
    person = StaffMember(school_id=school_id, unit_id=unit_id, number="E001", name="王师傅", post_id=post.id,
                         kind=EmploymentKind.outsourced, contractor="某物业公司", started_on=date(2026, 1, 5))
    session.add(person)
    session.flush()
    session.add(Certificate(school_id=school_id, business_key="ZS000001", staff_id=person.id, type_id=kind.id, number="T123",
                            valid_from=date(2024, 1, 1), valid_until=date(2027, 1, 1), status=CertificateStatus.active))
    session.add(StaffingPlan(school_id=school_id, unit_id=unit_id, post_id=post.id, shift="白班", headcount=3,
                             effective_from=date(2026, 1, 1)))
    return person


def test_a_person_with_post_certificate_and_plan_is_stored(pg):
    people = pg.people()
    with pg.session() as session:
        person = _register(session, people.school_id, people.unit_id)
        person.left_on = date(2026, 6, 1)
    with pg.session() as session:
        stored = session.scalars(select(StaffMember)).one()
        assert stored.kind == EmploymentKind.outsourced and stored.contractor == "某物业公司"
        assert stored.is_active(date(2026, 5, 31)) and not stored.is_active(date(2026, 6, 1))
        assert stored.status(date(2026, 6, 1)) == StaffStatus.left
        cert = session.scalars(select(Certificate)).one()
        assert cert.staff_id == stored.id and cert.status == CertificateStatus.active and cert.review_note == ""
        assert session.scalars(select(StaffingPlan)).one().headcount == 3


def test_staff_number_is_unique_in_its_school_only(pg):
    people = pg.people()
    other = pg.people()
    with pg.session() as session:
        _register(session, people.school_id, people.unit_id)
    with pg.session() as session:  # the same number in another school is another person
        session.add(StaffMember(school_id=other.school_id, unit_id=other.unit_id, number="E001", name="李",
                                started_on=date(2026, 1, 1)))
    with pytest.raises(IntegrityError), pg.session() as session:
        session.add(StaffMember(school_id=people.school_id, unit_id=people.unit_id, number="E001", name="张",
                                started_on=date(2026, 1, 1)))
        session.flush()



def test_a_person_who_left_last_month_is_not_in_service_today_but_was_before_leaving(pg):
    people = pg.people()
    today, left_on = date(2026, 11, 16), date(2026, 10, 20)
    with pg.session() as session:
        _register(session, people.school_id, people.unit_id).left_on = left_on
    with pg.session() as session:
        def serving(day: date) -> list[str]:
            return list(session.scalars(select(StaffMember.number).where(in_service_on(day))))

        assert serving(today) == [] and serving(left_on) == []  # the leaving day is the first one no longer here
        assert serving(date(2026, 10, 19)) == ["E001"] and serving(date(2026, 1, 5)) == ["E001"]
        assert serving(date(2026, 1, 4)) == []  # not started yet
        person = session.scalars(select(StaffMember)).one()
        assert [person.is_active(day) for day in (today, left_on, date(2026, 10, 19), date(2026, 1, 4))] == \
            [False, False, True, False]  # the same answers in Python


def test_a_person_who_starts_next_month_is_starting_not_in_service_in_python_and_in_sql_alike(pg):
    people = pg.people()
    with pg.session() as session:
        person = _register(session, people.school_id, people.unit_id)
        person.started_on, person.left_on = date(2026, 12, 1), date(2027, 3, 1)
    with pg.session() as session:
        person = session.scalars(select(StaffMember)).one()
        days = (date(2026, 11, 16), date(2026, 12, 1), date(2027, 2, 28), date(2027, 3, 1))
        assert [person.status(day) for day in days] == \
            [StaffStatus.starting, StaffStatus.active, StaffStatus.active, StaffStatus.left]
        assert [person.is_active(day) for day in days] == [False, True, True, False]
        for day in days:  # the register's filter and the rows it shows agree with the person's status that day
            assert {status: session.scalar(select(StaffMember.number).where(with_status(status, day)))
                    for status in StaffStatus} == {status: "E001" if status == person.status(day) else None
                                                   for status in StaffStatus}
