"""The assessment pages and the leaders' one screen on the real app (demo school with the demo assessments, and
every module's demo part for the one screen): each card's figure equals the rows of the list behind it, the pages
answer in both roles, a scheme whose weights do not add up to 100 comes back with the message and nothing stored,
and a second school sees none of it."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import open_site  # noqa: E402

from engine.clock import now  # noqa: E402
from rules.store import RuleStore  # noqa: E402
from workflows.acting import demo_setting  # noqa: E402
from workflows.assessment import results  # noqa: E402
from workflows.assessment.models import Campaign, SchemeVersion  # noqa: E402
from workflows.attendance.enums import Mark  # noqa: E402
from workflows.attendance.figures import period_rows  # noqa: E402
from workflows.attendance.settings import shift_grace  # noqa: E402
from workflows.complaints import figures as complaint_figures  # noqa: E402
from workflows.dashboard import drilldown, local_day_bounds  # noqa: E402
from workflows.dashboard.onescreen import cards  # noqa: E402
from workflows.delegation import figures as delegation_figures  # noqa: E402
from workflows.demo_assessment import seed_assessment  # noqa: E402
from workflows.duty import figures as duty_figures  # noqa: E402
from workflows.duty.models import Anomaly, Reading  # noqa: E402
from workflows.inspections import figures as inspection_figures  # noqa: E402
from workflows.people.timezone import local_date, local_today, school_zone  # noqa: E402
from workflows.plans import figures as plan_figures  # noqa: E402
from workflows.staff import figures as staff_figures  # noqa: E402
from workflows.staff.certificates import EXPIRING_WITHIN  # noqa: E402


@pytest.fixture
def site(tmp_path):
    with open_site(tmp_path) as running:
        with running.db() as session:
            seed_assessment(session, demo_setting(running.runtime, running.school_id))
        yield running


def _numbers(site) -> dict[str, str]:
    with site.db() as session:
        return {c.status: c.number for c in session.scalars(select(Campaign))}


@dataclass(frozen=True)
class Window:
    """The one screen's period, as its cards were counted."""

    school_id: int
    start: datetime
    end: datetime
    at: datetime
    rules: RuleStore


Rows = Callable[[Session, dict[str, Any], Window], int]  # how many rows a card's page lists, asked as its link asks


def _orders(session: Session, ask: dict[str, Any], w: Window) -> int:
    return drilldown(session, figure=ask["figure"], school_id=w.school_id, start=w.start, end=w.end)["total"]


def _complaints(session: Session, ask: dict[str, Any], w: Window) -> int:
    return len(complaint_figures.drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start, end=w.end,
                                           at=w.at))


def _rounds(session: Session, ask: dict[str, Any], w: Window) -> int:
    return len(inspection_figures.round_drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start,
                                                  end=w.end, at=w.at))


def _findings(session: Session, ask: dict[str, Any], w: Window) -> int:
    return len(inspection_figures.finding_drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start,
                                                    end=w.end, at=w.at))


def _expiring_certificates(session: Session, ask: dict[str, Any], w: Window) -> int:
    """The certificates the staff figure page lists: those of people in service on the day (its other two cards
    are rates, in NO_DRILLDOWN)."""
    assert ask["key"] == staff_figures.EXPIRING, f"a new staff card {ask['key']!r}: count the rows its page lists"
    on = local_date(w.at, school_zone(session, w.school_id))
    return len(staff_figures.expiring(session, school_id=w.school_id, on=on, within=EXPIRING_WITHIN))


def _shifts_marked(session: Session, ask: dict[str, Any], w: Window) -> int:
    """The rates page's started shifts narrowed to the link's ``mark`` (without one the page lists no shift)."""
    grace = shift_grace(w.rules.book(session, w.school_id))
    rows = period_rows(session, school_id=w.school_id, start=w.start, end=w.end, at=w.at, grace=grace)
    return len([r for r in rows if r.outcome.started and Mark(ask["mark"]) in r.outcome.marks])


def _anomalies(session: Session, ask: dict[str, Any], w: Window) -> int:
    where = duty_figures.where(ask["show"], school_id=w.school_id, start=w.start, end=w.end)
    return len(session.scalars(select(Anomaly).where(*where)).all())


def _readings(session: Session, ask: dict[str, Any], w: Window) -> int:
    """The readings page: those out of range in the period when the link asks (``out``), else every reading."""
    where = (duty_figures.readings_where(school_id=w.school_id, start=w.start, end=w.end) if ask.get("out")
             else [Reading.school_id == w.school_id])
    return len(session.scalars(select(Reading).where(*where)).all())


