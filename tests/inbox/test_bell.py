"""The notification bell: the unread count in the header, readable titles per kind, opening one (read, and on to
its task or order), marking one or all as read (POST with CSRF only), and nobody else's notifications."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import HumanTask
from workflows.notifications.models import Notification


def bell(page: str) -> int:
    return int(re.search(r'data-testid="bell-count">(\d+)<', page).group(1))


def ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<li class="notification [a-z]+" data-kind="[^"]+" data-id="(\d+)"', page)]


def test_reminders_land_in_the_bell_with_titles_and_lead_to_the_task(site):
    number = site.report()
    site.wait(hours=1, minutes=5)  # the review reminder fires after 1 h, then every hour
    site.wait(hours=1)
    auditor = site.client("auditor")
    inbox = auditor.page("/")
    assert bell(inbox) == 2

    page = auditor.page("/notifications/")
    assert page.count(f"Order {number} is still waiting for review.") == 2
    assert 'data-testid="unread-count">2<' in page
    first, second = ids(page)

    # open one: it is read, and the auditor lands on the review task
    with site.db() as session:
        review = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == "review"))
    response = auditor.submit(f"/notifications/{first}/open", {}, form_page="/notifications/")
    assert response.status_code == 302 and response.headers["Location"] == f"/tasks/{review}"
    assert bell(auditor.page("/")) == 1
    assert auditor.http.get("/inbox/count.json").get_json()["unread"] == 1

    # marking read needs a POST with the CSRF token
    assert auditor.http.post("/notifications/read", data={"id": str(second)}).status_code == 400
    assert auditor.http.get("/notifications/read").status_code == 405
    assert bell(auditor.page("/")) == 1
    response = auditor.submit("/notifications/read", {"id": str(second)}, form_page="/notifications/")
    assert response.status_code == 302 and bell(auditor.page("/notifications/")) == 0


def test_mark_all_and_nobody_elses(site):
    site.report()
    for _ in range(3):
        site.wait(hours=1, minutes=1)
    auditor = site.client("auditor")
    page = auditor.page("/notifications/")
    assert len(ids(page)) == 3 and 'data-testid="mark-all"' in page
    mine = ids(page)[0]

    other = site.client("worker")
    assert other.submit(f"/notifications/{mine}/open", {}, form_page="/notifications/").status_code == 404
    other.submit("/notifications/read", {"id": str(mine)}, form_page="/notifications/")
    assert bell(auditor.page("/")) == 3  # someone else's "read" changes nothing

    assert auditor.submit("/notifications/read", {}, form_page="/notifications/").status_code == 302
    page = auditor.page("/notifications/")
    assert bell(page) == 0 and 'data-testid="mark-all"' not in page and page.count('class="notification read"') == 3


def test_every_kind_has_a_readable_title(site):
    from webapp.inbox.notifications import title_of

    payloads = {
        "repair.review_overdue": ({"order": "BX1"}, "Order BX1 is still waiting for review."),
        "repair.job_overdue": ({"order": "BX1"}, "Your job on order BX1 is overdue."),
        "repair.job_overdue_copy": ({"order": "BX1", "worker_id": 4}, "A worker's job on order BX1 is overdue."),
        "repair.escalated": ({"order": "BX1", "colour": "yellow"}, "Order BX1 is yellow: please chase it."),
        "repair.bad_rating": ({"order": "BX1", "overall": 2}, "Bad rating (2 of 5) on order BX1: call the requester back."),
        "repair.rate_request": ({"order": "BX1"}, "Please rate the repair of order BX1."),
        "repair.dispatched": ({"order": "BX1"}, "New job: order BX1."),
        "repair.rectification_exhausted": ({"order": "BX1"}, "Order BX1: the rectification rounds are used up; please decide."),
        "repair.appeal_filed": ({"order": "BX1"}, "A rating appeal was filed on order BX1."),
        "repair.appeal_decided": ({"order": "BX1", "decision": "upheld"}, "The rating appeal on order BX1 was upheld."),
        "job.overdue": ({"title": "修理图书馆门禁"}, "Quick job overdue: 修理图书馆门禁"),
        "something.new": ({}, "something.new on BX1"),
    }
    with site.app.test_request_context("/?lang=en"):
        from flask import session

        session["lang"] = "en"
        for kind, (payload, expected) in payloads.items():
            assert title_of(Notification(kind=kind, business_key="BX1", payload=payload)) == expected, kind


def test_a_bad_rating_reaches_the_auditors_bell_and_opens_the_callback(site):
    number = site.report()
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id=str(site.user("worker").id))
    site.do(number, "accept_job", "worker", decision="accept")
    site.do(number, "complete_job", "worker", result="换了阀门")
    site.do(number, "rate", "requester", overall="2", quality="2", efficiency="2", attitude="2")
    auditor = site.client("auditor")
    page = auditor.page("/notifications/")
    assert f"Bad rating (2 of 5) on order {number}: call the requester back." in page
    [bad] = [i for i in ids(page) if f'data-kind="repair.bad_rating" data-id="{i}"' in page]
    response = auditor.submit(f"/notifications/{bad}/open", {}, form_page="/notifications/")
    with site.db() as session:
        callback = session.scalar(select(HumanTask.id).where(HumanTask.business_key == number, HumanTask.task_name == "callback"))
    assert response.headers["Location"] == f"/tasks/{callback}"
    # the worker's "new job" notification leads to the order once the job is done
    worker = site.client("worker")
    page = worker.page("/notifications/")
    [dispatched] = ids(page)
    assert worker.submit(f"/notifications/{dispatched}/open", {}, form_page="/notifications/").headers["Location"] == f"/orders/{number}"
