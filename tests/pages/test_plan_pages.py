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


def _plan_form(site, **changes) -> dict:
    values = {"title": "消防器材月检", "unit_id": str(_unit(site)), "responsible_id": str(site.user("worker").id),
              "places": "图书馆", "recurrence": "monthly", "interval": "1", "starts_on": "2026-11-18", "duration_days": "1",
              "checklist": "灭火器", "evidence": ["photos"]}
    return {**values, **changes}


def test_a_plan_is_edited_deactivated_with_its_open_occurrence_cancelled_and_reactivated(site):
    supervisor = site.client("supervisor")
    assert supervisor.submit("/plans/new", _plan_form(site)).status_code == 302
    with site.db() as session:
        plan_id = session.scalar(select(WorkPlan.id))
        (number,) = session.scalars(select(PlanOccurrence.number))
    edit = f"/plans/{plan_id}/edit"
    assert f'href="{edit}"' in supervisor.page("/plans")
    assert site.client("worker").get(edit).status_code == 403
    site.other_school_user("stranger", "supervisor")
    assert site.client("stranger").get(edit).status_code == 404
    page = supervisor.page(edit)
    assert 'value="消防器材月检"' in page and "灭火器</textarea>" in page and "Open occurrences: 1." in page

    refused = supervisor.submit(edit, _plan_form(site, duration_days="0"))
    assert refused.status_code == 200 and "Number must be between 1 and 366." in refused.get_data(as_text=True)
    assert supervisor.submit(edit, _plan_form(site, title="消防器材季检", checklist="灭火器\n消防栓")).status_code == 302
    with site.db() as session:
        plan = session.get(WorkPlan, plan_id)
        assert (plan.title, plan.checklist, plan.active) == ("消防器材季检", ["灭火器", "消防栓"], True)

    assert supervisor.http.post(f"/plans/{plan_id}/deactivate", data={"off-cancel_open": "y"}).status_code == 400  # no CSRF
    no_reason = supervisor.submit(f"/plans/{plan_id}/deactivate", {"off-cancel_open": "y"}, form_page=edit,
                                  follow_redirects=True)
    assert "Give the reason for cancelling the open occurrences." in no_reason.get_data(as_text=True)
    response = supervisor.submit(f"/plans/{plan_id}/deactivate", {"off-cancel_open": "y", "off-reason": "改由外包单位负责"},
                                 form_page=edit)
    assert response.status_code == 302
    with site.db() as session:
        assert session.get(WorkPlan, plan_id).active is False
        assert session.scalar(select(PlanOccurrence.status).where(PlanOccurrence.number == number)) == "cancelled"
    assert 'data-testid="inactive"' in supervisor.page("/plans")
    assert 'data-status="cancelled"' in supervisor.page("/plans/calendar?month=2026-11")
    assert 'data-status="upcoming"' not in supervisor.page("/plans/calendar?month=2026-12")

    assert supervisor.submit(f"/plans/{plan_id}/reactivate", {}, form_page=edit).status_code == 302
    with site.db() as session:
        assert session.get(WorkPlan, plan_id).active is True
    assert 'data-status="upcoming"' in supervisor.page("/plans/calendar?month=2026-12")
