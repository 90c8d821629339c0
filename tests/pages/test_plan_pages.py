"""The plan pages: who may see them, entering a plan, the calendar, importing a sheet, an occurrence page."""
from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from workflows.people.models import OrgUnit
from workflows.plans.models import PlanOccurrence, WorkPlan


def _unit(site) -> int:
    with site.db() as session:
        return session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == site.school_id, OrgUnit.parent_id.is_(None)))


def test_plan_pages_are_for_supervisors_and_leaders_only(site):
    worker = site.client("worker")
    for path in ("/plans", "/plans/calendar", "/plans/new", "/plans/import"):
        assert worker.get(path).status_code == 403
    assert "/plans/calendar" not in worker.page("/")
    supervisor = site.client("supervisor")
    assert "/plans/calendar" in supervisor.page("/")
    assert supervisor.http.post("/plans/new", data={"title": "x"}).status_code == 400  # no CSRF token


def test_a_plan_entered_by_hand_shows_on_the_calendar_and_opens_its_occurrence(site):
    supervisor = site.client("supervisor")
    worker = site.user("worker")
    response = supervisor.submit("/plans/new", {
        "title": "消防器材月检", "unit_id": str(_unit(site)), "responsible_id": str(worker.id), "places": "图书馆\n食堂",
        "recurrence": "monthly", "interval": "1", "starts_on": "2026-11-18", "duration_days": "1", "checklist": "灭火器\n消防栓",
        "evidence": ["photos"]})
    assert response.status_code == 302 and "month=2026-11" in response.headers["Location"]
    calendar = supervisor.page("/plans/calendar?month=2026-11")
    assert "消防器材月检" in calendar and 'data-day="2026-11-18"' in calendar
    assert 'data-status="reminded"' in calendar  # generated at once (within the look-ahead), reminded at once
    december = supervisor.page("/plans/calendar?month=2026-12")
    assert 'data-status="upcoming"' in december  # later dates show before they are generated
    week = supervisor.page("/plans/calendar?view=week&day=2026-11-18")
    assert "消防器材月检" in week
    with site.db() as session:
        occurrence = session.scalar(select(PlanOccurrence))
        number = occurrence.number
    page = supervisor.page(f"/plans/occurrences/{number}")
    assert "灭火器" in page and "图书馆" in page
    assert site.client("worker").get(f"/plans/occurrences/{number}").status_code == 200  # the responsible person
    assert site.client("requester").get(f"/plans/occurrences/{number}").status_code == 403


def test_a_bad_plan_form_is_refused_on_its_field(site):
    supervisor = site.client("supervisor")
    response = supervisor.submit("/plans/new", {
        "title": "灭蚊", "unit_id": str(_unit(site)), "responsible_id": str(site.user("worker").id), "recurrence": "seasonal",
        "interval": "2", "starts_on": "2027-06-01", "duration_days": "1"})
    assert response.status_code == 200
    assert "A seasonal plan needs the months of its season." in response.get_data(as_text=True)
    with site.db() as session:
        assert session.scalar(select(WorkPlan)) is None


def test_importing_a_sheet_with_a_bad_row_shows_row_and_column_and_imports_nothing(site):
    book = Workbook()
    book.active.append(["标题", "服务单位", "负责人", "周期", "开始日期"])
    book.active.append(["外墙清洗", "后勤服务公司", "worker", "每年", date(2027, 3, 1)])
    book.active.append(["设备保养", "后勤服务公司", "nobody", "每月", date(2027, 1, 5)])
    buffer = io.BytesIO()
    book.save(buffer)
    supervisor = site.client("supervisor")
    response = supervisor.submit("/plans/import", {"sheet": (io.BytesIO(buffer.getvalue()), "plans.xlsx")})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "No such user name." in text and "<td>3</td><td>C 负责人</td>" in text
    with site.db() as session:
        assert session.scalar(select(WorkPlan)) is None
    response = supervisor.submit("/plans/import", {"sheet": (io.BytesIO(buffer.getvalue()), "plans.xlsx"), "skip_bad_rows": "y"})
    assert response.status_code == 302
    with site.db() as session:
        assert list(session.scalars(select(WorkPlan.title))) == ["外墙清洗"]
