"""Reading uploaded spreadsheets (Excel .xlsx or CSV) as rows keyed by canonical column names.

Bulk imports (people, locations) share this: the first row holds the headers, which may be in English or
Chinese (``aliases`` maps each accepted header to the column's canonical name); every data row keeps its
spreadsheet row number so errors can say "row 17, column phone".
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook


class SheetError(ValueError):
    """The file is not a readable sheet (``code`` ``unreadable``), has no rows (``empty``) or lacks required
    columns (``missing_columns``, named in ``detail``)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class RowError:
    """A rejected cell: ``problem`` is a code the pages translate (``required``, ``too_long``, ``duplicate``,
    ``username_taken``, ``bad_kind``, ``unknown_role``, ``unknown_unit``, ``bad_email``)."""

    row: int
    column: str
    problem: str


@dataclass(frozen=True)
class SheetRow:
    number: int  # the spreadsheet's own row number (headers are row 1)
    values: dict[str, str]


def read_rows(filename: str, data: bytes, *, aliases: dict[str, str], required: set[str]) -> list[SheetRow]:
    """Rows of ``data`` (by the file name's extension), non-empty ones only, values stripped to strings."""
    lower = filename.lower()
    raw: Iterator[Sequence[Any]]
    if lower.endswith(".xlsx"):
        raw = _xlsx_rows(data)
    elif lower.endswith(".csv"):
        raw = _csv_rows(data)
    else:
        raise SheetError("unreadable")
    header = next(raw, None)
    if header is None:
        raise SheetError("empty")
    columns = [aliases.get(_cell(h).lower()) for h in header]
    missing = required - set(columns)
    if missing:
        raise SheetError("missing_columns", ", ".join(sorted(missing)))
    rows = []
    for number, cells in enumerate(raw, start=2):
        values = {name: _cell(cell) for name, cell in zip(columns, cells, strict=False) if name}  # short rows are fine
        if any(values.values()):
            rows.append(SheetRow(number, values))
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores numbers such as staff numbers as floats
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several unrelated types for a damaged file
        raise SheetError("unreadable") from err
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # what Excel in a Chinese locale writes
        except UnicodeDecodeError as err:
            raise SheetError("unreadable") from err
    yield from csv.reader(io.StringIO(text))
