"""Bulk import of people from a sheet on PostgreSQL: 5,000 rows in seconds, bad rows reported by row and column,
and importing the same sheet again changes nothing."""
from __future__ import annotations

import io
import time

from openpyxl import Workbook
from sqlalchemy import func, select

from engine.models import AuditEvent
from workflows.people.importing import ALIASES, REQUIRED, apply_people, plan_people
from workflows.people.models import OrgUnit, RoleAssignment, School, User
from workflows.sheets import RowError, read_rows

ROWS = 5000
HEADERS = ["工号/学号", "姓名", "类别", "部门", "角色", "电话", "邮箱"]


def _sheet(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _people_rows() -> list[list]:
    rows = []
    for i in range(ROWS):
        student = i % 4 != 0
        rows.append([f"{2026000000 + i}" if student else 100000 + i, f"姓名{i}", "学生" if student else "教职工",
                     "" if student else "水电维修班", "requester" if student else "worker", f"1380000{i:04d}",
                     f"p{i}@school.edu.cn"])
    rows[8][1] = ""  # sheet row 10: no name
    rows[18][6] = "not-an-address"  # row 20
    rows[28][3] = "不存在的部门"  # row 30
    rows[38][0] = rows[37][0]  # row 40: the number of row 39 again
    return rows


def _import(harness, school_id: int, data: bytes, filename: str = "people.xlsx"):
    with harness.session() as session:
        rows = read_rows(filename, data, aliases=ALIASES, required=REQUIRED)
        plan = plan_people(session, school_id=school_id, rows=rows)
        apply_people(session, school_id=school_id, plan=plan, actor="admin")
        return plan


def _counts(harness, school_id: int) -> tuple[int, int]:
    with harness.session() as session:
        return (session.scalar(select(func.count(User.id)).where(User.school_id == school_id)),
                session.scalar(select(func.count(RoleAssignment.id)).where(RoleAssignment.school_id == school_id)))


def test_five_thousand_people_import_quickly_report_bad_rows_and_reimport_changes_nothing(runtime, migrated_pg_url):
    harness = runtime(migrated_pg_url)
    with harness.session() as session:
        school = School(code="imp", name="Import school")
        session.add(school)
        session.flush()
        session.add(OrgUnit(school_id=school.id, kind="team", name="水电维修班", active=True))
        school_id = school.id
    data = _sheet(_people_rows())

    started = time.perf_counter()
    plan = _import(harness, school_id, data)
    first = time.perf_counter() - started
    print(f"\nfirst import of {ROWS} rows: {first:.2f} s")
    assert first < 15
    assert sorted(plan.errors, key=lambda e: e.row) == [
        RowError(10, "name", "required"), RowError(20, "email", "bad_email"), RowError(30, "unit", "unknown_unit"),
        RowError(40, "number", "duplicate")]
    assert len(plan.creates) == ROWS - 4
    assert _counts(harness, school_id) == (ROWS - 4, ROWS - 4)
    with harness.session() as session:
        staff = session.scalar(select(User).where(User.number == "100004"))
        assert (staff.username, staff.kind, staff.display_name, staff.active) == ("100004", "staff", "姓名4", True)
        assert [(a.role, session.get(OrgUnit, a.org_unit_id).name) for a in staff.roles] == [("worker", "水电维修班")]

    started = time.perf_counter()
    again = _import(harness, school_id, data)
    print(f"second import: {time.perf_counter() - started:.2f} s")
    assert (again.changes, again.unchanged, len(again.errors)) == (0, ROWS - 4, 4)
    assert _counts(harness, school_id) == (ROWS - 4, ROWS - 4)

    rows = _people_rows()
    rows[4][1] = "姓名4（改）"
    changed = _import(harness, school_id, _sheet(rows))
    assert (len(changed.creates), len(changed.grants), changed.unchanged) == (0, 0, ROWS - 5)
    assert [(before["display_name"], after["display_name"]) for _, before, after in changed.updates] == [("姓名4", "姓名4（改）")]
    with harness.session() as session:
        assert session.scalar(select(User.display_name).where(User.number == "100004")) == "姓名4（改）"
        imports = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "admin.people.import")
                                       .order_by(AuditEvent.id)))
    assert [len(e.details["created"]) for e in imports] == [ROWS - 4, 0, 0]
    assert imports[2].details["updated"][0]["after"]["display_name"] == "姓名4（改）"
    assert imports[0].details["rejected_rows"] == [10, 20, 30, 40]


def test_csv_in_gb18030_with_english_headers_reads_like_the_workbook():
    text = "number,name,kind,unit,role,phone,email\n2026000001,张三,student,,,,\n,李四,学生,,,,\n"
    rows = read_rows("people.csv", text.encode("gb18030"), aliases=ALIASES, required=REQUIRED)
    assert [(r.number, r.values["number"], r.values["name"]) for r in rows] == [(2, "2026000001", "张三"), (3, "", "李四")]
