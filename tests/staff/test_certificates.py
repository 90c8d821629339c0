"""A certificate's process on PostgreSQL with frozen time: the person and the unit's leader are reminded exactly
60, 30 and 7 days before it expires; at expiry the worker is refused on the dispatch form of an item requiring the
certificate, with the reason; an approved renewal restores them and restarts the reminder clock."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from staff_story import certificate, electrician, renew

from engine.db import unit_of_work
from engine.models import HumanTask
from forms.builder import validate_mapping
from workflows.staff.certificates import CertificateError
from workflows.staff.enums import CertificateStatus
from workflows.staff.readmodel import certificate_by_key

EXPIRY = datetime(2027, 2, 28, 16, 0, tzinfo=UTC)  # valid until 28 Feb 2027: expires at midnight, Beijing time
EXPIRING, EXPIRED = "staff.certificate_expiring", "staff.certificate_expired"


def _dispatch_check(scenario, number: str, worker_id: int) -> tuple[bool, dict]:
    """The dispatch form of order ``number`` validated with ``worker_id`` chosen, as the task page does."""
    with unit_of_work(scenario.host.session_factory) as session:
        task = session.scalar(select(HumanTask).where(HumanTask.business_key == number, HumanTask.task_name == "dispatch"))

        def source(name):
            return scenario.runtime.form_sources.for_task(name, task.business_key)(
                session, school_id=task.school_id, org_unit_id=task.org_unit_id, locale="en")

        valid, errors, _cleaned = validate_mapping(scenario.runtime.forms["repair_dispatch"], {
            "team_id": str(scenario.order(number).team_id), "worker_id": str(worker_id)}, source=source)
        return valid, errors


def test_reminders_at_exactly_60_30_and_7_days_then_refused_at_expiry_then_restored_by_renewal(scenario):
    story = electrician(scenario, valid_until=date(2027, 2, 28))
    worker, deputy = scenario.user("worker"), scenario.user("deputy")
    for days, count in ((60, 1), (30, 2), (7, 3)):
        moment = EXPIRY - timedelta(days=days)
        scenario.advance_to(moment - timedelta(seconds=1))
        assert len(scenario.outbox(story.key, EXPIRING)) == count - 1, days
        scenario.advance_to(moment + timedelta(seconds=2))
        sent = scenario.outbox(story.key, EXPIRING)
        assert len(sent) == count, days
        assert sent[-1].payload["days"] == days and moment <= sent[-1].created_at <= moment + timedelta(seconds=2)
        assert sent[-1].recipients["users"] == [worker.id] and sent[-1].recipients["roles"] == ["deputy_leader"]
    assert len(scenario.notifications("deputy", EXPIRING)) == 3 and deputy.id
    assert len(scenario.notifications("worker", EXPIRING)) == 3

    scenario.advance_to(EXPIRY - timedelta(hours=2))  # still the last valid day: the worker may be dispatched
    number = scenario.report("配电箱跳闸", item_code="W03")
    scenario.do(number, "review", "auditor", decision="accept")
    assert _dispatch_check(scenario, number, worker.id) == (True, {})

    scenario.advance_to(EXPIRY + timedelta(seconds=2))
    assert certificate(scenario, story.certificate_id).status == CertificateStatus.expired
    assert len(scenario.outbox(story.key, EXPIRED)) == 1
    valid, errors = _dispatch_check(scenario, number, worker.id)
    assert not valid
    assert errors["worker_id"] == ["刘建军 may not be dispatched to this item: Special operation certificate: electrician "
                                   "expired on 2027-02-28"]
    other = scenario.report("水管漏水", item_code="W01")  # an item that requires nothing: still dispatched
    scenario.do(other, "review", "auditor", decision="accept")
    assert _dispatch_check(scenario, other, worker.id) == (True, {})

    renewal_id = renew(scenario, story.certificate_id, valid_until=date(2030, 2, 28))
    assert certificate(scenario, renewal_id).status == CertificateStatus.pending_review
    assert not _dispatch_check(scenario, number, worker.id)[0]  # not before the review
    scenario.do(story.key, "review", "deputy", decision="approve")
    assert certificate(scenario, renewal_id).status == CertificateStatus.active
    assert certificate(scenario, story.certificate_id).status == CertificateStatus.superseded  # kept, replaced
    assert _dispatch_check(scenario, number, worker.id) == (True, {})

    new_expiry = datetime(2030, 2, 28, 16, 0, tzinfo=UTC)  # the reminder clock counts from the new validity
    scenario.advance_to(new_expiry - timedelta(days=60, seconds=1))
    assert len(scenario.outbox(story.key, EXPIRING)) == 3
    scenario.advance_to(new_expiry - timedelta(days=60) + timedelta(seconds=2))
    assert len(scenario.outbox(story.key, EXPIRING)) == 4


def test_a_renewal_while_in_force_replaces_the_certificate_and_a_refused_one_changes_nothing(scenario):
    story = electrician(scenario, valid_until=date(2027, 2, 28))
    scenario.advance_to(EXPIRY - timedelta(days=20))
    first = renew(scenario, story.certificate_id, valid_until=date(2030, 2, 28))
    with pytest.raises(CertificateError):  # one renewal at a time
        renew(scenario, story.certificate_id, valid_until=date(2031, 2, 28))
    scenario.do(story.key, "review", "deputy", decision="reject", note="扫描件不清晰")
    assert certificate(scenario, first).status == CertificateStatus.rejected
    assert certificate(scenario, story.certificate_id).status == CertificateStatus.active
    reminded = len(scenario.outbox(story.key, EXPIRING))
    scenario.advance_to(EXPIRY - timedelta(days=19))  # the watch started again: no reminder sent twice
    assert len(scenario.outbox(story.key, EXPIRING)) == reminded

    second = renew(scenario, story.certificate_id, valid_until=date(2030, 2, 28))
    scenario.do(story.key, "review", "deputy", decision="approve")
    assert certificate(scenario, second).status == CertificateStatus.active
    assert certificate(scenario, story.certificate_id).status == CertificateStatus.superseded
    scenario.advance_to(EXPIRY + timedelta(days=1))
    assert scenario.outbox(story.key, EXPIRED) == []  # the replaced certificate no longer expires on anyone


def _about_now(scenario, key: str) -> int:
    """The certificate the process ``key`` (and its API resource) is about."""
    with unit_of_work(scenario.host.session_factory) as session:
        return certificate_by_key(session, school_id=scenario.school_id, key=key).id


def test_a_process_is_about_its_newest_certificate_the_renewal_while_it_waits(scenario):
    story = electrician(scenario, valid_until=date(2027, 2, 28))
    scenario.advance_to(EXPIRY - timedelta(days=20))
    refused = renew(scenario, story.certificate_id, valid_until=date(2030, 2, 28))
    assert _about_now(scenario, story.key) == refused
    scenario.do(story.key, "review", "deputy", decision="reject", note="扫描件不清晰")
    assert _about_now(scenario, story.key) == story.certificate_id  # the refused renewal is left out
    approved = renew(scenario, story.certificate_id, valid_until=date(2030, 2, 28))
    scenario.do(story.key, "review", "deputy", decision="approve")
    assert _about_now(scenario, story.key) == approved


def test_nobody_is_reminded_of_a_leavers_certificate(scenario):
    from workflows.staff import register
    from workflows.staff.models import StaffMember

    story = electrician(scenario, valid_until=date(2027, 2, 28))
    with unit_of_work(scenario.host.session_factory) as session:
        register.leave(session, actor="admin", person=session.get(StaffMember, story.staff_id), left_on=date(2026, 12, 1),
                       reason="辞职")
    scenario.advance_to(EXPIRY + timedelta(days=1))
    assert scenario.outbox(story.key, EXPIRING) == [] and scenario.outbox(story.key, EXPIRED) == []
    assert certificate(scenario, story.certificate_id).status == CertificateStatus.expired  # still recorded
