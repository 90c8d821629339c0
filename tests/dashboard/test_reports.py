"""Service-analysis reports on the hand-built orders: the Excel figures equal the hand count, the PDF is drawn with
the Chinese font, subscribers are notified once, a failure is recorded, the scheduled pass queues each report once,
and the pages request, follow and serve them to leaders only."""
from __future__ import annotations

import io
import re
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from test_figures import _build
from websupport import csrf_from

from engine.models import AuditEvent
from workflows.notifications.models import Notification
from workflows.pdf_font import FONT, cjk_font
from workflows.people.models import OrgUnit
from workflows.reports import service
from workflows.reports.models import ServiceReport


@pytest.fixture
def built(site):
    return site, _build(site)


def _generate(site, report_id: int, reports_dir=None) -> str:
    host, making = site.runtime.host, site.runtime.report_making
    return service.generate(host.session_factory, host.dispatcher, report_id,
                            replace(making, folder=reports_dir) if reports_dir else making)


def _request(site, ids, **kwargs) -> int:
    with site.db() as s:
        return service.request(s, school_id=ids["school_id"], period=kwargs.get("period", "month"),
                               day=kwargs.get("day", date(2026, 11, 20)), unit_id=kwargs.get("unit_id"),
                               locale=kwargs.get("locale", "zh_CN"), requested_by_id=None, actor="test").id


def test_monthly_report_files_hold_the_hand_count_and_subscribers_hear_once(built):
    site, ids = built
    leader = site.user("schoolboss")
    with site.db() as s:
        service.set_subscription(s, user_id=leader.id, school_id=ids["school_id"], unit_id=None, on=True, actor="t")
    report_id = _request(site, ids)
    assert _generate(site, report_id) == "done"
    with site.db() as s:
        report = s.get(ServiceReport, report_id)
        assert (report.status, report.progress, report.period_start, report.period_end) == (
            "done", 100, date(2026, 11, 1), date(2026, 11, 30))
        pdf = service.file_path(site.runtime.reports_dir, report, "pdf")
        xlsx = service.file_path(site.runtime.reports_dir, report, "xlsx")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    # with a CJK font installed (scripts/test installs one) it is embedded, else the built-in CID font is named
    assert (b"/FontFile2" in data) if cjk_font() == FONT else (b"STSong-Light" in data)
    book = load_workbook(xlsx)
    summary = {name.value: value for name, value in book["主要指标"].iter_rows(min_row=2)}
    # every order of the hand-built set was received in November (Beijing time), the one "before" the range too:
    # 11 received, 8 completed; good o1, o2 and two re-ratings; bad o4, o5, o10 and the "before" order
    assert [summary[k].value for k in ("受理量", "完成量", "好评数", "差评数")] == [11, 8, 4, 4]
    # rates are percentages Excel can compute with, durations hours as the headings say
    assert (summary["完成率"].value, summary["完成率"].number_format) == (pytest.approx(8 / 11), "0.0%")
    assert (summary["好评率"].value, summary["好评率"].number_format) == (pytest.approx(0.5), "0.0%")
    assert (summary["维修用时 P90（小时）"].value, summary["维修用时 P90（小时）"].number_format) == (192, "0.0")
    assert [summary[k].value for k in ("已解决绿色", "已解决黄色", "已解决红色", "当前红色")] == [1, 1, 1, 1]
    assert {"每日趋势", "分类统计", "校区统计", "维修工排名", "班组排名", "评价"} <= set(book.sheetnames)
    services = list(book["其他业务"].iter_rows(values_only=True))  # every other business, as the one screen has it
    assert services[0] == ("业务", "指标", "数值")
    assert {row[0] for row in services[1:]} == {"工作计划", "交办任务", "投诉建议", "巡查", "服务人员", "考勤", "值班管理", "考核评价"}
    assert ("投诉建议", "收到投诉", 0) in services and all(isinstance(row[2], int) for row in services[1:])
    workers = list(book["维修工排名"].iter_rows(values_only=True))
    assert workers[0] == ("名称", "完成量", "好评数", "差评数", "好评率")
    assert book["维修工排名"]["E2"].number_format == "0.0%" and 0 < book["维修工排名"]["E2"].value <= 1

    orders = book["报修单"]
    header = [c.value for c in orders[1]]
    assert header == ["工单号", "报修时间", "校区", "类别", "服务项目", "紧急程度", "状态", "超时颜色", "维修工", "审核通过时间",
                      "维修完成时间", "办结时间", "审核用时（小时）", "维修用时（小时）"]
    rows = {row[0].value: {h: c for h, c in zip(header, row, strict=True)} for row in orders.iter_rows(min_row=2)}
    assert len(rows) == 11
    o2 = rows["T-o2"]  # received 1 Nov 03:00 UTC = 11:00 in Beijing, accepted half an hour later, repaired in 96 h
    assert (o2["报修时间"].value, o2["报修时间"].number_format) == (datetime(2026, 11, 1, 11, 0), "yyyy-mm-dd hh:mm")
    assert (o2["状态"].value, o2["超时颜色"].value, o2["紧急程度"].value) == ("已办结", "绿色", "一般")
    assert (o2["审核用时（小时）"].value, o2["维修用时（小时）"].value) == (0.5, 96)
    assert rows["T-o1"]["超时颜色"].value == "未变色" and rows["T-o7"]["状态"].value == "维修中"
    assert rows["T-o8"]["审核用时（小时）"].value is None  # not reviewed: an empty cell, not 0
    words = {c.value for row in orders.iter_rows(min_row=2) for c in row if isinstance(c.value, str)}
    assert not words & {"closed", "none", "green", "in_progress", "normal", "True", "False"}

    ratings = book["评价"]
    assert [c.value for c in ratings[1]] == ["工单号", "评价轮次", "评价时间", "总体评分（1–5分）", "差评", "默认好评", "申诉结果",
                                             "维修工"]
    by_round = {(r[0], r[1]): r for r in ratings.iter_rows(min_row=2, values_only=True)}
    assert set(by_round) >= {("T-o4", 1), ("T-o4", 2)}  # the first rating is round 1, the re-rating round 2
    assert by_round[("T-o4", 1)][4:6] == ("是", "否") and by_round[("T-o3", 1)][5] == "是"
    assert by_round[("T-o6", 1)][6] == "申诉成立，不计入"
    book.close()

    assert _generate(site, report_id) == "skipped"  # a done report is never made twice
    with site.db() as s:
        notes = list(s.scalars(select(Notification).where(Notification.kind == "report.ready")))
        assert [n.user_id for n in notes] == [leader.id]
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("report.%"))
                                 .order_by(AuditEvent.id)))
        assert actions == ["report.subscribed", "report.requested", "report.started", "report.generated"]


