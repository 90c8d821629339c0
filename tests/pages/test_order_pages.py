"""The staff order list, the order page (timeline, colour, rating link and QR) and who may reach which page."""
from __future__ import annotations

import re

from sqlalchemy import select

from workflows.repair.models import WorkOrder


def test_requesters_and_workers_cannot_reach_the_staff_list_or_the_counter(site):
    requester = site.client("requester")
    assert requester.get("/orders").status_code == 403
    assert requester.get("/counter/new").status_code == 403
    worker = site.client("worker")
    assert worker.get("/orders").status_code == 403
    assert worker.get("/counter/new").status_code == 403
    assert site.client("auditor").get("/counter/new").status_code == 403
    anonymous = site.client()
    assert anonymous.get("/orders").status_code == 302 and anonymous.get("/my").status_code == 302


def test_navigation_shows_the_links_each_role_may_use(site):
    requester = site.client("requester").page("/my")
    assert 'href="/report"' in requester and 'href="/orders"' not in requester and 'href="/counter/new"' not in requester
    auditor = site.client("auditor").page("/my")
    assert 'href="/orders"' in auditor and 'href="/counter/new"' not in auditor
    clerk = site.client("clerk").page("/my")
    assert 'href="/orders"' in clerk and 'href="/counter/new"' in clerk


def test_order_page_shows_the_timeline_and_the_colour_once_the_order_is_overdue(site):
    number = site.report("宿舍暖气不热")
    site.do(number, "review", "auditor", decision="accept")
    requester = site.client("requester")
    page = requester.page(f"/orders/{number}")
    assert 'data-status="accepted"' in page and "data-colour=" not in page  # no colour yet: no badge
    timeline = page.split('data-testid="timeline"', 1)[1]
    for label in ("Reported", "Reviewed"):
        assert label in timeline, label
    for engine_word in ("Process started", "Task opened", "Task done"):  # those are the instance viewer's
        assert engine_word not in timeline, engine_word
    assert "张伟" in timeline  # the auditor's name, not the audit label auditor#3
    assert 'data-action="order.reviewed"' in timeline and "accepted" in timeline

    site.wait(days=3, minutes=5)
    assert site.order(number).colour == "green"
    page = requester.page(f"/orders/{number}")
    assert 'class="colour-badge colour-green" data-colour="green"' in page
    assert 'data-action="order.coloured"' in page and "Overdue colour changed" in page

    auditor = site.client("auditor")
    listing = auditor.page("/orders?colour=green")
    assert f'data-number="{number}"' in listing and 'data-colour="green"' in listing
    assert f'data-number="{number}"' not in auditor.page("/orders?colour=red")


def test_staff_list_filters_by_status_and_number_and_pages_by_25(site):
    numbers = [site.report(f"第{i}号问题") for i in range(27)]
    site.do(numbers[0], "review", "auditor", decision="reject", reason="不属于维修范围")
    auditor = site.client("auditor")

    first = auditor.page("/orders")
    assert '<span class="badge" data-testid="order-total">27</span>' in first
    assert len(re.findall(r'<tr data-number=', first)) == 25
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = auditor.page("/orders?page=2")
    assert len(re.findall(r'<tr data-number=', second)) == 2 and 'rel="prev"' in second
    assert len(re.findall(r'<tr data-number=', auditor.page("/orders?page=99"))) == 2  # past the end: last page

    rejected = auditor.page("/orders?status=rejected")
    assert re.findall(r'<tr data-number="([^"]+)"', rejected) == [numbers[0]]
    by_number = auditor.page(f"/orders?q={numbers[5][-4:].lower()}")
    assert numbers[5] in by_number
    assert "No orders match." in auditor.page("/orders?q=NOPE")
    assert "<tr data-number=" in auditor.page("/orders?status=bogus&colour=purple")  # unknown filters are ignored


