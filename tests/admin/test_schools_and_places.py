"""Creating a school, deactivating campuses and buildings, renaming rooms one by one, and a refused location form
coming back with what was typed, through the real app."""
from __future__ import annotations

from sqlalchemy import select
from websupport import csrf_from

from engine.models import AuditEvent
from workflows.catalogue.models import Building, CatalogueItem, Room
from workflows.people.models import Campus, School, User
from workflows.people.service import issue_token


def _actions(site) -> list[str]:
    with site.db() as session:
        return [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("admin.%"))
                                                  .order_by(AuditEvent.id))]


def test_the_platform_admin_creates_a_school_with_its_first_campus_and_a_taken_code_keeps_what_was_typed(site):
    assert site.client("admin").submit("/admin/schools/new", {"code": "x", "name": "x", "campus": "x"},
                                       form_page="/admin/org/").status_code == 403, "a school's own admin may not"
    admin = site.client("platform")
    first_admin = {"admin_name": "北方管理员", "admin_username": "north.admin", "admin_password": "north-pass-1"}
    created = admin.submit("/admin/schools/new", {"code": "north", "name": "北方学院", "campus": "北校区",
                                                      **first_admin}, form_page="/admin/schools/")
    assert created.status_code == 302
    with site.db() as session:
        school = session.scalar(select(School).where(School.code == "north"))
        assert school.name == "北方学院"
        assert [c.name for c in session.scalars(select(Campus).where(Campus.school_id == school.id))] == ["北校区"]
        north_admin = session.scalar(select(User).where(User.username == "north.admin"))
        assert north_admin.school_id == school.id and [r.role for r in north_admin.roles] == ["admin"]
    assert _actions(site) == ["admin.school.create", "admin.user.create", "admin.role.grant"]
    north = site.client()  # the new school's administrator logs in and manages it
    assert north.http.post("/login", data={"csrf_token": csrf_from(north.page("/login")), "username": "north.admin",
                                           "password": "north-pass-1"}).status_code == 302
    assert "北方学院" in north.page("/admin/org/")

    taken_name = admin.submit("/admin/schools/new", {"code": "south", "name": "南方学院", "campus": "南校区",
                                                         **first_admin}, form_page="/admin/schools/")
    assert taken_name.status_code == 400 and "This username is already taken." in taken_name.get_data(as_text=True)
    with site.db() as session:  # all or nothing: no school without its administrator
        assert session.scalar(select(School.id).where(School.code == "south")) is None

    taken = admin.submit("/admin/schools/new", {"code": "demo", "name": "重复学院", "campus": "西校区",
                                                    **first_admin, "admin_username": "west.admin"},
                         form_page="/admin/schools/")
    html = taken.get_data(as_text=True)
    assert taken.status_code == 400 and "Another entry has this code." in html
    assert 'value="重复学院"' in html and 'value="西校区"' in html
    with site.db() as session:
        assert session.scalar(select(School.id).where(School.name == "重复学院")) is None
    assert site.client("clerk").submit("/admin/schools/new", {"code": "x", "name": "x", "campus": "x"},
                                       form_page="/my").status_code == 403


def test_a_deactivated_campus_or_building_leaves_intake_but_old_orders_still_show_it(site):
    number = site.report()
    with site.db() as session:
        campus = session.scalar(select(Campus).where(Campus.school_id == site.school_id))
        library = session.scalar(select(Building).where(Building.school_id == site.school_id).order_by(Building.name))
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W01"))
        token = issue_token(session, user=session.scalar(select(User).where(User.username == "requester")), name="app")
    admin, requester, clerk, api = site.client("admin"), site.client("requester"), site.client("clerk"), site.client()
    bearer = {"Authorization": f"Bearer {token}"}
    option, campus_option = f">{library.name}</option>", f">{campus.name}</option>"
    assert option in requester.page("/report")

    admin.submit(f"/admin/locations/building/{library.id}/active", {"active": "0"}, form_page="/admin/locations/")
    assert option not in requester.page("/report") and option not in clerk.page("/counter/new")
    listed = api.http.get("/api/v1/locations", headers=bearer).get_json()["campuses"]
    assert library.id not in [b["id"] for c in listed for b in c["buildings"]]
    assert f'data-building="{library.name}" data-active="false"' in admin.page("/admin/locations/")

    admin.submit(f"/admin/locations/campus/{campus.id}/active", {"active": "0"}, form_page="/admin/locations/")
    assert campus_option not in requester.page("/report") and campus_option not in clerk.page("/counter/new")
    assert campus.id not in [c["id"] for c in api.http.get("/api/v1/locations", headers=bearer).get_json()["campuses"]]
    refused = api.http.post("/api/v1/orders", json={"contact_name": "张三", "contact_phone": "13800000000",
                                                    "campus_id": campus.id, "catalogue_item_id": item.id,
                                                    "description": "灯不亮"}, headers=bearer)
    assert refused.status_code == 422 and "campus_id" in refused.get_json()["error"]["fields"]
    assert campus.name in clerk.page(f"/orders/{number}")  # history keeps the place

    admin.submit(f"/admin/locations/campus/{campus.id}/active", {"active": "1"}, form_page="/admin/locations/")
    assert campus_option in requester.page("/report") and option not in requester.page("/report")
    assert admin.submit("/admin/locations/room/1/active", {"active": "0"}, form_page="/admin/locations/").status_code == 404
    assert _actions(site) == ["admin.building.deactivate", "admin.campus.deactivate", "admin.campus.reactivate"]