def _results(session: Session, ask: dict[str, Any], w: Window) -> int:
    return len(results.drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start, end=w.end))


def _delegated_tasks(session: Session, ask: dict[str, Any], w: Window) -> int:
    """The tasks the supervision board lists when the link names a figure (without one it shows the open trees)."""
    return len(delegation_figures.drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start, end=w.end,
                                            at=w.at))


def _plan_occurrences(session: Session, ask: dict[str, Any], w: Window) -> int:
    """The occurrences the plan calendar lists when the link names a figure (without one it shows a month)."""
    return len(plan_figures.drilldown(session, school_id=w.school_id, key=ask["show"], start=w.start, end=w.end,
                                      at=w.at))


# the drill-down lists, by the page a card links to; a card linking to a page not named here fails the test
DRILLDOWNS: dict[str, Rows] = {
    "dashboard.orders": _orders, "complaints.index": _complaints, "inspections.rounds": _rounds,
    "inspections.findings": _findings, "staffing.figure": _expiring_certificates,
    "attendance.rates_page": _shifts_marked, "duty.anomalies": _anomalies, "duty.readings": _readings,
    "assessment.results": _results, "plans.calendar": _plan_occurrences, "supervision.board": _delegated_tasks,
}
RATE = "a percentage, not a count: its page lists what it is computed from, which no count of rows equals"
NO_DRILLDOWN = {  # the cards no list of rows stands behind, and why
    "good_rate": RATE, "staff_staffing_rate": RATE, "staff_certified_rate": RATE, "on_post_rate": RATE,
}


@pytest.fixture
def demo_site(tmp_path):
    """The demo school with every process module's demo part (plans, complaints, surveys, inspections, staff,
    attendance, duty, assessments), seeded in the deployment's order as ``houqin demo-data`` does."""
    with open_site(tmp_path) as running:
        setting = demo_setting(running.runtime, running.school_id)
        for module in running.runtime.modules.modules:
            if module.demo is not None:
                with running.db() as session:
                    module.demo(session, setting)
        yield running


def test_every_one_screen_figure_equals_the_rows_of_its_drilldown(demo_site):
    site = demo_site
    for _ in range(2):
        site.report()
    site.done_job()
    with site.db() as session:
        today = local_today(session, site.school_id)
        start, end = local_day_bounds(today.replace(day=1) - timedelta(days=62), today)
        window = Window(site.school_id, start, end, now(), site.runtime.rules)
        shown = cards(session, site.runtime.modules, school_id=site.school_id, start=start, end=end, at=window.at,
                      rules=site.runtime.rules)
        compared: dict[str, int] = {}
        for card in shown:
            if card.key in NO_DRILLDOWN:
                continue
            assert card.link is not None and card.link[0] in DRILLDOWNS, \
                f"card {card.key!r} links to {card.link}: name its drill-down in DRILLDOWNS or say in NO_DRILLDOWN why it has none"
            rows = DRILLDOWNS[card.link[0]](session, card.link[1], window)
            assert card.value == rows, card.key
            compared[card.key] = rows
    assert {c.key for c in shown} == compared.keys() | NO_DRILLDOWN.keys()  # no card excused that is not shown
    counted = {c.section for c in shown if compared.get(c.key)}  # what the demo gives something to count
    assert counted >= {"Repair orders", "Complaints and suggestions", "Inspections", "Service staff", "Attendance",
                       "Duty management", "Assessment"}
    values = {c.key: c.value for c in shown}
    assert values["received"] == 3 and values["assessment_published"] == 1 and values["assessment_running"] == 1
    page = site.client("schoolboss").page("/leaders")
    assert 'data-card="assessment_published"' in page and 'data-card="plan_occurrences"' in page
    leader = site.client("schoolboss")
    for query in (urlencode({"show": "assessment_running", "start": start.isoformat(), "end": end.isoformat()}),
                  "show=assessment_running"):  # the card's link, and the list's own 13 months
        listed = leader.page(f"/assessment/results?{query}")
        assert len(re.findall(r'<tr data-number="KH', listed)) == 1 and "Assessments in progress" in listed, query


