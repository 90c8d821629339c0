"""A rating by link is the requester's: a code shown on a staff screen asks for the last four digits of the contact
phone (or the requester's login), staff sessions are refused, wrong digits are throttled, and the timeline says who
showed the code and how the requester was confirmed."""
from __future__ import annotations

import html
import re

from sqlalchemy import select
from websupport import csrf_from

from engine.models import AuditEvent
from workflows.repair.models import Rating
from workflows.repair.service import by_number

STARS = {"overall": "2", "quality": "2", "efficiency": "3", "attitude": "2", "comment": "还在滴水"}
PHONE = "13800000000"  # the contact phone site.report gives every order


def _shown_link(site, number: str, username: str = "auditor") -> str:
    page = site.client(username).page(f"/orders/{number}/rating-code")
    assert 'data-testid="rating-code"' in page and "<svg" in page
    url = html.unescape(re.search(r'value="([^"]+)" data-testid="rating-url"', page).group(1))
    return url.removeprefix("http://localhost")


def _rate(client, link: str, **extra):
    return client.submit(link, {**STARS, **extra})


def _audit(site, number: str, action: str) -> list[AuditEvent]:
    with site.db() as session:
        rows = list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == number,
                                                             AuditEvent.action == action)))
        session.expunge_all()
        return rows


def _ratings(site, number: str) -> list[Rating]:
    with site.db() as session:
        return list(session.scalars(select(Rating).where(Rating.order_id == site.order(number).id)))


def test_showing_the_code_is_audited_and_a_stranger_must_give_the_phone_digits(site):
    number = site.done_job()
    link = _shown_link(site, number)
    shown = _audit(site, number, "rating.code_shown")
    assert [e.actor for e in shown] == [f"auditor#{site.user('auditor').id}"]

    stranger = site.client()
    form = stranger.page(link)
    assert 'name="phone_last4"' in form and 'data-testid="confirm-requester"' in form
    missing = _rate(stranger, link)
    assert missing.status_code == 200 and "Enter the last four digits" in missing.get_data(as_text=True)
    wrong = _rate(stranger, link, phone_last4="1234")
    assert wrong.status_code == 200 and "do not match" in wrong.get_data(as_text=True)
    assert _ratings(site, number) == []  # nothing stored on a wrong guess

    right = _rate(stranger, link, phone_last4=PHONE[-4:])
    assert right.status_code == 200 and "was recorded" in right.get_data(as_text=True)
    [rating] = _ratings(site, number)
    assert rating.requester_id == site.user("requester").id and rating.overall == 2
    [rated] = _audit(site, number, "rating.by_link")
    assert rated.actor == f"requester#{site.user('requester').id}"
    assert rated.details == {"confirmed_by": "phone", "shown_by": f"auditor#{site.user('auditor').id}"}
    completed = [e for e in _audit(site, number, "task.completed") if e.task_name and "Rate" in e.task_name]
    assert completed and completed[-1].actor == rated.actor  # credited to the requester, not to "rating-link"

    timeline = site.client("auditor").page(f"/orders/{number}")
    auditor_name = site.user("auditor").display_name
    assert "Rated through a link" in timeline and "confirmed with the contact phone" in timeline
    assert f"<dt>Code shown by</dt><dd>{auditor_name}</dd>" in timeline and "Rating code shown to the requester" in timeline


def test_a_staff_session_cannot_rate_by_any_link(site):
    number = site.done_job()
    link = _shown_link(site, number)
    own = re.search(r'href="http://localhost(/r/[^"]+)"', site.client("requester").page(f"/orders/{number}")).group(1)
    for username in ("auditor", "clerk", "admin"):
        client = site.client(username)
        for url in (link, own):
            refused = client.get(url)
            assert refused.status_code == 403 and "Only the person who reported" in refused.get_data(as_text=True)
            token = csrf_from(client.page(f"/orders/{number}"))  # the session's CSRF token, from the logout form
            posted = client.post(url, {**STARS, "phone_last4": PHONE[-4:], "csrf_token": token})
            assert posted.status_code == 403
    assert _ratings(site, number) == []


def test_the_requester_logged_in_rates_a_shown_code_without_digits(site):
    number = site.done_job()
    link = _shown_link(site, number, "clerk")
    requester = site.client("requester")
    form = requester.page(link)
    assert 'name="phone_last4"' not in form
    assert _rate(requester, link).status_code == 200
    [rated] = _audit(site, number, "rating.by_link")
    assert rated.details["confirmed_by"] == "login" and rated.details["shown_by"].startswith("clerk#")


def test_wrong_digits_are_throttled_per_order(site):
    number = site.done_job()
    guesser = site.client()
    for guess in range(5):
        response = _rate(guesser, _shown_link(site, number), phone_last4=f"{guess + 1:04d}")
        assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)
    # a fresh code for the same order gains nothing, and neither do the right digits now
    refused = _rate(guesser, _shown_link(site, number), phone_last4=PHONE[-4:])
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)
    assert _ratings(site, number) == []
    site.wait(minutes=16)
    assert _rate(guesser, _shown_link(site, number), phone_last4=PHONE[-4:]).status_code == 200


def test_a_contact_phone_without_four_digits_leaves_only_the_login(site):
    number = site.done_job()
    with site.db() as session:
        by_number(session, school_id=site.school_id, number=number).contact_phone = "无"
    link = _shown_link(site, number)
    response = site.client().get(link)
    body = response.get_data(as_text=True)
    assert response.status_code == 401 and "Please log in to rate" in body and "/login?next=" in body


def test_the_worker_and_other_schools_get_no_code(site):
    number = site.done_job()
    assert site.client("worker").get(f"/orders/{number}/rating-code").status_code == 403  # not staff
    site.other_school_user("outsider", "auditor")
    assert site.client("outsider").get(f"/orders/{number}/rating-code").status_code == 404
    assert _audit(site, number, "rating.code_shown") == []


def test_no_code_once_rated(site):
    number = site.done_job()
    site.do(number, "rate", "requester", overall="5", quality="5", efficiency="5", attitude="5")
    assert site.client("auditor").get(f"/orders/{number}/rating-code").status_code == 409
