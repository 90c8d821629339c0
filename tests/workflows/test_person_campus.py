"""A person's campus is one of their school's: a campus of another school is refused when the account is created
or edited and nothing changes; a campus of the school is kept, and the change is audited before and after."""
from __future__ import annotations

import pytest
from factories import campus_named, campus_of_another_school
from sqlalchemy import select

from engine.db import unit_of_work
from engine.models import AuditEvent
from workflows.people.accounts import AccountError, PeopleFilter, create_person, people_page, update_person
from workflows.people.models import User

PROFILE = {"display_name": "赵晓东", "number": "T2001", "kind": "staff"}


def test_a_campus_of_another_school_is_refused_on_creating_and_on_editing(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        foreign = campus_of_another_school(session, "本部校区")
        with pytest.raises(AccountError) as refused:
            create_person(session, actor="admin", school_id=scenario.school_id, username="zhao", password="first-pass-1",
                          campus_id=foreign, **PROFILE)
        assert refused.value.code == "bad_campus"
        assert session.scalar(select(User.id).where(User.username == "zhao")) is None

        lake = campus_named(session, scenario.school_id, "南湖校区")
        person = create_person(session, actor="admin", school_id=scenario.school_id, username="zhao",
                               password="first-pass-1", campus_id=lake, **PROFILE)
        with pytest.raises(AccountError) as refused:
            update_person(session, actor="admin", user=person, campus_id=foreign, **PROFILE)
        assert refused.value.code == "bad_campus" and person.campus_id == lake

        main = campus_named(session, scenario.school_id, "本部校区")
        assert main not in (None, foreign)  # the school's own campus of the name, not the other school's
        update_person(session, actor="admin", user=person, campus_id=main, **PROFILE)
        assert person.campus_id == main
        change = session.scalars(select(AuditEvent).where(AuditEvent.action == "admin.user.update")
                                 .order_by(AuditEvent.id.desc())).first()
        assert (change.details["before"], change.details["after"]) == ({"campus_id": lake}, {"campus_id": main})


def test_the_people_list_filters_by_campus_and_finds_those_without_one(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        lake = campus_named(session, scenario.school_id, "南湖校区")
        create_person(session, actor="admin", school_id=scenario.school_id, username="zhao", password="first-pass-1",
                      campus_id=lake, **PROFILE)
        create_person(session, actor="admin", school_id=scenario.school_id, username="qian", password="first-pass-1",
                      display_name="钱思远", number="T2002", kind="staff")

        def usernames(**flt) -> set[str]:
            return {u.username for u in people_page(session, school_id=scenario.school_id, flt=PeopleFilter(**flt)).rows}

        assert usernames(campus_id=lake) == {"zhao"}
        nowhere = usernames(without_campus=True)
        assert "qian" in nowhere and "zhao" not in nowhere
        assert {"zhao", "qian"} <= usernames()
