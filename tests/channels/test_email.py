"""E-mail notifications: a real SMTP server on loopback receives the reminder in each recipient's language;
quiet hours hold back non-urgent e-mails only; a re-run of the in-app send queues nothing twice."""
from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import select

from engine import outbox
from engine.models import OutboxMessage
from engine.wakeups import send_pending
from workflows.notifications import preferences
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.models import Notification
from workflows.people.models import User

from .conftest import notify


def _set_user(rt, user_id: int, **values) -> None:
    with rt.session() as session:
        user = session.get(User, user_id)
        for name, value in values.items():
            setattr(user, name, value)


def _rows(rt, channel: str) -> list[OutboxMessage]:
    return [m for m in rt.outbox() if m.channel == channel]


def test_reminder_email_reaches_the_smtp_server_in_each_recipients_language(mail_rt, smtp_server, clock):
    people = mail_rt.people()
    _set_user(mail_rt, people.clerk_id, email="clerk@school.test", locale="en")
    _set_user(mail_rt, people.supervisor_id, email="super@school.test", locale="zh_CN")
    # the worker has no address: in-app only
    iid = notify(mail_rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id, people.worker_id],
                 roles=["supervisor"])

    [source] = _rows(mail_rt, "inapp")
    assert source.status == "sent"
    emails = _rows(mail_rt, "email")
    assert sorted(m.recipients["users"][0] for m in emails) == sorted([people.clerk_id, people.supervisor_id])
    assert {m.dedup_key for m in emails} == {f"outbox:{source.id}:person:{people.clerk_id}",
                                             f"outbox:{source.id}:person:{people.supervisor_id}"}
    assert all(m.status == "pending" and m.instance_id == iid for m in emails)

    assert send_pending(mail_rt.host) == 2
    by_to = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(by_to) == {"clerk@school.test", "super@school.test"}
    english, chinese = by_to["clerk@school.test"], by_to["super@school.test"]
    # .strip(): a subject of 70-odd characters is folded onto the next line whole, and read back with its space
    assert english["Subject"].strip() == "[Houqin Campus Services] Order R-20250303-0001 is still waiting for review."
    assert english["From"] == "houqin@school.test"
    assert "Hello Clerk-1," in english.get_content() and "Order: R-20250303-0001" in english.get_content()
    assert chinese["Subject"] == "【智慧后勤服务平台】工单 R-20250303-0001 仍未审核，请及时处理。"
    assert "工单号：R-20250303-0001" in chinese.get_content()
    assert all(m.status == "sent" for m in _rows(mail_rt, "email"))

    # the in-app message sent again (a redelivered task after an admin retry): no new notifications, no new e-mails
    with mail_rt.session() as session:
        session.get(OutboxMessage, source.id).status = "pending"
    with mail_rt.session() as session:
        assert outbox.send(session, mail_rt.registry, source.id) == "sent"
    assert len(_rows(mail_rt, "email")) == 2
    with mail_rt.session() as session:
        assert len(session.scalars(select(Notification)).all()) == 3
    assert send_pending(mail_rt.host) == 0
    assert len(smtp_server.messages) == 2


def test_quiet_hours_delay_a_non_urgent_email_but_not_an_urgent_one(mail_rt, smtp_server, clock):
    people = mail_rt.people()
    _set_user(mail_rt, people.clerk_id, email="clerk@school.test", locale="en")
    with mail_rt.session() as session:
        preferences.save(session, people.clerk_id, switches={PersonalChannel.email: True}, quiet_start=time(22, 0),
                         quiet_end=time(7, 30))
    clock.to(datetime(2025, 3, 3, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai

    notify(mail_rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id], order="R-1")
    notify(mail_rt, people.school_id, kind="repair.escalated", users=[people.clerk_id], order="R-2", colour="yellow")
    notify(mail_rt, people.school_id, kind="repair.escalated", users=[people.clerk_id], order="R-3", colour="red")
    notify(mail_rt, people.school_id, kind="repair.bad_rating", users=[people.clerk_id], order="R-4")

    morning = datetime(2025, 3, 3, 23, 30, tzinfo=UTC)  # 07:30 in Shanghai
    due = {m.business_key: m.next_attempt_at for m in _rows(mail_rt, "email")}
    assert due == {"R-1": morning, "R-2": morning, "R-3": clock.now, "R-4": clock.now}

    assert send_pending(mail_rt.host) == 2
    assert sorted(m["Subject"].strip() for m in smtp_server.messages) == [
        "[Houqin Campus Services] Bad rating (? of 5) on order R-4: call the requester back.",
        "[Houqin Campus Services] Order R-3 is red: please chase it."]

    clock.to(datetime(2025, 3, 3, 23, 29, tzinfo=UTC))
    assert send_pending(mail_rt.host) == 0
    clock.to(morning)
    assert send_pending(mail_rt.host) == 2
    assert len(smtp_server.messages) == 4
    assert "[Houqin Campus Services] Order R-2 is yellow: please chase it." in {m["Subject"].strip() for m in smtp_server.messages}


def test_quiet_hours_within_one_day_and_outside_them():
    hours = preferences.QuietHours(start=time(12, 0), end=time(14, 0))
    noon_utc = datetime(2025, 3, 3, 4, 30, tzinfo=UTC)  # 12:30 Shanghai
    assert preferences.quiet_until(hours, noon_utc) == datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
    assert preferences.quiet_until(hours, datetime(2025, 3, 3, 6, 0, tzinfo=UTC)) is None
    overnight = preferences.QuietHours(start=time(22, 0), end=time(7, 0))
    assert preferences.quiet_until(overnight, datetime(2025, 3, 3, 20, 0, tzinfo=UTC)) == \
        datetime(2025, 3, 3, 23, 0, tzinfo=UTC)  # 04:00 → 07:00 the same morning
    assert preferences.quiet_until(overnight, datetime(2025, 3, 3, 2, 0, tzinfo=UTC)) is None
    assert preferences.quiet_until(None, noon_utc) is None
