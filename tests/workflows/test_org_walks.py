"""The walk up the org chart that complaints and inspections read a unit's people by: the unit and the units above
it, never a unit beside or below it."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit
from workflows.people.orgchart import create_unit
from workflows.people.service import unit_and_above


def test_the_walk_up_takes_the_unit_and_every_unit_above_it_only(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        company = session.scalar(select(OrgUnit).where(OrgUnit.school_id == scenario.school_id,
                                                       OrgUnit.kind == UnitKind.service_unit))
        lifts = create_unit(session, actor="admin", school_id=scenario.school_id, name="电梯维修班", kind=UnitKind.team,
                            parent_id=company.id)
        crew = create_unit(session, actor="admin", school_id=scenario.school_id, name="电梯一组", kind=UnitKind.team,
                           parent_id=lifts.id)
        assert unit_and_above(session, crew.id) == {crew.id, lifts.id, company.id}
        assert unit_and_above(session, lifts.id) == {lifts.id, company.id}
        assert unit_and_above(session, company.id) == {company.id}