def test_the_requester_sees_their_own_rating_link_and_staff_an_offer_to_show_the_code(site):
    number = site.done_job()
    requester = site.client("requester")
    page = requester.page(f"/orders/{number}")
    assert 'data-testid="rating-link"' in page
    assert f'src="/orders/{number}/rating-qr.svg"' in page
    link = re.search(r'href="(http://localhost/r/[^"]+)"', page).group(1)
    qr = requester.get(f"/orders/{number}/rating-qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    auditor = site.client("auditor")
    staff_page = auditor.page(f"/orders/{number}")
    assert 'data-testid="rating-link"' not in staff_page and "/r/" not in staff_page  # staff never get the own link
    assert f'href="/orders/{number}/rating-code"' in staff_page
    assert auditor.get(f"/orders/{number}/rating-qr.svg").status_code == 404
    worker_page = site.client("worker").page(f"/orders/{number}")
    assert 'data-testid="rating-link"' not in worker_page and "rating-code" not in worker_page  # no self-rating

    rate_page = site.client().page(link.removeprefix("http://localhost"))
    assert "Rate the service" in rate_page and "phone_last4" not in rate_page  # the own link asks nothing more
    site.do(number, "rate", "requester", overall="5", quality="5", efficiency="5", attitude="5", comment="很好")
    page = requester.page(f"/orders/{number}")
    assert 'data-testid="rating-link"' not in page
    assert 'data-status="closed"' in page and "★★★★★" in page and "很好" in page


def test_an_order_of_another_school_is_not_found(site):
    number = site.report()
    site.other_school_user("outsider", "admin")
    outsider = site.client("outsider")
    assert outsider.get(f"/orders/{number}").status_code == 404
    assert number not in outsider.page("/orders")
    with site.db() as session:
        assert session.scalar(select(WorkOrder.id).where(WorkOrder.number == number))


def test_a_worker_sees_the_orders_offered_to_or_done_by_them_and_no_other(site):
    """Workers of other teams never see a requester's name, phone and photos."""
    from sqlalchemy import select

    from workflows.demo import DEMO_PASSWORD
    from workflows.people.models import OrgUnit
    from workflows.people.service import create_user

    number = site.report()
    with site.db() as session:
        other_team = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == "team",
                                                            OrgUnit.id != site.order(number).team_id))
        create_user(session, username="cleaner2", password=DEMO_PASSWORD, display_name="保洁 钱", school_id=site.school_id,
                    roles=[("worker", other_team)])
    worker, other = site.client("worker"), site.client("cleaner2")
    assert worker.get(f"/orders/{number}").status_code == 403  # not reviewed yet: nobody has offered it to them
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(site.order(number).team_id), worker_id="")
    assert worker.get(f"/orders/{number}").status_code == 200  # a job offered to their team
    assert other.get(f"/orders/{number}").status_code == 403


def test_where_the_rule_allows_a_worker_sees_every_order_of_their_team(site):
    """Off by default; switched on for the school, a teammate sees an order dispatched to a colleague (page and
    API), while a worker of another team still does not."""
    from workflows.demo import DEMO_PASSWORD
    from workflows.people.models import OrgUnit
    from workflows.people.service import create_user

    number = site.report()
    team = site.order(number).team_id
    with site.db() as session:
        other_team = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.kind == "team",
                                                            OrgUnit.id != team))
        create_user(session, username="plumber2", password=DEMO_PASSWORD, display_name="水电 周", school_id=site.school_id,
                    roles=[("worker", team)])
        create_user(session, username="cleaner2", password=DEMO_PASSWORD, display_name="保洁 钱", school_id=site.school_id,
                    roles=[("worker", other_team)])
    site.do(number, "review", "auditor", decision="accept")
    site.do(number, "dispatch", "auditor", team_id=str(team), worker_id=str(site.user("worker").id))
    teammate, other = site.client("plumber2"), site.client("cleaner2")
    assert teammate.get(f"/orders/{number}").status_code == 403  # the job is the colleague's; the rule is off
    with site.db() as session:
        site.runtime.rules.save(session, school_id=site.school_id, content={"school": {"repair.visibility.team_orders": True}},
                                author="admin", comment="班组内工单互相可见")
    assert teammate.get(f"/orders/{number}").status_code == 200
    assert other.get(f"/orders/{number}").status_code == 403
