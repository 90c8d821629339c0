"""WeCom's web login (网页授权) on phones: inside WeCom's browser the login page offers it; the corp's OAuth page
sends the phone back with a code, ``getuserinfo`` names the member, and the person who bound that userid is
logged in. Nobody bound, a non-member and a forged state are refused with a page; the platforms are the local
stand-in (tests/channels/platforms.py)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from engine.models import AuditEvent
from tests.channels.platforms import AGENT_ID, CORP_ID, serve
from workflows.notifications.models import PersonalBinding
from workflows.people.sso import SsoAction

WECOM_BROWSER = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1"


@pytest.fixture
def platforms():
    found, server, thread = serve()
    yield found
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def wecom_site(sso_site, platforms):
    site = sso_site([], messaging=platforms.messaging())
    with site.harness.session() as session:
        session.add(PersonalBinding(school_id=site.schools["north"], user_id=site.people["zhang"], channel="wecom",
                                    address="zhangsan"))
    platforms.members.update({"zhangsan", "lisi"})
    return site


def _phone(site):
    browser = site.browser()
    browser.headers["User-Agent"] = WECOM_BROWSER
    return browser


def test_inside_wecom_the_bound_person_logs_in_with_wecom(wecom_site, platforms):
    site = wecom_site
    assert 'data-sso="wecom"' not in site.browser().get(f"{site.url}/login").text  # a desktop browser
    phone = _phone(site)
    assert 'data-sso="wecom"' in phone.get(f"{site.url}/login").text
    platforms.phone("wecom", "zhangsan")
    to_wecom = phone.get(f"{site.url}/login/wecom/", allow_redirects=False)
    query = parse_qs(urlsplit(to_wecom.headers["Location"]).query)
    assert (query["appid"], query["agentid"], query["scope"]) == ([CORP_ID], [str(AGENT_ID)], ["snsapi_base"])
    landed = phone.get(to_wecom.headers["Location"])
    assert landed.status_code == 200 and urlsplit(landed.url).path == "/" and "Zhang" in landed.text
    assert platforms.on("/cgi-bin/auth/getuserinfo")
    with site.harness.session() as session:
        [login] = session.scalars(select(AuditEvent).where(AuditEvent.action == SsoAction.LOGIN))
        assert (login.actor, login.details["via"]) == ("zhang", "wecom")


def test_a_member_nobody_bound_a_non_member_and_a_forged_state_are_refused(wecom_site, platforms):
    site = wecom_site
    platforms.phone("wecom", "lisi")  # a member of the corp, bound by nobody
    refused = _phone(site).get(f"{site.url}/login/wecom/")
    assert refused.status_code == 403 and 'data-testid="sso-refused"' in refused.text
    platforms.phone("wecom", "outsider")  # not in the corp
    assert _phone(site).get(f"{site.url}/login/wecom/").status_code == 403
    phone = _phone(site)
    platforms.phone("wecom", "zhangsan")
    back = phone.get(f"{site.url}/login/wecom/", allow_redirects=False)
    at_wecom = phone.get(back.headers["Location"], allow_redirects=False)
    forged = phone.get(at_wecom.headers["Location"].replace("state=", "state=0"))
    assert forged.status_code == 400 and 'data-testid="sso-refused"' in forged.text
    with site.harness.session() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent))]
    assert SsoAction.LOGIN not in actions and actions.count(SsoAction.REFUSED) == 1  # the unbound member


def test_wecom_login_is_not_there_without_a_wecom_app(sso_site):
    site = sso_site([])
    assert site.browser().get(f"{site.url}/login/wecom/").status_code == 404
