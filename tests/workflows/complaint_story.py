"""Complaints in a scenario: made by a demo user about the demo company, read back as pages read them."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.complaints.models import Complaint
from workflows.complaints.service import Intake, submit
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit


def company_id(scenario) -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == scenario.school_id,
                                                       OrgUnit.kind == UnitKind.service_unit))


def complain(scenario, *, by: str | None = "requester", description: str = "食堂打饭师傅态度恶劣", urgent: bool = False,
             anonymous: bool = False, **extra) -> str:
    person = scenario.user(by) if by else None
    with unit_of_work(scenario.host.session_factory) as session:
        intake = Intake(kind="complaint", category="attitude", channel=extra.pop("channel", "portal"), description=description,
                        complainant_id=person.id if person else None, anonymous=anonymous,
                        contact_name=extra.pop("contact_name", person.display_name if person else ""),
                        contact_phone="13800000001",
                        target_unit_id=extra.pop("target_unit_id", company_id(scenario)), urgent=urgent, **extra)
        return submit(session, scenario.host, school_id=scenario.school_id, intake=intake).number


def complaint(scenario, number: str) -> Complaint:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.scalar(select(Complaint).where(Complaint.number == number))