def _pdf_pages(path) -> list[list[str]]:
    """The text lines of each page of a PDF, in the order they are drawn."""
    reader = PdfReader(path)
    return [[line.strip() for line in page.extract_text().splitlines() if line.strip()] for page in reader.pages]


SECTIONS = {  # a section heading -> a text its chart or table draws (a legend, the first column heading)
    "主要指标": "指标", "每日趋势": "受理量", "三色催办": "已解决绿色: 1", "分类统计": "受理量", "校区统计": "受理量",
    "维修工排名": "名称", "班组排名": "本期无数据。", "其他业务": "业务", "指标口径": "统计范围",
}


def test_pdf_sections_keep_their_headings_with_their_charts_in_chinese(built):
    site, ids = built
    report_id = _request(site, ids)
    assert _generate(site, report_id) == "done"
    with site.db() as s:
        path = service.file_path(site.runtime.reports_dir, s.get(ServiceReport, report_id), "pdf")
    pages = _pdf_pages(path)
    assert len(pages) >= 2
    text = "\n".join(line for page in pages for line in page)
    assert "2026年11月月度后勤服务分析报告" in text and "72.7%" in text and "0.727" not in text
    for heading, content in SECTIONS.items():
        page = next(lines for lines in pages if heading in lines)
        after = page[page.index(heading) + 1:]
        assert after, f"{heading} stands alone at the foot of a page"
        assert any(content in line for line in after), f"{heading}: its content is not on its page"
    for lines in pages:  # no page ends on a heading, and none is blank
        assert lines and lines[-1] not in SECTIONS


