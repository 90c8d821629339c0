"""OpenID Connect logins against a real provider (the oidc-provider npm package): the authorization code flow with
state, nonce and PKCE, the number from a claim, the person of the provider's school logged in; unknown numbers
refused or created as the school says; a forged state refused."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from engine.models import AuditEvent
from tests.sso.conftest import NORTH, OIDC_CLIENT, OIDC_SECRET, SOUTH, provider_return, through_forms
from webapp.sso.providers import OidcProvider
from workflows.people.models import Campus, School, User
from workflows.people.sso import SsoAction


def _site(sso_site, oidc_server, **extra):
    providers = [OidcProvider(school=school, discovery_url=f"{oidc_server.url}/.well-known/openid-configuration",
                              client_id=OIDC_CLIENT, client_secret=OIDC_SECRET, **extra) for school in (NORTH, SOUTH)]
    return sso_site(providers, port=oidc_server.site_port)


def _oidc_login(site, browser, number: str, school: str = NORTH):
    at_provider = browser.get(f"{site.url}/login/oidc/{school}")
    return through_forms(browser, at_provider, site.url, login=number, password="any")


def _audit(site, action):
    with site.harness.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_oidc_login_signs_in_the_person_of_that_school_with_the_number_claim(oidc_server, sso_site):
    site = _site(sso_site, oidc_server)
    browser = site.browser()
    to_provider = browser.get(f"{site.url}/login/oidc/{NORTH}", allow_redirects=False)
    query = parse_qs(urlsplit(to_provider.headers["Location"]).query)
    assert {"state", "nonce", "code_challenge"} <= query.keys() and query["code_challenge_method"] == ["S256"]

    landed = _oidc_login(site, site.browser(), "2024001")
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/", landed.text[:300]
    assert "Zhang" in landed.text and "Li" not in landed.text
    assert "Li" in _oidc_login(site, site.browser(), "2024001", school=SOUTH).text
    assert [(e.actor, e.details["via"]) for e in _audit(site, SsoAction.LOGIN)] == [("zhang", "oidc"), ("li", "oidc")]


def test_unknown_people_are_refused_or_created_as_the_school_says(oidc_server, sso_site):
    site = _site(sso_site, oidc_server)
    for number in ("2099999", "2024099"):  # nobody; south's Wang, not north's
        refused = _oidc_login(site, site.browser(), number)
        assert refused.status_code == 403 and 'data-testid="sso-refused"' in refused.text
    with site.harness.session() as session:
        assert session.scalar(select(func.count(User.id)).where(User.number == "2099999")) == 0
        session.get(School, site.schools[NORTH]).sso_unknown = "create"
    landed = _oidc_login(site, site.browser(), "2099999")
    assert urlsplit(landed.url).path == "/" and "OIDC 2099999" in landed.text
    with site.harness.session() as session:
        made = session.scalar(select(User).where(User.number == "2099999"))
        assert made.school_id == site.schools[NORTH] and [r.role for r in made.roles] == ["requester"]


def test_a_created_requester_is_put_on_the_campus_the_campus_claim_names(oidc_server, sso_site):
    site = _site(sso_site, oidc_server, campus_claim="campus")
    with site.harness.session() as session:
        session.get(School, site.schools[NORTH]).sso_unknown = "create"
        east = Campus(school_id=site.schools[NORTH], name="东校区")
        session.add(east)
        session.flush()
        east_id = east.id
    assert urlsplit(_oidc_login(site, site.browser(), "2099999").url).path == "/"
    with site.harness.session() as session:
        assert session.scalar(select(User.campus_id).where(User.number == "2099999")) == east_id
    [created] = _audit(site, SsoAction.ACCOUNT_CREATED)
    assert (created.details["campus"], created.details["campus_id"]) == ("东校区", east_id)


def test_an_account_of_no_campus_is_put_on_the_campus_the_campus_claim_names_and_a_campus_set_is_kept(
        oidc_server, sso_site):
    site = _site(sso_site, oidc_server, campus_claim="campus")
    with site.harness.session() as session:
        east, main = Campus(school_id=site.schools[NORTH], name="东校区"), Campus(school_id=site.schools[NORTH], name="本部")
        session.add_all([east, main])
        session.flush()
        east_id, main_id = east.id, main.id
        session.get(User, site.people["admin"]).number = "2024002"
        session.get(User, site.people["admin"]).campus_id = main_id  # set by an administrator
    for number in ("2024001", "2024002"):
        assert urlsplit(_oidc_login(site, site.browser(), number).url).path == "/"
    with site.harness.session() as session:
        assert session.get(User, site.people["zhang"]).campus_id == east_id
        assert session.get(User, site.people["admin"]).campus_id == main_id
    [placed] = _audit(site, SsoAction.CAMPUS_SET)
    assert (placed.actor, placed.details["via"], placed.details["campus"], placed.details["campus_id"]) == \
        ("zhang", "oidc", "东校区", east_id)


def test_a_forged_state_is_refused_and_logs_nobody_in(oidc_server, sso_site):
    site = _site(sso_site, oidc_server)
    victim = site.browser()
    back = provider_return(victim, victim.get(f"{site.url}/login/oidc/{NORTH}"), site.url, login="2024001", password="any")
    assert "code=" in back and "state=" in back
    forged = victim.get(back.replace("state=", "state=forged"))
    assert forged.status_code == 400 and 'data-testid="sso-refused"' in forged.text
    assert site.browser().get(back).status_code == 400  # someone else's browser given the link (login CSRF)
    assert victim.get(back).status_code == 400  # the forged return spent this browser's round trip
    assert _audit(site, SsoAction.LOGIN) == []
