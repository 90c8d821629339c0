"""Duty pages on the demo school's duty: the office's board, roster, anomaly list, patrols, readings, histories and
QR codes open for staff; the person on duty checks in and patrols from the phone pages (CSRF on); the readings and
anomaly API; and another school's people get 403/404 from every page and call."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.clock import now
from workflows.demo_duty import seed_duty
from workflows.duty.models import Anomaly, Point, Post, Route, Scan, Shift
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


def test_the_person_on_duty_checks_in_and_patrols_from_the_phone(site):
    _seed(site)
    with site.db() as session:
        shift = session.scalar(select(Shift).where(Shift.starts_at > now()).order_by(Shift.starts_at))
        post = session.get(Post, shift.post_id)
        point = session.scalar(select(Point).join(Route).where(Route.post_id == post.id))
        username = session.get(User, shift.user_id).username
        token, point_token, starts = post.token, point.token if point else None, shift.starts_at
    site.wait(seconds=(starts - now()).total_seconds() + 60)
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