def test_the_big_screen_and_its_figures_refresh_as_json(site):
    leader = site.client("schoolboss")
    assert "bigscreen" in leader.page("/leaders/big")
    data = leader.get("/leaders/cards.json").get_json()
    assert data["ranking"]["rows"][0]["unit"] == "后勤服务公司"
    assert any(card["key"] == "received" for cards_ in data["sections"].values() for card in cards_)


def test_campaign_pages_show_the_items_and_let_the_unit_answer(site):
    numbers = _numbers(site)
    supervisor = site.client("supervisor")
    page = supervisor.page(f"/assessment/{numbers['scoring']}")
    assert 'data-testid="findings-i3"' in page  # the canteen's scored items open to the assessor
    assert "饮食服务中心" in page
    published = site.client("deputy").page(f"/assessment/{numbers['published']}")
    assert 'data-testid="total"' in published and "Result published" in published
    with site.db() as session:  # the approval went through its form and kept the leader's note
        assert session.scalar(select(Campaign.approval_note).where(Campaign.number == numbers["published"])) == "同意公布"
    assert supervisor.page("/assessment/schemes").count("data-code=") == 2
    assert "Results and rankings" in supervisor.page("/assessment/results")
    assert 'data-testid="ranking"' not in supervisor.page("/assessment/results?kind=quarterly")  # no quarter published
    assert supervisor.get("/assessment/results?kind=weekly").status_code == 404


def test_a_scheme_whose_weights_miss_100_is_refused_on_the_page_and_nothing_is_stored(site):
    with site.db() as session:
        unit = session.scalar(select(SchemeVersion.unit_id))
        before = session.scalar(select(func.count(SchemeVersion.id)))
    supervisor = site.client("supervisor")
    body = {
        "name": "保安服务考核", "unit_id": str(unit), "schedule": "monthly",
        "items-0-name": "报修好评率", "items-0-weight": "60", "items-0-kind": "computed",
        "items-0-indicator": "repair_good_rate", "items-0-zero_at": "80", "items-0-full_at": "98",
        "items-1-name": "巡逻", "items-1-weight": "30", "items-1-kind": "scored", "items-1-rules": "漏巡一次 | 2",
        **{f"bands-{n}-min": str(low) for n, low in enumerate((90, 80, 60, 0))},
        **{f"bands-{n}-deduction": "0" for n in range(4)}}
    response = supervisor.submit("/assessment/schemes/new", body)
    assert response.status_code == 400
    assert "the weights add up to 90, not 100" in response.get_data(as_text=True)
    assert 'value="巡逻"' in response.get_data(as_text=True)  # what was typed comes back
    chinese = supervisor.submit("/assessment/schemes/new", body, form_page="/assessment/schemes/new?lang=zh_CN")
    assert "权重合计为 90，不是 100" in chinese.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(func.count(SchemeVersion.id))) == before


def test_another_school_sees_no_campaign_no_scheme_and_no_one_screen_of_this_one(site):
    numbers = _numbers(site)
    site.other_school_user("otherboss", "school_leader")
    other = site.client("otherboss")
    assert other.get(f"/assessment/{numbers['published']}").status_code == 404
    assert "data-code=" not in other.page("/assessment/schemes")
    assert "后勤服务公司" not in other.page("/leaders")
    assert other.get("/assessment/schemes/KH001/edit").status_code in (403, 404)
    assert site.client("requester").get("/leaders").status_code == 403


def test_the_monthly_report_gains_the_units_scores_ranked(site, tmp_path):
    from datetime import date

    from workflows.reports.content import gather, tables
    from workflows.reports.excel import write_excel
    from workflows.reports.pdf import write_pdf

    with site.db() as session:
        data = gather(session, site.runtime.report_making, school_id=site.school_id, unit_id=None, period="month",
                      first=date(2026, 10, 1), last=date(2026, 10, 31), locale="zh_CN")
    section = next(t for t in tables(data) if t.key == "assessment")
    # no repairs, plans or complaints in October: computed items keep their weight (25 + 15 + 15 + 10); cleaning
    # loses 2 × 2 of 20, safety none of 15 → 96, excellent, no deduction
    assert [row[:2] + row[3:] for row in section.rows] == [(1, "后勤服务公司", 96.0, "excellent", 0.0)]
    write_excel(data, tmp_path / "r.xlsx")
    write_pdf(data, tmp_path / "r.pdf", generated="2026-11-16 09:00")
    assert (tmp_path / "r.pdf").stat().st_size > 0


