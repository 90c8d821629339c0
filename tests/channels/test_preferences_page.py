"""The notification settings page: e-mail can be switched off (and then nothing is e-mailed), quiet hours saved,
in-app cannot be switched off, CSRF required."""
from __future__ import annotations

from datetime import time

from engine.wakeups import send_pending
from workflows.notifications.models import NotificationPreference, QuietHours
from workflows.people.models import User

from .conftest import notify
from .test_webhooks import CSRF, web_login


def test_settings_page_switches_email_off_and_sets_quiet_hours(mail_app, smtp_server, clock):
    rt = mail_app.harness
    people = rt.people()
    with rt.session() as session:
        for uid, address in ((people.clerk_id, "clerk@school.test"), (people.supervisor_id, "super@school.test")):
            session.get(User, uid).email = address
    client = mail_app.test_client()
    web_login(client, "clerk-1", "pw-clerk")

    page = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert "In the app (always on)" in page and "clerk@school.test" in page
    assert 'name="email"' in page and "checked" in page.split('name="email"')[0].rsplit("<input", 1)[1] + \
        page.split('name="email"')[1].split(">", 1)[0]
    assert client.post("/notifications/settings", data={"quiet_start": "22:00", "quiet_end": "07:00"}).status_code == 400

    token = CSRF.search(page).group(1)
    bad = client.post("/notifications/settings", data={"csrf_token": token, "email": "y", "quiet_start": "22:00"})
    assert bad.status_code == 200 and "Give both times of the quiet hours, or neither." in bad.get_data(as_text=True)

    saved = client.post("/notifications/settings", data={"csrf_token": token, "quiet_start": "22:00", "quiet_end": "07:00"})
    assert saved.status_code == 302
    with rt.session() as session:
        [pref] = session.query(NotificationPreference).filter_by(user_id=people.clerk_id, kind="").all()
        assert (pref.channel, pref.enabled) == ("email", False)
        hours = session.get(QuietHours, people.clerk_id)
        assert (hours.start, hours.end) == (time(22, 0), time(7, 0))
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'value="22:00"' in page

    notify(rt, people.school_id, kind="repair.review_overdue", users=[people.clerk_id, people.supervisor_id])
    assert [m.recipients["users"] for m in rt.outbox() if m.channel == "email"] == [[people.supervisor_id]]
    assert send_pending(rt.host) == 1
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == ["super@school.test"]

    # switched on again, and the quiet hours cleared
    client.post("/notifications/settings", data={"csrf_token": token, "email": "y", "quiet_start": "", "quiet_end": ""})
    with rt.session() as session:
        assert session.query(NotificationPreference).filter_by(user_id=people.clerk_id, kind="").one().enabled
        assert session.get(QuietHours, people.clerk_id) is None


def test_without_an_address_email_cannot_be_switched_on(mail_app, clock):
    rt = mail_app.harness
    rt.people()
    client = mail_app.test_client()
    web_login(client, "worker-1", "pw-worker")
    page = client.get("/notifications/settings?lang=en").get_data(as_text=True)
    assert "Your account has no e-mail address." in page and 'name="email"' not in page
    token = CSRF.search(page).group(1)
    assert client.post("/notifications/settings", data={"csrf_token": token, "email": "y"}).status_code == 302
    with rt.session() as session:
        assert not session.query(NotificationPreference).filter_by(channel="email").one().enabled
