"""Login throttling (webapp/throttle.py): wrong passwords for one account lock that account for a while, whoever
tries next and from wherever; too many attempts from one address lock that address; a refused attempt gets the
login page again with 429 and when to try again, in the visitor's language, and costs no password check; the
locks lift with the clock; the token API is not throttled."""
from __future__ import annotations

from datetime import timedelta

import pytest
from limits import parse
from websupport import Client, csrf_from

import webapp.auth
from webapp.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT
from workflows.demo import DEMO_PASSWORD

ACCOUNT = parse(ACCOUNT_LIMIT)
ADDRESS = parse(ADDRESS_LIMIT)
REFUSED_EN = "Too many attempts. Try again in %d minutes."
REFUSED_ZH = "尝试次数过多，请 %d 分钟后再试。"


@pytest.fixture
def password_checks(monkeypatch):
    """The usernames whose password was checked (the real check still runs)."""
    checked: list[str] = []
    real = webapp.auth.authenticate

    def counting(session, *, username, password):
        checked.append(username)
        return real(session, username=username, password=password)

    monkeypatch.setattr(webapp.auth, "authenticate", counting)
    return checked


def login_page(site, *, lang: str | None = "en", address: str = "127.0.0.1") -> Client:
    client = Client(site.app.test_client())
    client.http.environ_base["REMOTE_ADDR"] = address
    client.page("/login?lang=%s" % lang if lang else "/login")
    return client


def attempt(client: Client, username: str, password: str = DEMO_PASSWORD):
    return client.http.post("/login", data={"csrf_token": csrf_from(client.page("/login")), "username": username,
                                            "password": password})


def fail_account(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong password")
        assert response.status_code == 200
        assert "Wrong username or password." in response.get_data(as_text=True)


def test_wrong_passwords_lock_the_account_not_the_others(site, password_checks):
    client = login_page(site)
    fail_account(client, "requester", ACCOUNT.amount)
    assert len(password_checks) == ACCOUNT.amount

    refused = attempt(client, "requester")  # the right password, too late
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert REFUSED_EN % (ACCOUNT.get_expiry() // 60) in page
    assert 'name="username"' in page and 'name="password"' in page  # the login form again
    assert attempt(client, "Requester").status_code == 429  # the account, however it is spelt
    assert attempt(login_page(site, address="10.0.0.9"), "requester").status_code == 429  # from anywhere
    assert len(password_checks) == ACCOUNT.amount  # refused attempts check no password

    # Someone else behind the same address still logs in; so does the account once the window has passed.
    assert attempt(login_page(site), "worker").status_code == 302
    site.traveller.shift(timedelta(seconds=ACCOUNT.get_expiry() - 5 * 60))
    assert REFUSED_EN % 5 in attempt(client, "requester").get_data(as_text=True)
    site.traveller.shift(timedelta(minutes=5, seconds=1))
    assert attempt(client, "requester").status_code == 302


def test_successful_logins_do_not_count_against_the_account(site):
    for _ in range(ACCOUNT.amount + 2):
        assert attempt(login_page(site), "requester").status_code == 302
    fail_account(login_page(site), "requester", ACCOUNT.amount - 1)
    assert attempt(login_page(site), "requester").status_code == 302


def test_too_many_attempts_lock_the_address(site, password_checks):
    client = login_page(site)
    wrong = ACCOUNT.amount - 1  # never enough to lock one account
    for n in range(ADDRESS.amount):
        expected = 302 if n % (wrong + 1) == wrong else 200
        username = "worker" if expected == 302 else f"guess{n // (wrong + 1)}"
        assert attempt(client, username, DEMO_PASSWORD if expected == 302 else "wrong").status_code == expected
    assert len(password_checks) == ADDRESS.amount

    refused = attempt(login_page(site), "leader")
    assert refused.status_code == 429
    assert REFUSED_EN % (ADDRESS.get_expiry() // 60) in refused.get_data(as_text=True)
    assert len(password_checks) == ADDRESS.amount
    assert attempt(login_page(site, address="10.0.0.9"), "leader").status_code == 302  # other addresses log in

    site.traveller.shift(timedelta(seconds=ADDRESS.get_expiry() + 1))
    assert attempt(login_page(site), "leader").status_code == 302


def test_the_refusal_is_in_the_visitors_language(site):
    client = login_page(site, lang=None)  # Chinese by default
    for _ in range(ACCOUNT.amount):
        assert attempt(client, "requester", "wrong").status_code == 200
    refused = attempt(client, "requester")
    assert refused.status_code == 429
    assert REFUSED_ZH % (ACCOUNT.get_expiry() // 60) in refused.get_data(as_text=True)


def test_each_app_counts_for_itself(site, tmp_path):
    """The counters belong to the app: another app (a test's, a second embedded instance) starts from nothing."""
    from websupport import open_site

    fail_account(login_page(site), "requester", ACCOUNT.amount)
    assert attempt(login_page(site), "requester").status_code == 429
    (tmp_path / "other").mkdir()
    with open_site(tmp_path / "other") as other:
        assert attempt(login_page(other), "requester").status_code == 302
    assert attempt(login_page(site), "requester").status_code == 429


def test_the_token_api_is_not_throttled(site):
    http = site.app.test_client()
    for _ in range(ADDRESS.amount + 5):
        assert http.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"}).status_code == 401


@pytest.mark.parametrize(("redis_url", "storage"), [("redis://127.0.0.1:6379/15", "RedisStorage"), (None, "MemoryStorage")])
def test_the_counters_live_in_redis_when_the_app_has_one(redis_url, storage):
    """Redis is shared by every gunicorn worker; the embedded mode (one process, no Redis) counts in memory."""
    from flask import Flask

    from webapp import throttle

    app = Flask(__name__)
    app.add_url_rule("/login", "auth.login", lambda: "", methods=["GET", "POST"])
    assert type(throttle.init_app(app, redis_url=redis_url).storage).__name__ == storage  # no connection made yet
