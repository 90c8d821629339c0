"""The demo register: about forty people, staffing plans the cleaners and guards fall short of, certificates expiring within
the month and one expired — and the dashboard's staff cards read them, each with its drill-down list's size."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.clock import now
from engine.db import unit_of_work
from workflows.demo_staff import seed_staff
from workflows.people.timezone import local_today
from workflows.staff import figures, staffing
from workflows.staff.certificates import EXPIRING_WITHIN
from workflows.staff.models import StaffMember


def test_the_demo_register_has_a_shortfall_expiring_and_expired_certificates(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        assert seed_staff(session, scenario.host, school_id=scenario.school_id)
        assert not seed_staff(session, scenario.host, school_id=scenario.school_id)  # once
    with unit_of_work(scenario.host.session_factory) as session:
        school = scenario.school_id
        today = local_today(session, school)
        assert 35 <= session.scalar(select(func.count(StaffMember.id))) <= 45
        rows = staffing.by_unit_and_post(session, school_id=school, on=today)
        short = sorted((s for s in rows.values() if s.active * 100 < 90 * s.planned), key=lambda s: s.planned)
        assert short == [staffing.Staffing(planned=8, active=7), staffing.Staffing(planned=12, active=8)]  # guards, cleaners
        shown = scenario.runtime.modules.figures(session, school_id=school, start=now() - timedelta(days=30), end=now(),
                                                 at=now(), rules=scenario.runtime.rules)
        cards = {f.key: f for module, found in shown if module.name == "staff" for f in found}
        total = staffing.total(rows)
        assert cards[figures.STAFFING_RATE].value == round(100 * total.active / total.planned)
        concerned, missing = figures.certification(session, school_id=school, on=today)
        assert len(missing) == 1 and cards[figures.CERTIFIED_RATE].value == round(100 * (concerned - 1) / concerned)
        expiring = figures.expiring(session, school_id=school, on=today, within=EXPIRING_WITHIN)
        assert cards[figures.EXPIRING].value == len(expiring) >= 2
        assert cards[figures.EXPIRING].link == ("staffing.figure", {"key": figures.EXPIRING, "on": today.isoformat()})