def test_a_quarterly_unit_report_in_english(built):
    site, ids = built
    with site.db() as s:
        unit = s.scalar(select(OrgUnit.id).where(OrgUnit.school_id == ids["school_id"], OrgUnit.kind == "service_unit"))
    report_id = _request(site, ids, period="quarter", unit_id=unit, locale="en")
    assert _generate(site, report_id) == "done"
    with site.db() as s:
        report = s.get(ServiceReport, report_id)
        assert (report.period_start, report.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
        book = load_workbook(service.file_path(site.runtime.reports_dir, report, "xlsx"), read_only=True)
        pdf = service.file_path(site.runtime.reports_dir, report, "pdf")
    assert "Quarterly service analysis report, 2026 Q4" in _pdf_pages(pdf)[0]
    assert "Other services" not in book.sheetnames  # the other businesses are counted school-wide, not per unit
    summary = dict(book["Key figures"].iter_rows(min_row=2, values_only=True))
    assert summary["Orders received"] == 0  # the hand-built orders belong to no service unit
    assert summary["Completion rate"] is None  # nothing to divide: an empty cell, not 0 %
    assert [c.value for c in next(book["Orders"].iter_rows(max_row=1))][:6] == [
        "Order", "Received at", "Campus", "Category", "Service item", "Urgency"]
    assert [c.value for c in next(book["Ratings"].iter_rows(max_row=1))][1:4] == [
        "Rating round", "Rated at", "Overall score (1–5)"]
    book.close()


def test_a_failure_is_recorded_and_raised_and_bad_requests_are_refused(built, tmp_path):
    site, ids = built
    report_id = _request(site, ids)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        _generate(site, report_id, reports_dir=blocker)
    with site.db() as s:
        report = s.get(ServiceReport, report_id)
        assert report.status == "failed" and "Error" in report.error
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "report.failed")) == "report.failed"
    assert _generate(site, report_id) == "done"  # the same report can be made again

    with site.db() as s, pytest.raises(service.ReportError):
        service.request(s, school_id=ids["school_id"], unit_id=None, period="year", day=date(2026, 11, 1),
                        locale="en", requested_by_id=None, actor="t")
    with site.db() as s, pytest.raises(service.ReportError):  # not begun at the frozen clock (16 Nov 2026)
        service.request(s, school_id=ids["school_id"], unit_id=None, period="month", day=date(2026, 12, 1),
                        locale="en", requested_by_id=None, actor="t")


def test_the_scheduled_pass_queues_each_period_and_scope_once(site):
    with site.db() as s:
        units = len(service.service_units(s, site.school_id))
        first = service.schedule_due(s, today=date(2026, 12, 1))
        again = service.schedule_due(s, today=date(2026, 12, 1))
        rows = {(r.period, r.period_start, r.unit_id) for r in s.scalars(select(ServiceReport))}
    assert len(first) == 2 * (units + 1) and again == []
    assert ("month", date(2026, 11, 1), None) in rows and ("quarter", date(2026, 7, 1), None) in rows
    site.traveller.shift(timedelta(hours=2))  # their tasks were lost: the next pass hands them out again
    with site.db() as s:
        assert sorted(service.schedule_due(s, today=date(2026, 12, 1))) == sorted(first)


def test_a_leader_makes_follows_and_downloads_a_report(built):
    site, ids = built
    leader = site.client("schoolboss")
    page = leader.page("/reports/?lang=en")
    response = leader.post("/reports/", {"csrf_token": csrf_from(page), "period": "month", "day": "2026-11-05",
                                         "unit": "0"})
    assert response.status_code == 302
    report_id = int(re.search(r"/reports/(\d+)$", response.headers["Location"]).group(1))
    for thread in threading.enumerate():  # the embedded mode makes it on a thread
        if thread.name == f"houqin-report-{report_id}":
            thread.join(60)
    assert leader.get(f"/reports/{report_id}/progress").get_json()["status"] == "done"
    assert "Download the PDF" in leader.page(f"/reports/{report_id}?lang=en")
    pdf = leader.get(f"/reports/{report_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    xlsx = leader.get(f"/reports/{report_id}/xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book["Key figures"]["B2"].value == 11
    statuses = {row[6] for row in book["Orders"].iter_rows(min_row=2, values_only=True)}
    assert {"Closed", "Being repaired", "Rejected"} <= statuses and "closed" not in statuses
    assert leader.get(f"/reports/{report_id + 1}/pdf").status_code == 404
    listed = leader.page("/reports/?lang=en")
    assert f"/reports/{report_id}/xlsx" in listed

    subscribed = leader.post("/reports/subscriptions", {"csrf_token": csrf_from(listed), "unit": "0", "on": "1"})
    assert subscribed.status_code == 302
    assert 'data-testid="unsubscribe-0"' in leader.page("/reports/?lang=en")
    assert leader.post("/reports/subscriptions", {"unit": "0", "on": "1"}).status_code == 400  # no CSRF token


def test_others_get_403(site):
    for username in ("requester", "worker", "auditor"):
        client = site.client(username)
        assert client.get("/reports/").status_code == 403, username
        assert client.get("/reports/1/pdf").status_code == 403, username
