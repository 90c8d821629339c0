"""A session ends for good: after logging out, a password reset or deactivation, a copy of the old session
cookie opens nothing."""
from __future__ import annotations

from websupport import DEMO_PASSWORD, csrf_from


def _copy_of(site, client):
    """Another browser holding a captured copy of ``client``'s session cookie."""
    thief = site.client()
    cookie = client.http.get_cookie("session")
    thief.http.set_cookie("session", cookie.value)
    return thief


def test_logging_out_ends_the_session_everywhere_and_a_copied_cookie_stops_working(site):
    worker = site.client("worker")
    thief = _copy_of(site, worker)
    assert thief.get("/").status_code == 200  # the copy works while the session lasts
    assert worker.http.post("/logout", data={"csrf_token": csrf_from(worker.page("/"))}).status_code == 302
    assert thief.get("/").status_code == 302 and worker.get("/").status_code == 302
    assert site.client("worker").get("/").status_code == 200  # logging in again works


def test_a_password_reset_or_deactivation_ends_the_accounts_sessions(site):
    from engine.actor import Actor
    from workflows.people.accounts import deactivate_person, reset_password
    from workflows.people.models import User

    auditor = site.client("auditor")
    with site.db() as session:
        reset_password(session, actor="admin", user=session.get(User, site.user("auditor").id))
    assert auditor.get("/").status_code == 302

    requester = site.client("requester")
    with site.db() as session:
        deactivate_person(session, actor=Actor(id=None, name="admin"), user=session.get(User, site.user("requester").id))
    assert requester.get("/").status_code == 302


def test_staying_logged_in_keeps_a_phone_logged_in_for_14_days_until_it_logs_out(site):
    """A browser that drops its session cookie (WeChat's own, on a phone) comes back logged in by the remember-me
    cookie it asked for; logging out anywhere ends that cookie too."""
    from datetime import UTC, datetime, timedelta

    phone = site.client()
    response = phone.http.post("/login", data={"csrf_token": csrf_from(phone.page("/login")), "username": "requester",
                                               "password": DEMO_PASSWORD, "remember": "y"})
    assert response.status_code == 302
    remembered = phone.http.get_cookie("remember_token")
    assert remembered is not None and remembered.http_only
    left = remembered.expires - datetime.now(UTC)
    assert timedelta(days=13, hours=23) < left <= timedelta(days=14)
    again = site.client()  # the session cookie is gone, the remember-me cookie is not
    again.http.set_cookie("remember_token", remembered.value)
    assert again.get("/").status_code == 200
    assert phone.http.post("/logout", data={"csrf_token": csrf_from(phone.page("/"))}).status_code == 302
    stale = site.client()
    stale.http.set_cookie("remember_token", remembered.value)
    assert stale.get("/").status_code == 302

    plain = site.client("requester")  # without the box ticked, no remember-me cookie
    assert plain.http.get_cookie("remember_token") is None


def test_the_next_person_logging_in_without_staying_clears_a_remember_me_cookie_left_in_the_browser(site):
    """A shared counter computer: the first clerk stayed logged in, the next logs in without it; once the next
    one's session ends, the browser is nobody's, not the first clerk's again."""
    counter = site.client()
    counter.http.post("/login", data={"csrf_token": csrf_from(counter.page("/login")), "username": "clerk",
                                      "password": DEMO_PASSWORD, "remember": "y"})
    assert counter.http.get_cookie("remember_token") is not None
    counter.http.delete_cookie("session")
    response = counter.http.post("/login", data={"csrf_token": csrf_from(counter.page("/login")),
                                                 "username": "requester", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    counter.get("/")  # the answer after that login carries the cookie's removal
    assert counter.http.get_cookie("remember_token") is None
    counter.http.delete_cookie("session")
    assert counter.get("/").status_code == 302  # to the login page: no one is logged in