def test_an_assessor_records_findings_with_a_photo_and_the_unit_appeals_on_the_page_until_the_deadline(site):
    import io

    from websupport import png_bytes

    numbers = _numbers(site)
    running = numbers["scoring"]
    supervisor = site.client("supervisor")
    page = f"/assessment/{running}"
    saved = supervisor.submit(f"{page}/findings", {"item": "i3", "count-R1": "1", "note-R1": "留样 36 小时",
                                                   "count-R2": "0", "note": "抽查", "evidence": (io.BytesIO(png_bytes()), "留样.png")},
                              form_page=page)
    assert saved.status_code == 302
    shown = supervisor.page(page)
    assert 'data-testid="points-i3">25<' in shown and "留样不足48小时，每次扣5分 × 1 留样 36 小时" in shown
    photo = re.search(r'href="(/assessment/[^"]+/files/[^"?]+)"', shown)
    assert photo and supervisor.get(photo.group(1)).status_code == 200
    assert site.client("deputy").get(f"{page}/findings").status_code == 405
    refused = site.client("deputy").post(f"{page}/findings", {"item": "i3"})
    assert refused.status_code in (400, 403)  # no CSRF token, and not an assessor

    assert 'data-testid="open-tasks"' in supervisor.page(page)  # the scoring task, one click away
    site.do(running, "score_items", "supervisor", note="")
    assert site.client("deputy").get(page).status_code == 403  # the company's deputy answers not for the canteen
    from workflows.demo import DEMO_PASSWORD
    from workflows.people.models import OrgUnit
    from workflows.people.service import create_user

    with site.db() as session:
        canteen = session.scalar(select(OrgUnit.id).where(OrgUnit.name == "饮食服务中心"))
        create_user(session, username="canteen_head", password=DEMO_PASSWORD, display_name="钱经理",
                    school_id=site.school_id, roles=[("deputy_leader", canteen)])
    deputy = site.client("canteen_head")
    appealed = deputy.submit(f"{page}/appeal", {"item": "i3", "reason": "留样记录齐全，见附件"}, form_page=page)
    assert appealed.status_code == 302
    assert "留样记录齐全" in deputy.page(page) and 'data-testid="answer"' not in deputy.page(page)
    again = deputy.submit(f"{page}/appeal", {"item": "i4", "reason": "再申诉"}, form_page="/notifications/settings")
    assert again.status_code == 302
    assert "the unit has answered this result already" in deputy.page(page)
    with site.db() as session:
        from workflows.assessment.models import Appeal

        assert [a.item_key for a in session.scalars(select(Appeal))] == ["i3"]


def test_a_scheme_switched_off_opens_no_campaign_until_it_is_used_again(site):
    from engine.models import AuditEvent
    from workflows.assessment.service import open_scheduled

    with site.db() as session:
        code = session.scalar(select(SchemeVersion.code).order_by(SchemeVersion.code))
        campaigns = session.scalar(select(func.count(Campaign.id)).where(Campaign.scheme_code == code))
    assert site.client("requester").post(f"/assessment/schemes/{code}/active", {"active": "0"}).status_code in (400, 403)
    supervisor = site.client("supervisor")
    switched = supervisor.submit(f"/assessment/schemes/{code}/active", {"active": "0"}, form_page="/assessment/schemes")
    assert switched.status_code == 302
    page = supervisor.page("/assessment/schemes")
    assert f'data-code="{code}" data-active="0"' in page
    assert f'<option value="{code}"' not in supervisor.page("/assessment")  # not offered for a campaign by hand
    site.traveller.shift(timedelta(days=100))  # three period ends later: the schedule opens nothing on it
    with site.db() as session:
        open_scheduled(session, site.runtime.host)
        assert session.scalar(select(func.count(Campaign.id)).where(Campaign.scheme_code == code)) == campaigns
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "admin.scheme.deactivate")) == 1
    site.other_school_user("otheradmin", "admin")
    assert site.client("otheradmin").submit(f"/assessment/schemes/{code}/active", {"active": "1"},
                                             form_page="/assessment/schemes").status_code == 404
    supervisor = site.client("supervisor")  # logged in again: a hundred days ended the first session
    supervisor.submit(f"/assessment/schemes/{code}/active", {"active": "1"}, form_page="/assessment/schemes")
    assert f'data-code="{code}" data-active="1"' in supervisor.page("/assessment/schemes")
    with site.db() as session:
        open_scheduled(session, site.runtime.host)
        assert session.scalar(select(func.count(Campaign.id)).where(Campaign.scheme_code == code)) > campaigns
