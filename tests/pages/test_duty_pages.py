"""Duty pages on the demo school's duty: the office's board, roster, anomaly list, patrols, readings, histories and
QR codes open for staff; the person on duty checks in and patrols from the phone pages (CSRF on); the readings and
anomaly API; and another school's people get 403/404 from every page and call."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select
from websupport import PDF, png_bytes

from engine.clock import now
from workflows.demo_duty import seed_duty
from workflows.duty.figures import figures
from workflows.duty.models import Anomaly, Equipment, Point, Post, Reading, RosterChange, Route, Scan, Shift
from workflows.people.models import User


def _seed(site) -> None:
    with site.db() as session:
        seed_duty(session, site.runtime.host, site.runtime.rules, school_id=site.school_id)


def test_the_office_pages_show_the_demo_duty(site):
    _seed(site)
    supervisor = site.client("supervisor")
    assert "1号公寓夜班值班" in supervisor.page("/duty/roster")
    assert "1号锅炉" in supervisor.page("/duty/readings?out=1") or "1号燃气锅炉" in supervisor.page("/duty/readings?out=1")
    listing = supervisor.page("/duty/anomalies")
    with site.db() as session:
        numbers = list(session.scalars(select(Anomaly.number).where(Anomaly.school_id == site.school_id)))
        post = session.scalar(select(Post.id).where(Post.code == "D1"))
    assert numbers and all(n in listing for n in numbers[:5])
    assert numbers[0] in supervisor.page(f"/duty/anomalies/{numbers[0]}")
    for path in ("/duty", "/duty/patrols", f"/duty/history?post={post}", f"/duty/history?person={site.user('worker').id}",
                 "/duty/anomalies?show=duty_reading", "/duty/anomalies?show=duty_off_post"):
        supervisor.page(path)
    pdf = supervisor.get(f"/duty/posts/{post}/codes.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def _next_shift_begun(site) -> tuple[Shift, Post, str, str | None]:
    """The demo duty's next shift, its clock moved a minute past its start: the shift, its post, who is on it and
    the code of a patrol point of the post (None when it has none)."""
    _seed(site)
    with site.db() as session:
        shift = session.scalar(select(Shift).where(Shift.starts_at > now()).order_by(Shift.starts_at))
        post = session.get(Post, shift.post_id)
        point = session.scalar(select(Point).join(Route).where(Route.post_id == post.id))
        username = session.get(User, shift.user_id).username
    site.wait(seconds=(shift.starts_at - now()).total_seconds() + 60)
    return shift, post, username, point.token if point else None


def test_the_person_on_duty_checks_in_and_patrols_from_the_phone(site):
    shift, post, username, point_token = _next_shift_begun(site)
    token = post.token
    person = site.client(username)
    assert post.name in person.page("/m/duty")
    assert person.submit(f"/m/duty/post/{token}", {"action": "check_in"}).status_code == 302
    if point_token:
        assert person.submit(f"/m/duty/scan/{point_token}", {}).status_code == 302
    with site.db() as session:
        assert session.get(Shift, shift.id).checked_in_at is not None
        if point_token:
            assert session.scalar(select(func.count(Scan.id)).where(Scan.shift_id == shift.id, Scan.kind == "patrol")) == 1
    assert "/m/duty/issue" in person.page("/m/duty")
    assert person.submit("/m/duty/issue", {"description": "三楼卫生间漏水"}).status_code == 302
    with site.db() as session:
        assert session.scalar(select(func.count(Anomaly.id)).where(Anomaly.kind == "issue")) == 1


def test_the_issue_page_reads_in_chinese(site):
    """The photo box words its button and count in the page's language, not the browser's own file control's, and the
    button says what it sends (the supervision page's 汇报 is a progress report)."""
    _shift, _post, username, _point = _next_shift_begun(site)
    issue = site.client(username).page("/m/duty/issue?lang=zh_CN")
    assert 'data-choose="选择照片"' in issue and 'data-none-chosen="尚未选择"' in issue and "最多 6 张照片，每张不超过 8 MB。" in issue
    assert ">提交上报</button>" in issue and "汇报" not in issue


def test_the_phone_home_says_the_posts_place_only_when_it_has_one(site):
    """A post's place is optional: without one the post's name stands alone, not followed by a dot."""
    _shift, post, username, _point = _next_shift_begun(site)
    person = site.client(username)
    assert f"<strong>{post.name}</strong> · {post.place}</p>" in person.page("/m/duty") and post.place != post.name
    with site.db() as session:
        session.get(Post, post.id).place = ""
    assert f"<strong>{post.name}</strong></p>" in person.page("/m/duty")




def test_an_issues_photos_are_pictures_and_a_pdf_is_refused_beside_them_saying_so(site):
    """An issue's photos show what was found: a PDF, which the shared check of kept files takes for documents, is
    refused next to the photos in the page's language and nothing is reported; a picture is kept with the issue."""
    _shift, post, username, _point = _next_shift_begun(site)
    person = site.client(username)
    assert person.submit(f"/m/duty/post/{post.token}", {"action": "check_in"}).status_code == 302
    for lang, says in (("en", "“leak.pdf” is not a picture (JPEG, PNG or WebP) of at most 8 MB."),
                       ("zh_CN", "“leak.pdf”不是不超过 8 MB 的图片（JPEG、PNG 或 WebP）。")):
        refused = person.submit(f"/m/duty/issue?lang={lang}",
                                {"description": "三楼卫生间漏水", "photos": [(io.BytesIO(PDF), "leak.pdf")]})
        assert refused.status_code == 200, lang
        assert says in refused.get_data(as_text=True).split('for="photos"', 1)[1].split("</div>", 1)[0], lang
    with site.db() as session:
        assert session.scalar(select(func.count(Anomaly.id)).where(Anomaly.kind == "issue")) == 0
    assert site.stored_files() == []
    reported = person.submit("/m/duty/issue", {"description": "三楼卫生间漏水",
                                               "photos": [(io.BytesIO(png_bytes()), "leak.png")]})
    assert reported.status_code == 302
    with site.db() as session:
        (issue,) = session.scalars(select(Anomaly).where(Anomaly.kind == "issue"))
        assert [p["name"] for p in issue.photos] == ["leak.png"]


def test_another_school_gets_nothing(site):
    _seed(site)
    site.other_school_user("stranger", "supervisor")
    stranger = site.client("stranger")
    with site.db() as session:
        number = session.scalar(select(Anomaly.number))
        post = session.scalar(select(Post))
        point = session.scalar(select(Point))
    assert stranger.get(f"/duty/anomalies/{number}").status_code == 404
    assert stranger.get(f"/duty/posts/{post.id}/codes.pdf").status_code == 404
    assert stranger.get(f"/m/duty/scan/{point.token}").status_code == 404
    assert stranger.get(f"/m/duty/post/{post.token}").status_code == 404
    assert number not in stranger.page("/duty/anomalies")
    assert site.client("requester").get("/duty/anomalies").status_code == 403


def test_managers_register_equipment_and_posts_and_others_only_read(site):
    supervisor, worker = site.client("supervisor"), site.client("worker")
    form = {"code": "BOILER-7", "name": "7号锅炉", "kind": "boiler", "building_id": "", "place": "锅炉房", "unit_id": "",
            "post_id": "", "maintenance_due": "2026-12-20", "metric": "boiler_temperature", "low": "50", "high": "90"}
    assert worker.submit("/duty/equipment", form).status_code == 403
    assert supervisor.submit("/duty/equipment", form).status_code == 302
    again = supervisor.submit("/duty/equipment", {**form, "name": "重复"})
    assert again.status_code == 200 and "重复" not in worker.page("/duty/equipment")  # the code is taken: nothing stored
    with site.db() as session:
        device = session.scalar(select(Equipment).where(Equipment.code == "BOILER-7"))
        assert device.limits == {"boiler_temperature": {"min": 50.0, "max": 90.0}}
    assert "7号锅炉" in worker.page("/duty/equipment")
    post = {"post-code": "N9", "post-name": "9号楼夜班", "post-kind": "dorm_night_desk", "post-building_id": "",
            "post-place": "9号楼", "post-unit_id": "", "post-night": "y", "what": "post"}
    assert supervisor.submit("/duty/posts", post, form_page="/duty/posts").status_code == 302
    with site.db() as session:
        post_id = session.scalar(select(Post.id).where(Post.code == "N9"))
    point = {"point-post_id": str(post_id), "point-name": "一楼大厅", "what": "point"}
    assert supervisor.submit("/duty/posts", point, form_page="/duty/posts").status_code == 302
    template = {"tpl-post_id": str(post_id), "tpl-name": "夜班", "tpl-starts": "22:00", "tpl-ends": "06:00",
                "tpl-weekdays": ["0", "1", "2", "3", "4", "5", "6"], "tpl-rotation": [str(site.user("worker").id)],
                "tpl-valid_from": "2026-11-16", "what": "template"}
    assert supervisor.submit("/duty/posts", template, form_page="/duty/posts").status_code == 302
    assert supervisor.submit("/duty/posts", {"what": "roster"}, form_page="/duty/posts").status_code == 302
    with site.db() as session:
        assert session.scalar(select(func.count(Shift.id)).where(Shift.post_id == post_id)) == 14


def test_a_patrol_device_export_is_imported_once(site):
    _seed(site)
    with site.db() as session:
        shift = session.scalar(select(Shift).where(Shift.starts_at <= now(), Shift.ends_at > now(),
                                                   Shift.user_id.is_not(None)).join(Route, Route.post_id == Shift.post_id))
        point = session.scalar(select(Point).join(Route).where(Route.post_id == shift.post_id))
        person = session.get(User, shift.user_id)
        person.number = "G0001"
        code = point.code
    sheet = f"point,person,time\n{code},G0001,{now().isoformat()}\n".encode()
    supervisor = site.client("supervisor")
    first = supervisor.submit("/duty/patrols/import", {"sheet": (io.BytesIO(sheet), "export.csv")})
    assert first.status_code == 302
    again = supervisor.submit("/duty/patrols/import", {"sheet": (io.BytesIO(sheet), "export.csv")})
    assert again.status_code == 302
    with site.db() as session:
        assert session.scalar(select(func.count(Scan.id)).where(Scan.source == "device")) == 1
    bad = supervisor.submit("/duty/patrols/import", {"sheet": (io.BytesIO(b"point,person,time\nNOPE,G0001,2026-11-16T09:00+08:00\n"),
                                                               "export.csv")})
    assert bad.status_code == 200 and "NOPE" in bad.get_data(as_text=True)


def test_a_swap_asked_on_the_phone_waits_for_the_supervisor(site):
    _seed(site)
    worker_id, clerk_id = site.user("worker").id, site.user("clerk").id
    with site.db() as session:
        mine = session.scalar(select(Shift).where(Shift.user_id == worker_id, Shift.starts_at > now())
                              .order_by(Shift.starts_at))
        theirs = session.scalar(select(Shift).where(Shift.user_id == clerk_id, Shift.starts_at > now())
                                .order_by(Shift.starts_at))
        mine_id, theirs_id = mine.id, theirs.id
    worker = site.client("worker")
    asked = worker.submit("/m/duty/change", {"kind": "swap", "shift_id": str(mine_id), "other_shift_id": str(theirs_id),
                                             "substitute_id": "", "reason": "家中有事"})
    assert asked.status_code == 302
    with site.db() as session:
        change = session.scalar(select(RosterChange))
        assert change.status == "pending" and session.get(Shift, mine_id).user_id == worker_id
    supervisor = site.client("supervisor")
    assert "家中有事" in supervisor.page("/duty/roster")
    assert supervisor.submit(f"/duty/changes/{change.id}", {"decision": "approve"}, form_page="/duty/roster").status_code == 302
    with site.db() as session:
        assert session.get(Shift, mine_id).user_id == clerk_id


def test_the_dashboard_cards_count_what_their_drill_down_lists(site):
    _seed(site)
    supervisor = site.client("leader")
    page = supervisor.page("/dashboard")
    with site.db() as session:
        start, end = now() - timedelta(days=7), now() + timedelta(minutes=1)
        cards = {f.key: f for f in figures(session, school_id=site.school_id, start=start, end=end, at=now(),
                                           rules=site.runtime.rules)}
    assert cards["duty_reading"].value >= 1 and cards["duty_off_post"].value >= 1
    assert cards["duty_readings_out"].value >= 1
    assert "/duty/anomalies?show=duty_off_post" in page.replace("&amp;", "&")
    for key in ("duty_reading", "duty_off_post"):
        listing = supervisor.page(f"/duty/anomalies?show={key}&start={start.isoformat()}&end={end.isoformat()}"
                                  .replace("+", "%2B"))
        assert listing.count("data-number=") == cards[key].value
    out = supervisor.page(f"/duty/readings?out=1&start={start.isoformat()}&end={end.isoformat()}".replace("+", "%2B"))
    assert out.count('class="overdue"') == cards["duty_readings_out"].value


def test_the_drill_downs_reach_back_a_year_at_most(site):
    """A link asking for decades reads the year before its end: what is older is not listed, what is younger is."""
    _seed(site)
    end = now() + timedelta(minutes=1)
    with site.db() as session:
        young, old = (session.scalar(select(Anomaly).where(Anomaly.kind == kind)) for kind in ("reading", "off_post"))
        young.detected_at, old.detected_at = end - timedelta(days=300), end - timedelta(days=400)
        for reading, (days, value) in zip(session.scalars(select(Reading).where(Reading.out_of_range.is_(True))),
                                          ((300, 876543), (400, 987654)), strict=True):
            reading.taken_at, reading.value = end - timedelta(days=days), value
        numbers = young.number, old.number
    supervisor = site.client("supervisor")
    period = f"start=2000-01-01T00:00:00%2B00:00&end={end.isoformat()}".replace("+", "%2B")
    assert numbers[0] in supervisor.page(f"/duty/anomalies?show=duty_reading&{period}")
    assert numbers[1] not in supervisor.page(f"/duty/anomalies?show=duty_off_post&{period}")
    with site.db() as session:  # the same list does show it once it is younger than a year
        session.scalar(select(Anomaly).where(Anomaly.number == numbers[1])).detected_at = end - timedelta(days=300)
    assert numbers[1] in supervisor.page(f"/duty/anomalies?show=duty_off_post&{period}")
    out = supervisor.page(f"/duty/readings?out=1&{period}")
    assert "876543" in out and "987654" not in out


def test_a_reading_entered_at_a_patrol_point_is_watched_like_a_devices(site):
    _seed(site)
    with site.db() as session:
        post = session.scalar(select(Post).where(Post.code == "B1"))
        point = session.scalar(select(Point).join(Route).where(Route.post_id == post.id))
        shift = session.scalar(select(Shift).where(Shift.post_id == post.id, Shift.starts_at > now()).order_by(Shift.starts_at))
        username, token, starts = session.get(User, shift.user_id).username, point.token, shift.starts_at
    site.wait(seconds=(starts - now()).total_seconds() + 60)
    person = site.client(username)
    assert "BOILER-1|boiler_pressure" in person.page(f"/m/duty/scan/{token}")
    sent = person.submit(f"/m/duty/scan/{token}", {"reading": "BOILER-1|boiler_pressure", "value": "1400"})
    assert sent.status_code == 302
    with site.db() as session:
        reading = session.scalar(select(Reading).where(Reading.source == "patrol"))
        assert reading.value == 1400 and reading.out_of_range
        assert session.scalar(select(func.count(Anomaly.id)).where(Anomaly.metric == "boiler_pressure")) == 1


def test_the_readings_list_shows_a_period_a_week_by_default(site):
    """Devices report all day: the list reads the readings of a period, the last week unless the link says which."""
    _seed(site)
    with site.db() as session:
        boiler = session.scalar(select(Equipment).where(Equipment.school_id == site.school_id).order_by(Equipment.id))
        old = now() - timedelta(days=20)
        session.add(Reading(school_id=site.school_id, equipment_id=boiler.id, metric="temperature", value=41.5,
                            taken_at=old, source="device"))
    supervisor = site.client("supervisor")
    week = supervisor.page("/duty/readings")
    assert 'data-testid="period"' in week and "41.5" not in week
    start = (old - timedelta(days=1)).date().isoformat()
    end = (old + timedelta(days=1)).date().isoformat()
    assert "41.5" in supervisor.page(f"/duty/readings?start={start}&end={end}")


def test_a_taken_equipment_code_is_refused_in_chinese(site):
    supervisor = site.client("supervisor")
    form = {"code": "BOILER-8", "name": "8号锅炉", "kind": "boiler", "building_id": "", "place": "锅炉房", "unit_id": "",
            "post_id": "", "maintenance_due": "", "metric": "", "low": "", "high": ""}
    assert supervisor.submit("/duty/equipment", form).status_code == 302
    again = supervisor.submit("/duty/equipment", {**form, "name": "重复"}, form_page="/duty/equipment?lang=zh_CN")
    assert again.status_code == 200 and "该编号已被使用" in again.get_data(as_text=True)
