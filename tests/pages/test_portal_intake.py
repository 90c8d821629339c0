"""A requester reports a problem on the web portal and on the phone page; bad input is refused inline and saves
nothing; photos are re-encoded and served only to people who may see the order."""
from __future__ import annotations

import io

from factories import campus_named
from PIL import Image
from sqlalchemy import select
from websupport import png_bytes

from workflows.catalogue.models import Building, CatalogueItem
from workflows.people.models import Campus, User


def _location(site) -> dict:
    with site.db() as session:
        campus = session.scalar(select(Campus).where(Campus.school_id == site.school_id))
        building = session.scalar(select(Building).where(Building.name == "图书馆"))
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W01"))
        return {"campus_id": str(campus.id), "building_id": str(building.id), "catalogue_item_id": str(item.id)}


def _report(site, **overrides) -> dict:
    data = {"contact_name": "王丽华", "contact_phone": "138 0000 1111", "room": "302", "urgency": "urgent",
            "description": "三楼卫生间水管漏水", **_location(site)}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _number_from(response) -> str:
    assert response.status_code == 302, response.status_code
    return response.headers["Location"].rsplit("/", 1)[1]


def test_requester_reports_with_a_photo_which_is_reencoded_and_shown_to_them(site):
    requester = site.client("requester")
    form = requester.page("/report")
    assert 'accept="image/*"' in form and 'capture="environment"' in form and "multiple" in form
    assert "<optgroup" in form and "data-campus=" in form  # two-level catalogue, buildings tagged by campus
    assert 'value="王丽华"' in form  # contact prefilled from the account

    photo = png_bytes()
    response = requester.submit("/report", _report(site, photos=[(io.BytesIO(photo), "leak.png")]))
    number = _number_from(response)
    order = site.order(number)
    assert (order.channel, order.urgency, order.room, order.entered_by_id) == ("portal", "urgent", "302", None)
    assert order.requester_id == site.user("requester").id

    page = requester.page(f"/orders/{number}")
    assert f"Your request was received. Order number: {number}" in page
    [photo_row] = order.photos
    assert photo_row.stage == "report" and photo_row.stored_name.endswith(".jpg")
    assert f"/orders/{number}/photos/{photo_row.id}?thumb=1" in page

    for suffix in ("", "?thumb=1"):
        served = requester.get(f"/orders/{number}/photos/{photo_row.id}{suffix}")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert "private" in served.headers["Cache-Control"]
        with Image.open(io.BytesIO(served.data)) as image:
            assert image.format == "JPEG"  # re-encoded, not the PNG that was sent
    assert served.data != photo


def test_photos_are_refused_to_other_schools_other_requesters_and_anonymous_visitors(site):
    requester = site.client("requester")
    number = _number_from(requester.submit("/report", _report(site, photos=[(io.BytesIO(png_bytes()), "a.png")])))
    photo_id = site.order(number).photos[0].id
    path = f"/orders/{number}/photos/{photo_id}?thumb=1"

    site.other_school_user("outsider", "auditor")
    assert site.client("outsider").get(path).status_code == 404
    assert site.client("outsider").get(f"/orders/{number}").status_code == 404

    with site.db() as session:  # a second requester of the same school
        from workflows.people.service import create_user
        create_user(session, username="student", password="houqin-demo", display_name="学生", school_id=site.school_id,
                    roles=[("requester", None)])
    student = site.client("student")
    assert student.get(path).status_code == 403
    assert student.get(f"/orders/{number}").status_code == 403

    anonymous = site.client()
    response = anonymous.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    assert site.client("auditor").get(path).status_code == 200  # staff of the school may see it
    assert requester.get(f"/orders/{number}/photos/{photo_id + 99}").status_code == 404


def test_a_file_that_only_claims_to_be_a_png_is_refused_inline_and_nothing_is_saved(site):
    requester = site.client("requester")
    before = site.order_count()
    response = requester.submit("/report", _report(site, photos=[(io.BytesIO(png_bytes()), "good.png"),
                                                                 (io.BytesIO(b"#!/bin/sh\necho hi\n"), "evil.png")]))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "one of the files is not a picture we can read" in page
    assert "三楼卫生间水管漏水" in page  # what was typed is kept
    assert site.order_count() == before
    assert site.stored_files() == []  # the good photo was not stored either


def test_oversize_photo_and_too_many_photos_are_refused(site):
    requester = site.client("requester")
    before = site.order_count()
    big = b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024)
    page = requester.submit("/report", _report(site, photos=[(io.BytesIO(big), "big.png")])).get_data(as_text=True)
    assert "Each photo may be at most 8 MB." in page

    seven = [(io.BytesIO(png_bytes()), f"p{i}.png") for i in range(7)]
    page = requester.submit("/report", _report(site, photos=seven)).get_data(as_text=True)
    assert "At most 6 photos." in page
    assert site.order_count() == before and site.stored_files() == []


