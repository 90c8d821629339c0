"""CAS 2.0 and 3.0 logins against a real django-cas-server: the person of the provider's school with the number
the CAS server vouched for is logged in; unknown numbers, another school's people, forged state and replayed
tickets are refused with a page and change nothing; logging out goes on to the CAS logout."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from engine.models import AuditEvent
from tests.sso.conftest import CAS_PASSWORD, NORTH, SOUTH, form_fields
from webapp.sso.providers import CasProvider
from workflows.people.models import Campus, School, User
from workflows.people.sso import SsoAction


def _signed_in_as(page: str) -> str | None:
    """The name the header's account menu shows (a bare substring could sit inside a random token)."""
    found = re.search(r'<span class="who">([^<]*)</span>', page)
    return found.group(1) if found else None


def _cas_login(site, browser, number: str, school: str = NORTH):
    """Our CAS button → the CAS login form → signed in there → back to us with a ticket; the last answer."""
    form_page = browser.get(f"{site.url}/login/cas/{school}")
    assert form_page.status_code == 200 and "password" in form_page.text, form_page.text[:500]
    fields = {**form_fields(form_page.text), "username": number, "password": CAS_PASSWORD}
    return browser.post(form_page.url, data=fields)


def _providers(cas_server, version: int = 3, **extra):
    return [CasProvider(school=NORTH, server_url=f"{cas_server.url}/", version=version, name_attribute="displayName", **extra),
            CasProvider(school=SOUTH, server_url=f"{cas_server.url}/", version=version, name_attribute="displayName")]


def _audit(site, action):
    with site.harness.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("version", [2, 3])
def test_a_cas_login_signs_in_the_person_of_that_school_with_the_number(cas_server, sso_site, version):
    site = sso_site(_providers(cas_server, version))
    browser = site.browser()
    login_page = browser.get(f"{site.url}/login")
    assert f'href="/login/cas/{NORTH}' in login_page.text and f'href="/login/cas/{SOUTH}' in login_page.text
    assert "North University" in login_page.text  # named by school: two schools have one

    landed = _cas_login(site, browser, "2024001")
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/", (landed.url, landed.text[:300])
    assert _signed_in_as(landed.text) == "Zhang"  # north's 2024001, never south's
    logins = _audit(site, SsoAction.LOGIN)
    assert [(e.actor, e.school_id, e.details["via"]) for e in logins] == [("zhang", site.schools[NORTH], "cas")]

    south = site.browser()
    assert _signed_in_as(_cas_login(site, south, "2024001", school=SOUTH).text) == "Li"


def test_an_unknown_number_and_another_schools_person_are_refused_and_nothing_changes(cas_server, sso_site):
    site = sso_site(_providers(cas_server))
    with site.harness.session() as session:
        before = session.scalar(select(User.id).order_by(User.id.desc()))
    for number in ("2099999", "2024099"):  # nobody anywhere; south's Wang, not north's
        browser = site.browser()
        refused = _cas_login(site, browser, number)
        assert refused.status_code == 403 and 'data-testid="sso-refused"' in refused.text
        assert "Admin" in refused.text  # whom to ask: the school's administrator
        assert browser.get(f"{site.url}/", allow_redirects=False).status_code == 302  # not logged in
    with site.harness.session() as session:
        assert session.scalar(select(User.id).order_by(User.id.desc())) == before
    assert [e.details["identity"] for e in _audit(site, SsoAction.REFUSED)] == ["2099999", "2024099"]


def test_an_unknown_number_becomes_a_requester_when_the_school_says_so(cas_server, sso_site):
    site = sso_site(_providers(cas_server))
    with site.harness.session() as session:
        session.get(School, site.schools[NORTH]).sso_unknown = "create"
    landed = _cas_login(site, site.browser(), "2099999")
    assert urlsplit(landed.url).path == "/" and "CAS 2099999" in landed.text
    with site.harness.session() as session:
        made = session.scalar(select(User).where(User.number == "2099999"))
        assert (made.school_id, made.display_name, [r.role for r in made.roles]) == (site.schools[NORTH], "CAS 2099999", ["requester"])
    assert len(_audit(site, SsoAction.ACCOUNT_CREATED)) == 1


