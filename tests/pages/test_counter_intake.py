"""A service-hall clerk enters orders that arrive at the counter or by the hotline, for a requester found by
username or phone number; the order records the channel and the clerk."""
from __future__ import annotations

import io
import re

from factories import campus_named
from sqlalchemy import select
from websupport import png_bytes

from workflows.catalogue.models import CatalogueItem
from workflows.people.models import Campus, User


def _form(site, **overrides) -> dict:
    with site.db() as session:
        campus = session.scalar(select(Campus.id).where(Campus.school_id == site.school_id))
        item = session.scalar(select(CatalogueItem.id).where(CatalogueItem.code == "C01"))
    data = {"channel": "hotline", "requester": "13900001111", "contact_name": "", "contact_phone": "",
            "campus_id": str(campus), "building_id": "", "room": "行政楼 201", "catalogue_item_id": str(item),
            "description": "办公室门锁坏了", "urgency": "normal"}
    data.update(overrides)
    return data


def test_clerk_enters_a_hotline_order_for_a_requester_found_by_phone(site):
    site.set_phone("requester", "13900001111")
    clerk = site.client("clerk")
    page = clerk.page("/counter/new")
    assert 'value="counter"' in page and 'value="hotline"' in page
    response = clerk.submit("/counter/new", _form(site, photos=[(io.BytesIO(png_bytes()), "door.png")]))
    assert response.status_code == 302
    number = response.headers["Location"].rsplit("/", 1)[1]
    order = site.order(number)
    assert order.channel == "hotline"
    assert order.requester_id == site.user("requester").id
    assert order.entered_by_id == site.user("clerk").id
    assert (order.contact_name, order.contact_phone) == ("王丽华", "13900001111")  # from the requester's account
    assert len(order.photos) == 1 and order.photos[0].uploaded_by_id == site.user("clerk").id

    detail = clerk.page(f"/orders/{number}")
    assert "Order %s entered for 王丽华." % number in detail and "Hotline" in detail
    # the requester sees it among their own requests
    assert number in site.client("requester").page("/my")


def test_counter_order_by_username_with_other_contact_details(site):
    clerk = site.client("clerk")
    response = clerk.submit("/counter/new", _form(site, channel="counter", requester="requester",
                                                   contact_name="王丽华的助理", contact_phone="0571-8888 1234"))
    order = site.order(response.headers["Location"].rsplit("/", 1)[1])
    assert (order.channel, order.contact_name, order.contact_phone) == ("counter", "王丽华的助理", "0571-8888 1234")


def test_unknown_or_ambiguous_requester_and_missing_phone_are_inline_errors(site):
    clerk = site.client("clerk")
    page = clerk.submit("/counter/new", _form(site, requester="nobody")).get_data(as_text=True)
    assert "No one with this username or phone number was found." in page

    site.set_phone("requester", "13700000000")
    site.set_phone("worker", "13700000000")
    page = clerk.submit("/counter/new", _form(site, requester="13700000000")).get_data(as_text=True)
    assert "Several people have this phone number; enter the username instead." in page

    page = clerk.submit("/counter/new", _form(site, requester="supervisor")).get_data(as_text=True)
    assert "The requester has no phone number on record; enter one." in page

    page = clerk.submit("/counter/new", _form(site, channel="portal", requester="requester",
                                              contact_phone="13800000000")).get_data(as_text=True)
    assert "Not a valid choice" in page  # only counter and hotline here
    assert site.order_count() == 0


def test_a_user_of_another_school_cannot_be_the_requester(site):
    site.other_school_user("outsider", "requester")
    clerk = site.client("clerk")
    page = clerk.submit("/counter/new", _form(site, requester="outsider", contact_phone="13800000000")).get_data(as_text=True)
    assert "No one with this username or phone number was found." in page
    assert site.order_count() == 0


def _set_campus(site, username: str, campus_id: int | None) -> None:
    with site.db() as session:
        session.scalar(select(User).where(User.username == username)).campus_id = campus_id


def _campus_select(page: str) -> str:
    return page.split('name="campus_id"', 1)[1].split("</select>", 1)[0]


def test_the_form_opened_for_a_requester_starts_on_their_campus_and_the_lookup_tells_the_page(site):
    with site.db() as session:
        lake = campus_named(session, site.school_id, "南湖校区")
    _set_campus(site, "requester", lake)
    site.set_phone("requester", "13900001111")
    clerk = site.client("clerk")

    page = clerk.page("/counter/new?requester=13900001111")
    assert f'<option selected value="{lake}">南湖校区</option>' in page and 'value="13900001111"' in page
    assert clerk.get("/counter/requester?q=requester").get_json() == {"campus_id": lake}
    # a QR code's place still wins, as on the requester's own form
    main = int(_form(site)["campus_id"])
    assert f'<option selected value="{main}">' in clerk.page(f"/counter/new?requester=requester&campus={main}")

    _set_campus(site, "requester", None)
    assert "<option selected" not in _campus_select(clerk.page("/counter/new?requester=requester"))
    assert clerk.get("/counter/requester?q=requester").get_json() == {"campus_id": None}
    assert "<option selected" not in _campus_select(clerk.page("/counter/new?requester=nobody"))
    assert clerk.get("/counter/requester?q=nobody").status_code == 404
    site.other_school_user("outsider", "requester")
    assert clerk.get("/counter/requester?q=outsider").status_code == 404
    assert site.client("requester").get("/counter/requester?q=requester").status_code == 403


def test_a_clerk_on_an_order_page_enters_another_order_for_its_requester_on_their_campus(site):
    with site.db() as session:
        lake = session.scalar(select(Campus.id).where(Campus.school_id == site.school_id, Campus.name == "南湖校区"))
    _set_campus(site, "requester", lake)
    number = site.report()  # the requester's own order
    clerk = site.client("clerk")
    page = clerk.page(f"/orders/{number}?lang=zh_CN")
    link = re.search(r'data-testid="another-order">.*?href="([^"]+)"', page, re.S).group(1)
    assert link == "/counter/new?requester=requester" and "为该报修人再代录一张工单" in page
    assert "Enter another order for this requester" in clerk.page(f"/orders/{number}?lang=en")
    form = clerk.page(link)
    assert 'value="requester"' in form and f'<option selected value="{lake}">南湖校区</option>' in form

    for username in ("auditor", "requester"):  # staff who enter no orders for others, and the requester themselves
        assert 'data-testid="another-order"' not in site.client(username).page(f"/orders/{number}"), username
    site.other_school_user("outsider", "clerk")
    assert site.client("outsider").get(f"/orders/{number}").status_code == 404  # another school's clerk sees nothing
    with site.db() as session:
        session.get(User, site.user("requester").id).active = False
    assert 'data-testid="another-order"' not in clerk.page(f"/orders/{number}")  # the counter would not find them