def test_a_request_larger_than_the_upload_limit_returns_to_the_form_with_a_message(site):
    requester = site.client("requester")
    huge = [(io.BytesIO(bytes(6 * 1024 * 1024)), f"p{i}.png") for i in range(9)]  # 54 MB in one request
    response = requester.submit("/m/report?campus=1", _report(site, photos=huge))
    assert response.status_code == 302 and "/m/report" in response.headers["Location"]
    page = requester.page(response.headers["Location"])
    assert 'role="status">The photos are too large to send together.' in page
    assert site.order_count() == 0


def test_missing_description_and_unknown_item_are_inline_errors(site):
    requester = site.client("requester")
    page = requester.submit("/report", _report(site, description="   ")).get_data(as_text=True)
    assert 'class="field has-error"' in page and "Describe the problem." in page
    page = requester.submit("/report", _report(site, catalogue_item_id="999999")).get_data(as_text=True)
    assert "Not a valid choice" in page
    page = requester.submit("/report", _report(site, catalogue_item_id="")).get_data(as_text=True)
    assert "Choose what needs fixing." in page
    page = requester.submit("/report", _report(site, contact_phone="call me")).get_data(as_text=True)
    assert "Enter a phone number" in page
    assert site.order_count() == 0


def test_the_form_needs_a_valid_csrf_token(site):
    requester = site.client("requester")
    response = requester.post("/report", _report(site))
    assert response.status_code == 400
    assert site.order_count() == 0


def test_phone_page_prefills_the_location_from_the_qr_code_and_records_channel_phone(site):
    location = _location(site)
    requester = site.client("requester")
    page = requester.page(f"/m/report?building={location['building_id']}&room=3F%20corridor")
    assert 'data-channel="phone"' in page and "mobile" in page
    assert f'<option selected value="{location["building_id"]}"' in page or \
        f'selected value="{location["building_id"]}"' in page
    assert 'value="3F corridor"' in page
    assert f'<option selected value="{location["campus_id"]}">' in page  # the campus follows the building

    number = _number_from(requester.submit("/m/report", _report(site, room="3F corridor")))
    order = site.order(number)
    assert (order.channel, order.room, order.building_id) == ("phone", "3F corridor", int(location["building_id"]))
    # unknown ids in the query are ignored, not an error
    assert "data-channel" in requester.page("/m/report?campus=abc&building=99999")


def test_the_report_forms_start_on_the_requester_s_own_campus_unless_the_qr_code_names_a_place(site):
    location = _location(site)  # the main campus and its library
    with site.db() as session:
        lake = campus_named(session, site.school_id, "南湖校区")
        session.scalar(select(User).where(User.username == "requester")).campus_id = lake
    requester = site.client("requester")
    for path in ("/report", "/m/report"):
        assert f'<option selected value="{lake}">南湖校区</option>' in requester.page(path), path
    from_code = requester.page(f"/m/report?building={location['building_id']}")
    assert f'<option selected value="{location["campus_id"]}">' in from_code  # the code's place wins
    assert f'<option selected value="{location["campus_id"]}">' in requester.page(f"/m/report?campus={location['campus_id']}")
    # still the requester's to change: an order placed on another campus is taken
    number = _number_from(requester.submit("/report", _report(site)))
    assert site.order(number).campus_id == int(location["campus_id"])

    with site.db() as session:
        session.scalar(select(User).where(User.username == "requester")).campus_id = None
    assert "<option selected" not in requester.page("/report").split('name="campus_id"', 1)[1].split("</select>", 1)[0]


def test_login_comes_back_to_the_phone_page_with_its_query(site):
    anonymous = site.client()
    response = anonymous.get("/m/report?campus=1&room=101")
    assert response.status_code == 302
    assert "next=%2Fm%2Freport%3Fcampus%3D1%26room%3D101" in response.headers["Location"]


def test_description_with_markup_is_shown_escaped(site):
    requester = site.client("requester")
    number = _number_from(requester.submit("/report", _report(site, description='<script>alert("x")</script> 漏水')))
    page = requester.page(f"/orders/{number}")
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; 漏水" in page


def test_my_requests_lists_only_my_orders_with_status_and_colour(site):
    requester = site.client("requester")
    mine = _number_from(requester.submit("/report", _report(site)))
    clerk = site.client("clerk")
    clerks_own = _number_from(clerk.submit("/report", _report(site, description="clerk's own problem")))
    page = requester.page("/my")
    assert mine in page and clerks_own not in page
    assert 'data-status="submitted"' in page
    assert "Water leak" in page
    assert clerks_own in clerk.page("/my") and mine not in clerk.page("/my")
