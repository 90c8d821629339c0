"""Bulk entry of plans from an Excel sheet, checked row by row before anything is stored.

The first row holds the column headers (Chinese or English, in any order). Every problem is reported
with its row number, column and a message code the page translates. A sheet with problems imports
nothing unless the user asks to skip the rows at fault.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.errors import Refusal
from workflows.people.models import OrgUnit, User
from workflows.plans.enums import Evidence, Recurrence
from workflows.plans.service import PlanError, PlanInput, check, create_plan

MAX_ROWS = 2000
# field → accepted headers
COLUMNS = {
    "title": ("title", "标题", "计划名称"), "unit": ("unit", "服务单位"), "responsible": ("responsible", "负责人"),
    "places": ("places", "地点"), "recurrence": ("recurrence", "周期"), "interval": ("interval", "间隔"),
    "starts_on": ("starts_on", "开始日期"), "until": ("until", "结束日期"), "duration_days": ("duration_days", "工期（天）", "工期"),
    "season": ("season", "季节月份"), "weekdays": ("weekdays", "星期"), "checklist": ("checklist", "检查项"),
    "evidence": ("evidence", "佐证要求"),
}
REQUIRED = ("title", "unit", "responsible", "recurrence", "starts_on")
RECURRENCE_WORDS = {"单次": Recurrence.once, "每周": Recurrence.weekly, "每月": Recurrence.monthly, "每年": Recurrence.yearly,
                    "季节": Recurrence.seasonal, "每月按星期": Recurrence.monthly_weekday, **{r.value: r for r in Recurrence}}
EVIDENCE_WORDS = {"照片": Evidence.photos, "签字单": Evidence.signed_sheet, "仪表读数": Evidence.meter_readings,
                  **{e.value: e for e in Evidence}}
_LIST_SPLIT = re.compile(r"[;；,，、\n]+")
_SEASON = re.compile(r"^\s*(\d{1,2})\s*[-–~至]\s*(\d{1,2})\s*$")
# PlanInput field → sheet column, for problems found by the shared checks
_FIELD_COLUMN = {"unit_id": "unit", "responsible_id": "responsible", "season_from": "season", "season_to": "season",
                 "weekdays": "weekdays"}
# a weekday as a sheet names it: 一 … 日 (周一, 星期一), or 1 … 7 from Monday
_WEEKDAY = {**{name: day for day, name in enumerate("一二三四五六日")}, "天": 6, **{str(day + 1): day for day in range(7)}}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the header as written in the sheet ("" for the whole sheet)
    letter: str  # the column letter (A, B…)
    code: str  # missing | unknown_unit | unknown_person | unknown_recurrence | bad_date | bad_number | bad_season |
    #            bad_weekday | unknown_evidence | invalid | no_header | too_many_rows | not_a_workbook
    detail: str = ""
    refusal: Refusal | None = None  # why the shared checks refused the row (code ``invalid``), said in any language


@dataclass
class SheetResult:
    rows: list[tuple[int, PlanInput]]
    problems: list[RowProblem]

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}


class SheetRefused(ValueError):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems in the sheet")
        self.problems = problems


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value).replace("/", "-"))


def _header(sheet: Any) -> dict[str, tuple[int, str]]:  # an openpyxl worksheet
    found = {}
    for index, cell in enumerate(next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ()), start=1):
        name = _text(cell).lower()
        for field, names in COLUMNS.items():
            if name in names:
                found[field] = (index, _text(cell))
    return found


def _lookups(session: Session, school_id: int) -> tuple[dict[str, int], dict[str, int]]:
    units = {name: unit_id for unit_id, name in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == school_id))}
    people = {u: i for i, u in session.execute(select(User.id, User.username).where(User.school_id == school_id, User.active.is_(True)))}
    return units, people


def _weekdays(values: dict[str, Any], problem: Callable[..., None]) -> list[int]:
    """"一、三、五", "周一,周三" or "1,3,5" as weekday numbers (0 Monday)."""
    days = []
    for part in _LIST_SPLIT.split(_text(values.get("weekdays"))):
        name = part.strip().removeprefix("星期").removeprefix("周")
        if not name:
            continue
        if name not in _WEEKDAY:
            problem("weekdays", "bad_weekday", part.strip())
            return []
        days.append(_WEEKDAY[name])
    return sorted(set(days))


def _row(values: dict[str, Any], units: dict[str, int], people: dict[str, int], problem: Callable[..., None]) -> PlanInput | None:
    for field in REQUIRED:
        if not _text(values.get(field)):
            problem(field, "missing")
    unit = units.get(_text(values.get("unit"))) or next((i for n, i in units.items() if _text(values.get("unit")) and
                                                          _text(values.get("unit")) in n), None)
    if _text(values.get("unit")) and unit is None:
        problem("unit", "unknown_unit", _text(values.get("unit")))
    person = people.get(_text(values.get("responsible")))
    if _text(values.get("responsible")) and person is None:
        problem("responsible", "unknown_person", _text(values.get("responsible")))
    recurrence = RECURRENCE_WORDS.get(_text(values.get("recurrence")).lower() or _text(values.get("recurrence")))
    if _text(values.get("recurrence")) and recurrence is None:
        problem("recurrence", "unknown_recurrence", _text(values.get("recurrence")))
    dates = {}
    for field in ("starts_on", "until"):
        if _text(values.get(field)):
            try:
                dates[field] = _date(values[field])
            except ValueError:
                problem(field, "bad_date", _text(values[field]))
    numbers = {}
    for field, default in (("interval", 1), ("duration_days", 1)):
        raw = _text(values.get(field))
        try:
            numbers[field] = int(float(raw)) if raw else default
        except ValueError:
            problem(field, "bad_number", raw)
    season: tuple[int | None, int | None] = (None, None)
    if _text(values.get("season")):
        match = _SEASON.match(_text(values["season"]))
        if not match:
            problem("season", "bad_season", _text(values["season"]))
        else:
            season = (int(match.group(1)), int(match.group(2)))
    evidence = _evidence(values, problem)
    weekdays = _weekdays(values, problem)
    if unit is None or person is None or recurrence is None or "starts_on" not in dates or len(numbers) < 2:
        return None
    return PlanInput(title=_text(values.get("title")), unit_id=unit, responsible_id=person, recurrence=recurrence.value,
                     starts_on=dates["starts_on"], until=dates.get("until"), interval=numbers["interval"],
                     duration_days=numbers["duration_days"], season_from=season[0], season_to=season[1], weekdays=weekdays,
                     places=[p.strip() for p in _LIST_SPLIT.split(_text(values.get("places"))) if p.strip()],
                     checklist=[c.strip() for c in re.split(r"[;；\n]+", _text(values.get("checklist"))) if c.strip()],
                     evidence=evidence)


def _evidence(values: dict[str, Any], problem: Callable[..., None]) -> list[str]:
    evidence = []
    for word in _LIST_SPLIT.split(_text(values.get("evidence"))):
        if word.strip():
            kind = EVIDENCE_WORDS.get(word.strip())
            if kind is None:
                problem("evidence", "unknown_evidence", word.strip())
            else:
                evidence.append(kind.value)
    return evidence


def read_sheet(session: Session, *, school_id: int, data: bytes) -> SheetResult:
    """Every row of the first worksheet as a plan entry, and every problem found."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        return SheetResult([], [RowProblem(0, "", "", "not_a_workbook")])
    header = _header(sheet)
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        return SheetResult([], [RowProblem(1, COLUMNS[f][1], "", "no_header", COLUMNS[f][0]) for f in missing])
    units, people = _lookups(session, school_id)
    result = SheetResult([], [])
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(_text(c) for c in cells):
            continue
        if number > MAX_ROWS + 1:
            result.problems.append(RowProblem(number, "", "", "too_many_rows", str(MAX_ROWS)))
            break
        values = {field: cells[index - 1] if index - 1 < len(cells) else None for field, (index, _name) in header.items()}

        def problem(field: str, code: str, detail: str = "", row: int = number, refusal: Refusal | None = None) -> None:
            index, name = header.get(field, (0, field))
            result.problems.append(RowProblem(row, name, get_column_letter(index) if index else "", code, detail, refusal))

        entry = _row(values, units, people, problem)
        if entry is not None and number not in result.bad_rows:
            try:
                check(session, school_id, entry)
            except PlanError as err:
                problem(_FIELD_COLUMN.get(err.field, err.field), "invalid", refusal=err)
            else:
                result.rows.append((number, entry))
    return result


