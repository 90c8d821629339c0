"""The plan pages: who may see them, entering a plan, the calendar, importing a sheet, an occurrence page, and the
occurrences each dashboard card counts."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from websupport import dashboard_cards, enter_plan_and_delegate

from engine.clock import now
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
    assert 'data-state="not_started"' in calendar  # generated at once (within the look-ahead), starting on the 18th
    december = supervisor.page("/plans/calendar?month=2026-12")
    assert 'data-state="not_generated"' in december  # later dates show before they are generated
    week = supervisor.page("/plans/calendar?view=week&day=2026-11-18")
    assert "消防器材月检" in week
    with site.db() as session:
        occurrence = session.scalar(select(PlanOccurrence))
        number = occurrence.number
    page = supervisor.page(f"/plans/occurrences/{number}")
    assert "灭火器" in page and "图书馆" in page
    assert site.client("worker").get(f"/plans/occurrences/{number}").status_code == 200  # the responsible person
    assert site.client("requester").get(f"/plans/occurrences/{number}").status_code == 403


def test_a_plan_on_several_weekdays_and_one_on_the_first_monday_read_in_words(site):
    supervisor = site.client("supervisor")
    base = {"unit_id": str(_unit(site)), "responsible_id": str(site.user("worker").id), "interval": "1", "duration_days": "1"}
    response = supervisor.submit("/plans/new", {**base, "title": "垃圾清运", "recurrence": "weekly", "starts_on": "2027-06-07",
                                                "weekdays": ["0", "2", "4"]})
    assert response.status_code == 302
    response = supervisor.submit("/plans/new", {**base, "title": "消防例会", "recurrence": "monthly_weekday",
                                                "starts_on": "2027-06-07"})
    assert response.status_code == 302
    listing = supervisor.page("/plans?lang=zh_CN")
    assert "每周一、周三和周五" in listing and "每月第一个周一" in listing
    refused = supervisor.submit("/plans/new", {**base, "title": "月检", "recurrence": "monthly", "starts_on": "2027-06-07",
                                               "weekdays": ["1"]})
    assert refused.status_code == 200
    assert "只有按周或季节性计划可以选择多个星期几。" in refused.get_data(as_text=True)  # the page kept the chosen language


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


def test_a_sheet_row_the_plan_checks_refuse_says_why_in_chinese(site):
    book = Workbook()
    book.active.append(["标题", "服务单位", "负责人", "周期", "开始日期", "间隔"])
    book.active.append(["外墙清洗", "后勤服务公司", "worker", "每年", date(2027, 3, 1), 60])
    buffer = io.BytesIO()
    book.save(buffer)
    supervisor = site.client("supervisor")
    response = supervisor.submit("/plans/import", {"sheet": (io.BytesIO(buffer.getvalue()), "plans.xlsx")},
                                 form_page="/plans/import?lang=zh_CN")
    assert response.status_code == 200 and "<td>间隔须在 1 到 52 之间</td>" in response.get_data(as_text=True)

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
    assert 'data-state="cancelled"' in supervisor.page("/plans/calendar?month=2026-11")
    assert 'data-state="not_generated"' not in supervisor.page("/plans/calendar?month=2026-12")

    assert supervisor.submit(f"/plans/{plan_id}/reactivate", {}, form_page=edit).status_code == 302
    with site.db() as session:
        assert session.get(WorkPlan, plan_id).active is True
    assert 'data-state="not_generated"' in supervisor.page("/plans/calendar?month=2026-12")


RAW = re.compile(r">\s*(scheduled|reminded|under_review|rectifying|closed|failed|cancelled|upcoming|not_generated|weekly|monthly|"
                 r"yearly|seasonal|once|True|False|None)\s*<|每 N|工号/学号")


def _shown_text(page: str) -> str:
    """What a reader sees: the page without its scripts and attributes."""
    return re.sub(r"<script.*?</script>", "", page, flags=re.S)


def test_a_plans_dates_read_in_chinese_with_their_real_state(site):
    """Past dates show what happened to them (done, overdue…), a date before the plan was entered shows nothing,
    and only coming dates read 待生成; the recurrence is said in words and numbers are labelled as plan numbers."""
    supervisor = site.client("supervisor")
    # entered on Monday 16 Nov 2026 (the frozen clock), weekly from Monday 2 Nov: the 2nd and 9th were never due
    assert supervisor.submit("/plans/new", _plan_form(site, recurrence="weekly", starts_on="2026-11-02",
                                                      title="水泵房巡检")).status_code == 302
    assert supervisor.submit("/plans/new", _plan_form(site, starts_on="2026-11-18")).status_code == 302
    listed = supervisor.page("/plans?lang=zh_CN")
    assert "每周一" in listed and "每月18日" in listed
    assert not RAW.search(_shown_text(listed)), RAW.search(_shown_text(listed))

    calendar = supervisor.page("/plans/calendar?month=2026-11")
    for day in ("2026-11-02", "2026-11-09"):
        assert "水泵房巡检" not in re.search(rf'data-day="{day}">(.*?)</td>', calendar, re.S).group(1)
    today = re.search(r'data-day="2026-11-16">(.*?)</td>', calendar, re.S).group(1)
    assert 'data-state="in_progress"' in today and "进行中" in today
    assert 'data-state="not_generated"' in re.search(r'data-day="2026-11-30">(.*?)</td>', calendar, re.S).group(1)
    assert not RAW.search(_shown_text(calendar))

    site.traveller.shift(timedelta(days=2))  # Wednesday 18 Nov: Monday's inspection was due on Monday evening
    calendar = supervisor.page("/plans/calendar?month=2026-11")
    assert "逾期未完成" in re.search(r'data-day="2026-11-16">(.*?)</td>', calendar, re.S).group(1)
    with site.db() as session:
        number = session.scalar(select(PlanOccurrence.number).where(PlanOccurrence.occurs_on == date(2026, 11, 16)))
    page = supervisor.page(f"/plans/occurrences/{number}")
    assert "<dt>计划编号</dt>" in page and "工号/学号" not in page and 'data-state="overdue"' in page
    assert '<dd data-testid="recurrence">每周一</dd>' in page
    assert not RAW.search(_shown_text(page))
    assert "Plan occurrence number" in supervisor.page(f"/plans/occurrences/{number}?lang=en")


def test_the_import_sheet_to_fill_in_has_the_headers_and_an_example_that_imports(site):
    supervisor = site.client("supervisor")
    assert "/plans/import/template" in supervisor.page("/plans/import")
    assert site.client("worker").get("/plans/import/template").status_code == 403
    response = supervisor.get("/plans/import/template")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("标题", "服务单位", "负责人", "地点", "周期") and "工号" not in "".join(rows[0])
    assert supervisor.submit("/plans/import", {"sheet": (io.BytesIO(response.data), "plans.xlsx")}).status_code == 302
    with site.db() as session:
        plan = session.scalar(select(WorkPlan))
        assert (plan.title, plan.recurrence, plan.evidence) == ("消防器材月检", "monthly", ["photos", "signed_sheet"])


def test_each_dashboard_card_opens_the_occurrences_it_counts(site):
    enter_plan_and_delegate(site)
    with site.db() as session:
        occurrence = session.scalar(select(PlanOccurrence))
        occurrence.due_at, number = now() - timedelta(hours=1), occurrence.number  # undone an hour after its due time
    leader = site.client("schoolboss")
    cards = dashboard_cards(leader, "plans")
    assert {key: value for key, (value, _link) in cards.items()} == {"plan_occurrences": 1, "plan_closed": 0,
                                                                     "plan_overdue": 1}
    for key, (value, link) in cards.items():
        assert leader.page(link).count('data-number="') == value, key
    assert f'data-number="{number}"' in leader.page(cards["plan_overdue"][1])
    assert leader.get("/plans/calendar?show=nothing").status_code == 404