def test_rooms_are_renamed_one_by_one_and_a_refused_form_keeps_what_was_typed(site):
    admin = site.client("admin")
    with site.db() as session:
        building = session.scalar(select(Building).where(Building.school_id == site.school_id).order_by(Building.name))
    admin.submit("/admin/locations/room/new", {"floor": "1", "number": "101", "name": "器材室", "parent_id": str(building.id)},
                 form_page="/admin/locations/")
    with site.db() as session:
        room = session.scalar(select(Room).where(Room.building_id == building.id))
    page = admin.page("/admin/locations/")
    assert f'action="/admin/locations/room/{room.id}"' in page  # each room has its own rename form
    renamed = admin.submit(f"/admin/locations/room/{room.id}", {"floor": "2", "number": "201", "name": "档案室",
                                                               "parent_id": str(building.id)}, form_page="/admin/locations/")
    assert renamed.status_code == 302
    with site.db() as session:
        assert (lambda r: (r.floor, r.number, r.name))(session.get(Room, room.id)) == ("2", "201", "档案室")

    twice = admin.submit("/admin/locations/room/new", {"floor": "3", "number": "201", "name": "打印室",
                                                        "parent_id": str(building.id)}, form_page="/admin/locations/")
    html = twice.get_data(as_text=True)
    assert twice.status_code == 400
    assert 'value="打印室"' in html and 'value="3"' in html  # what was typed is still there
    field = html[html.index('value="打印室"') - 1200:html.index('value="打印室"')]
    assert "This building already has a room with this number." in field  # next to the room number
    empty = admin.submit("/admin/locations/campus/new", {"name": " "}, form_page="/admin/locations/")
    assert empty.status_code == 400 and "Required." in empty.get_data(as_text=True)
    with site.db() as session:
        assert len(list(session.scalars(select(Room.id).where(Room.building_id == building.id)))) == 1
    assert _actions(site) == ["admin.room.create", "admin.room.update"]


def test_an_items_rule_overrides_link_lands_on_the_items_own_overrides(site):
    admin = site.client("admin")
    catalogue = admin.page("/admin/catalogue/")
    assert 'href="/admin/rules/edit?category=W/W01"' in catalogue
    page = admin.page("/admin/rules/edit?category=W/W01")
    assert 'aria-current=page>W01 ' in page  # the item itself is the one being edited
    assert "data-item-note" in page and "the service item W01 " in page
    assert "data-item-note" not in admin.page("/admin/rules/edit?category=C")


def test_room_qr_codes_print_building_by_building_and_each_opens_the_report_page_filled_in(site):
    """A label per room (and one for a building without rooms), a page per twelve; the link a code carries opens
    the phone report page with campus, building and room chosen; no other school's building, no requester."""
    import io
    import re

    from pypdf import PdfReader

    from workflows.catalogue.room_codes import labels

    admin = site.client("admin")
    with site.db() as session:
        first, second = session.scalars(select(Building).where(Building.school_id == site.school_id, Building.active.is_(True))
                                        .order_by(Building.name).limit(2)).all()
        first_id, first_name, campus_id, second_id = first.id, first.name, first.campus_id, second.id
        rooms_before = {b: len(session.scalars(select(Room.id).where(Room.building_id == b)).all()) for b in (first_id, second_id)}
    for number in range(1, 15):
        admin.submit("/admin/locations/room/new", {"floor": "1", "number": f"9{number:02d}", "name": "",
                                                   "parent_id": str(first_id)}, form_page="/admin/locations/")
    assert 'data-testid="room-codes"' in admin.page("/admin/locations/")
    response = admin.http.get(f"/admin/locations/room-codes.pdf?building={first_id}&building={second_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    codes = {first_id: rooms_before[first_id] + 14, second_id: max(1, rooms_before[second_id])}  # a roomless one: one code
    assert sum(len(page.images) for page in reader.pages) == sum(codes.values())
    assert len(reader.pages) == sum(-(-n // 12) for n in codes.values())  # twelve to a page, each building on its own
    first_pages = [page.extract_text() for page in reader.pages if page.extract_text().startswith(first_name)]
    assert len(first_pages) == -(-codes[first_id] // 12) and any("901" in text for text in first_pages)

    with site.db() as session:
        building = session.get(Building, first_id)
        rooms = list(session.scalars(select(Room).where(Room.building_id == first_id, Room.number == "901")))
        [label] = labels(building, rooms, lambda b, r: f"/m/report?campus={b.campus_id}&building={b.id}&room={r.number}")
    page = site.client("requester").page(label.link)
    chosen = {m.group(1) for m in re.finditer(r'<option(?=[^>]*\bselected\b)[^>]*\bvalue="([^"]*)"', page)}
    assert {str(first_id), str(campus_id)} <= chosen and 'value="901"' in page

    assert admin.http.get("/admin/locations/room-codes.pdf?building=999999").status_code == 404
    assert site.client("requester").http.get(f"/admin/locations/room-codes.pdf?building={first_id}").status_code == 403
