"""The Excel file of a report: the key figures and every table behind them, one sheet each, as plain values."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from workflows.reports.content import ORDER_COLUMNS, RATING_COLUMNS, ReportData
from workflows.reports.labels import SUMMARY_KEYS, word


def _cell(value: Any, zone: ZoneInfo) -> Any:
    """Times in ``zone`` (the school's) without a zone (Excel has none); everything else as it is."""
    if isinstance(value, datetime):
        return value.astimezone(zone).replace(tzinfo=None)
    return value


def _sheet(book: Workbook, title: str, header: list[str], rows: Iterable[Sequence[Any]], zone: ZoneInfo) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v, zone) for v in row])
    sheet.freeze_panes = "A2"
    for i, heading in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(heading) * 2 + 2)


def write_excel(data: ReportData, path: Path) -> None:
    loc, result, zone = data.locale, data.result, data.zone
    f = result["figures"]
    book = Workbook()
    if book.active is not None:  # the sheet a new workbook starts with
        book.remove(book.active)
    _sheet(book, word("summary", loc), [word("figure", loc), word("value", loc)],
           [(word(k, loc), f[k]) for k in SUMMARY_KEYS], zone)
    _sheet(book, word("trend", loc), [word("day", loc), word("received", loc), word("completed", loc),
                                      word("bad_ratings", loc)],
           [(d["day"], d["received"], d["completed"], d["bad"]) for d in result["trend"]], zone)
    name = "name_en" if loc == "en" else "name_zh"
    _sheet(book, word("categories", loc), [word("category", loc), word("received", loc), word("completed", loc),
                                           word("bad_ratings", loc)],
           [(c[name], c["received"], c["completed"], c["bad"]) for c in result["categories"]], zone)
    _sheet(book, word("campuses", loc), [word("campus", loc), word("received", loc), word("completed", loc),
                                         word("bad_ratings", loc)],
           [(c["name"], c["received"], c["completed"], c["bad"]) for c in result["campuses"]], zone)
    for key in ("workers", "teams"):
        _sheet(book, word(key, loc), [word("name", loc), word("completed", loc), word("good_ratings", loc),
                                      word("bad_ratings", loc), word("good_rate_short", loc)],
               [(r["name"], r["completed"], r["good"], r["bad"], r["good_rate"]) for r in result["rankings"][key]], zone)
    _sheet(book, word("orders", loc), [word(c, loc) for c in ORDER_COLUMNS], data.orders, zone)
    _sheet(book, word("ratings", loc), [word(c, loc) for c in RATING_COLUMNS], data.ratings, zone)
    book.save(path)
