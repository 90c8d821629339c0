"""The monthly attendance sheet (考勤表): one row per person, one column per day with what their shifts came to,
and the month's counts, as an Excel workbook in the reader's language."""
from __future__ import annotations

import calendar
import io
from collections import defaultdict
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from workflows.attendance.enums import Mark
from workflows.attendance.marks import Grace
from workflows.attendance.readmodel import ShiftRow, shift_rows
from workflows.i18n import N_, translate

# One sign per mark in a day's cell, and the words of the month's counts.
SIGNS: dict[Mark, str] = {Mark.on_time: N_("OK"), Mark.late: N_("Late"), Mark.early_leave: N_("Early"),
                          Mark.absent: N_("Absent"), Mark.missing_checkout: N_("No check-out"), Mark.ongoing: N_("On shift"),
                          Mark.upcoming: ""}
COUNTED = (Mark.on_time, Mark.late, Mark.early_leave, Mark.absent, Mark.missing_checkout)
MARK_WORDS: dict[Mark, str] = {Mark.on_time: N_("On time"), Mark.late: N_("Late"), Mark.early_leave: N_("Early leave"),
                               Mark.absent: N_("Absent"), Mark.missing_checkout: N_("Missing check-out"),
                               Mark.ongoing: N_("Under way"), Mark.upcoming: N_("Not started")}


def month_rows(session: Session, school_id: int, grace: Grace, month: date, at: datetime,
               unit_id: int | None = None) -> list[ShiftRow]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return shift_rows(session, school_id, grace, first=month.replace(day=1), last=last, at=at, unit_id=unit_id)


def cell(marks: frozenset[Mark], locale: str) -> str:
    """A day's shift in words ("Late Early"), the on-time tick alone when nothing else happened."""
    shown: list[Mark] = [m for m in (Mark.late, Mark.early_leave, Mark.absent, Mark.missing_checkout, Mark.ongoing) if m in marks]
    if not shown and Mark.on_time in marks:
        shown = [Mark.on_time]
    return " ".join(translate(SIGNS[m], locale) for m in shown)


def workbook(rows: list[ShiftRow], month: date, locale: str, post_names: dict[int, str]) -> bytes:
    days = calendar.monthrange(month.year, month.month)[1]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{month:%Y-%m}"
    head = [translate(N_("Staff number"), locale), translate(N_("Name"), locale), translate(N_("Post"), locale),
            *[str(d) for d in range(1, days + 1)], *[translate(MARK_WORDS[m], locale) for m in COUNTED]]
    sheet.append(head)
    for column in range(1, len(head) + 1):
        sheet.cell(row=1, column=column).font = Font(bold=True)
    by_person: dict[int, list[ShiftRow]] = defaultdict(list)
    for row in rows:
        by_person[row.staff.id].append(row)
    for person_rows in sorted(by_person.values(), key=lambda r: r[0].staff.number):
        staff = person_rows[0].staff
        per_day: dict[int, list[str]] = defaultdict(list)
        counts = dict.fromkeys(COUNTED, 0)
        for row in person_rows:
            per_day[row.entry.day.day].append(cell(row.outcome.marks, locale))
            for mark in COUNTED:
                counts[mark] += mark in row.outcome.marks
        sheet.append([staff.number, staff.name, post_names.get(staff.post_id or 0, ""),
                      *[" / ".join(per_day.get(d, [])) for d in range(1, days + 1)], *counts.values()])
    for column in range(4, 4 + days):
        sheet.column_dimensions[get_column_letter(column)].width = 7
        for cells in sheet.iter_rows(min_col=column, max_col=column):
            cells[0].alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
