"""Importing plans from an Excel sheet: bad rows are refused with row and column, nothing half-imported."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from engine.db import unit_of_work
from workflows.people.models import User
from workflows.plans.models import WorkPlan
from workflows.plans.sheet import SheetRefused, import_sheet

HEADER = ["标题", "服务单位", "负责人", "地点", "周期", "间隔", "开始日期", "结束日期", "季节月份", "检查项", "佐证要求"]


def _sheet(*rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = ["夏季灭蚊", "后勤服务公司", "worker", "1号宿舍；食堂", "季节", 2, date(2027, 6, 1), None, "6-9", "喷药；记录", "照片"]
BAD_PERSON = ["外墙清洗", "后勤服务公司", "nobody", "图书馆", "每年", 1, date(2027, 3, 1), None, None, "清洗", "照片"]
BAD_DATE_AND_RECURRENCE = ["消防月检", "后勤服务公司", "worker", "全校", "每两天", 1, "明天", None, None, "", "签字单"]


def _import(scenario, data: bytes, **options):
    with unit_of_work(scenario.host.session_factory) as session:
        supervisor = session.scalar(select(User).where(User.username == "supervisor"))
        return import_sheet(session, school_id=scenario.school_id, data=data, created_by=supervisor, **options)


def _plans(scenario) -> list[str]:
    with unit_of_work(scenario.host.session_factory) as session:
        return list(session.scalars(select(WorkPlan.title).order_by(WorkPlan.id)))


def test_a_sheet_with_bad_rows_is_refused_with_row_and_column(scenario):
    with pytest.raises(SheetRefused) as refused:
        _import(scenario, _sheet(GOOD, BAD_PERSON, BAD_DATE_AND_RECURRENCE))
    found = [(p.row, p.letter, p.column, p.code, p.detail) for p in refused.value.problems]
    assert found == [(3, "C", "负责人", "unknown_person", "nobody"),
                     (4, "E", "周期", "unknown_recurrence", "每两天"), (4, "G", "开始日期", "bad_date", "明天")]
    assert _plans(scenario) == []  # nothing imported


def test_skipping_bad_rows_imports_only_the_good_ones(scenario):
    count, result = _import(scenario, _sheet(GOOD, BAD_PERSON), skip_bad_rows=True)
    assert count == 1 and result.bad_rows == {3}
    assert _plans(scenario) == ["夏季灭蚊"]
    with unit_of_work(scenario.host.session_factory) as session:
        plan = session.scalar(select(WorkPlan))
        assert (plan.recurrence, plan.interval, plan.season_from, plan.season_to) == ("seasonal", 2, 6, 9)
        assert plan.places == ["1号宿舍", "食堂"] and plan.checklist == ["喷药", "记录"] and plan.evidence == ["photos"]


def test_a_sheet_without_the_required_columns_or_not_a_workbook_is_refused(scenario):
    book = Workbook()
    book.active.append(["标题", "地点"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(SheetRefused) as refused:
        _import(scenario, buffer.getvalue())
    assert {p.code for p in refused.value.problems} == {"no_header"}
    with pytest.raises(SheetRefused) as refused:
        _import(scenario, b"not a spreadsheet", skip_bad_rows=True)
    assert [p.code for p in refused.value.problems] == ["not_a_workbook"]
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(func.count(WorkPlan.id))) == 0


def test_a_sheet_names_several_weekdays_or_a_monthly_weekday(scenario):
    def row(title, recurrence, starts_on, weekdays):
        return dict(zip([*HEADER, "星期"], [title, "后勤服务公司", "worker", "图书馆", recurrence, 1, starts_on, None, None,
                                            "检查", "照片", weekdays], strict=True))

    book = Workbook()
    book.active.append([*HEADER, "星期"])
    for values in (row("垃圾清运", "每周", date(2027, 6, 7), "一、三、五"), row("消防例会", "每月按星期", date(2027, 6, 7), ""),
                   row("绿化修剪", "每周", date(2027, 6, 7), "周八")):
        book.active.append(list(values.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(SheetRefused) as refused:
        _import(scenario, buffer.getvalue())
    assert [(p.row, p.column, p.code, p.detail) for p in refused.value.problems] == [(4, "星期", "bad_weekday", "周八")]
    count, _result = _import(scenario, buffer.getvalue(), skip_bad_rows=True)
    assert count == 2
    with unit_of_work(scenario.host.session_factory) as session:
        plans = {p.title: p for p in session.scalars(select(WorkPlan))}
        assert (plans["垃圾清运"].recurrence, plans["垃圾清运"].weekdays) == ("weekly", [0, 2, 4])
        assert (plans["消防例会"].recurrence, plans["消防例会"].weekdays) == ("monthly_weekday", [])