def test_a_created_requester_is_put_on_the_campus_the_cas_server_names_when_the_school_has_one_of_that_name(
        cas_server, sso_site):
    site = sso_site([CasProvider(school=code, server_url=f"{cas_server.url}/", name_attribute="displayName",
                                 campus_attribute="campus") for code in (NORTH, SOUTH)])
    with site.harness.session() as session:
        for code in (NORTH, SOUTH):
            session.get(School, site.schools[code]).sso_unknown = "create"
        east = Campus(school_id=site.schools[NORTH], name="东校区")
        session.add_all([east, Campus(school_id=site.schools[SOUTH], name="西校区")])
        session.flush()
        east_id = east.id
    _cas_login(site, site.browser(), "2099999")
    _cas_login(site, site.browser(), "2099998", school=SOUTH)  # south has no 东校区
    with site.harness.session() as session:
        placed = {number: campus for number, campus in session.execute(
            select(User.number, User.campus_id).where(User.number.in_(["2099999", "2099998"])))}
        assert placed == {"2099999": east_id, "2099998": None}
    assert [(e.school_id, e.details["campus"], e.details["campus_id"]) for e in _audit(site, SsoAction.ACCOUNT_CREATED)] \
        == [(site.schools[NORTH], "东校区", east_id), (site.schools[SOUTH], "东校区", None)]


def test_an_account_of_no_campus_is_put_on_the_campus_the_cas_server_names_and_a_campus_set_is_kept(cas_server, sso_site):
    site = sso_site([CasProvider(school=code, server_url=f"{cas_server.url}/", name_attribute="displayName",
                                 campus_attribute="campus") for code in (NORTH, SOUTH)])
    with site.harness.session() as session:
        east, main = Campus(school_id=site.schools[NORTH], name="东校区"), Campus(school_id=site.schools[NORTH], name="本部")
        session.add_all([east, main])
        session.flush()
        east_id, main_id = east.id, main.id
    _cas_login(site, site.browser(), "2024001")  # Zhang, of no campus yet
    _cas_login(site, site.browser(), "2024001", school=SOUTH)  # Li, of a school with no 东校区: stays of none
    with site.harness.session() as session:
        assert session.get(User, site.people["zhang"]).campus_id == east_id
        assert session.get(User, site.people["li"]).campus_id is None
        session.get(User, site.people["zhang"]).campus_id = main_id  # an administrator moves Zhang
    _cas_login(site, site.browser(), "2024001")  # the CAS server still says 东校区: the administrator's campus stays
    with site.harness.session() as session:
        assert session.get(User, site.people["zhang"]).campus_id == main_id
    assert [(e.actor, e.school_id, e.details["via"], e.details["campus"], e.details["campus_id"])
            for e in _audit(site, SsoAction.CAMPUS_SET)] == [("zhang", site.schools[NORTH], "cas", "东校区", east_id)]
    assert _audit(site, SsoAction.ACCOUNT_CREATED) == []


def test_an_inactive_account_is_refused(cas_server, sso_site):
    site = sso_site(_providers(cas_server))
    with site.harness.session() as session:
        session.get(User, site.people["zhang"]).active = False
    assert _cas_login(site, site.browser(), "2024001").status_code == 403


def test_a_forged_state_or_a_replayed_ticket_is_refused(cas_server, sso_site):
    site = sso_site(_providers(cas_server))
    browser = site.browser()
    browser.get(f"{site.url}/login/cas/{NORTH}")  # a round trip started in this browser
    forged = browser.get(f"{site.url}/login/cas/{NORTH}/back", params={"state": "forged", "ticket": "ST-1-x"})
    assert forged.status_code == 400 and 'data-testid="sso-refused"' in forged.text

    victim = site.browser()
    form_page = victim.get(f"{site.url}/login/cas/{NORTH}")
    fields = {**form_fields(form_page.text), "username": "2024001", "password": CAS_PASSWORD}
    back = victim.post(form_page.url, data=fields, allow_redirects=False)
    ticket_url = back.headers["Location"]
    assert "ticket=" in ticket_url
    other = site.browser()  # someone else's browser given this link (login CSRF) has no round trip of its own
    assert other.get(ticket_url).status_code == 400
    assert urlsplit(victim.get(ticket_url).url).path == "/"  # the browser that started it
    assert victim.get(ticket_url).status_code == 400  # the round trip is spent: the same link again is refused
    assert len(_audit(site, SsoAction.LOGIN)) == 1


def test_logging_out_of_a_cas_session_logs_out_of_the_cas_server_too(cas_server, sso_site):
    site = sso_site(_providers(cas_server))
    browser = site.browser()
    _cas_login(site, browser, "2024001")
    csrf = form_fields(browser.get(f"{site.url}/").text)["csrf_token"]
    out = browser.post(f"{site.url}/logout", data={"csrf_token": csrf}, allow_redirects=False)
    target = urlsplit(out.headers["Location"])
    assert f"{target.scheme}://{target.netloc}" == cas_server.url and target.path == "/logout"
    assert parse_qs(target.query)["service"] == [f"{site.url}/login"]
    browser.get(out.headers["Location"])
    again = browser.get(f"{site.url}/login/cas/{NORTH}")
    assert "password" in again.text  # the CAS server asks again: its session ended too