def import_sheet(session: Session, *, school_id: int, data: bytes, created_by: User,
                 skip_bad_rows: bool = False) -> tuple[int, SheetResult]:
    """Create a plan for every good row; refuse the whole sheet if any row is bad, unless told to skip them."""
    result = read_sheet(session, school_id=school_id, data=data)
    if result.problems and (not skip_bad_rows or not result.rows or any(p.row <= 1 for p in result.problems)):
        raise SheetRefused(result.problems)
    for _number, entry in result.rows:
        create_plan(session, school_id=school_id, entry=entry, created_by=created_by)
    return len(result.rows), result


def template(session: Session, *, school_id: int, username: str) -> bytes:
    """An .xlsx to fill in: the Chinese column headers :func:`read_sheet` reads, and one example row naming one of
    the school's service units and ``username`` as the responsible person, so that it imports as it is."""
    unit = session.scalar(select(OrgUnit.name).where(OrgUnit.school_id == school_id).order_by(OrgUnit.parent_id.is_not(None),
                                                                                              OrgUnit.id))
    example = {"title": "消防器材月检", "unit": unit or "", "responsible": username, "places": "图书馆；学生食堂",
               "recurrence": "每月", "interval": 1, "starts_on": "2027-06-01", "until": "", "duration_days": 2, "season": "",
               "weekdays": "", "checklist": "灭火器压力正常；消防栓水带完好", "evidence": "照片；签字单"}
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "工作计划"
    sheet.append([names[1] for names in COLUMNS.values()])
    sheet.append([example[field] for field in COLUMNS])
    for number, heading in enumerate(sheet[1], start=1):
        heading.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(number)].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
