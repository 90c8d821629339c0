"""Bulk imports from a sheet (people; locations): upload → preview (what would be created or updated, and every
rejected cell by row and column) → confirm. The uploaded file waits in the data directory under a random name
between the two steps; the confirm step plans again from that file and applies exactly that plan."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Session

from webapp import db
from webapp.admin.forms import ADMIN, PROBLEMS, ConfirmImportForm, ImportForm
from webapp.auth import roles_required
from webapp.shared import school_id
from workflows.catalogue import locations as location_import
from workflows.people import importing as people_import
from workflows.repair import importing as order_import
from workflows.sheets import SheetError, read_rows
from workflows.staff import importing as staff_import

bp = Blueprint("admin_imports", __name__, url_prefix="/admin/import")
STAGED_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ImportKind:
    name: str
    title: object
    aliases: dict[str, str]
    required: set[str]
    plan: Callable
    apply: Callable
    columns: object
    done_endpoint: str


def _apply_orders(session: Session, *, school_id: int, plan: order_import.OrderPlan, actor: str) -> None:
    """The orders' apply with what it needs beyond the others': the engine, who enters them, where photos go."""
    runtime = db.runtime()
    order_import.apply_orders(session, runtime.host, school_id=school_id, plan=plan, actor=actor,
                              entered_by_id=current_user.id, uploads_dir=runtime.uploads_dir)


KINDS = {
    "people": ImportKind("people", _l("Import people"), people_import.ALIASES, people_import.REQUIRED,
                         people_import.plan_people, people_import.apply_people,
                         _l("Columns: 工号/学号 (number), 姓名 (name), 类别 (kind: 教职工/学生), 部门 (unit), 角色 (role), "
                            "电话 (phone), 邮箱 (email), 校区 (campus, optional: the campus's name; an empty cell keeps "
                            "the person's campus). Rows are matched by number: importing again updates, never duplicates."),
                         "admin_people.index"),
    "locations": ImportKind("locations", _l("Import locations"), location_import.ALIASES, location_import.REQUIRED,
                            location_import.plan_locations, location_import.apply_locations,
                            _l("Columns: 校区 (campus), 楼宇 (building), 楼层 (floor), 房间号 (room), 名称 (name). "
                               "Rooms are matched by number within their building."),
                            "admin_catalogue.locations"),
    "orders": ImportKind("orders", _l("Import orders from another platform"), order_import.ALIASES, order_import.REQUIRED,
                         order_import.plan_orders, _apply_orders,
                         _l("Columns: 来源平台 (external_source), 外部编号 (external_id), 报修人 (requester: staff/student "
                            "number or phone), 校区 (campus), 楼宇 (building), 房间 (room), 服务项目编码 (item_code), "
                            "问题描述 (description), 报修时间 (reported_at), 联系人, 联系电话, 紧急程度 (urgency). Orders "
                            "are matched by platform and external id: importing again creates nothing twice. If any row "
                            "is refused, nothing is imported."),
                         "orders.index"),
    "staff": ImportKind("staff", _l("Import the staff register"), staff_import.ALIASES, staff_import.REQUIRED,
                        staff_import.plan_staff, staff_import.apply_staff,
                        _l("Columns: 工号 (number), 姓名 (name), 单位 (unit), 岗位 (post), 用工性质 (kind: 自有/外包), "
                           "外包公司 (contractor), 电话 (phone), 入职日期 (started on, 2026-03-01), 登录账号 (account, "
                           "optional). Rows are matched by staff number: importing again updates, never duplicates."),
                        "staff.index"),
}


def _staging() -> Path:
    """The folder of uploads waiting for confirmation; those older than a day are dropped (never confirmed)."""
    path = db.runtime().uploads_dir / "imports"
    path.mkdir(parents=True, exist_ok=True)
    stale = time.time() - STAGED_SECONDS
    for old in path.iterdir():
        if old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    return path


def _read(kind: ImportKind, filename: str, data: bytes) -> (people_import.PeoplePlan | location_import.LocationPlan
                                                            | order_import.OrderPlan | staff_import.StaffPlan):
    rows = read_rows(filename, data, aliases=kind.aliases, required=kind.required)
    return kind.plan(db.session(), school_id=school_id(), rows=rows)


def _upload(kind: ImportKind) -> str:
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.sheet.data
        suffix = ".xlsx" if upload.filename.lower().endswith(".xlsx") else ".csv"
        data = upload.read()
        try:
            plan = _read(kind, upload.filename, data)
        except SheetError as err:
            message = PROBLEMS["empty_sheet" if err.code == "empty" else err.code]
            form.sheet.errors.append(f"{message} {err.detail}".strip())
        except order_import.TooManyRows:
            form.sheet.errors.append(_("At most %(rows)d rows in one import; split the sheet.", rows=order_import.MAX_ROWS))
        else:
            staged = uuid.uuid4().hex + suffix
            (_staging() / staged).write_bytes(data)
            return render_template("admin/import_preview.html", kind=kind, plan=plan, PROBLEMS=PROBLEMS,
                                   confirm=ConfirmImportForm(formdata=None, upload=staged))
    return render_template("admin/import.html", kind=kind, form=form, kinds=KINDS)


def _confirm(kind: ImportKind) -> ResponseReturnValue:
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    assert form.upload.data is not None  # InputRequired: validated above
    path = _staging() / form.upload.data
    if not path.exists():
        flash(_("That upload has already been imported or has expired; upload the sheet again."), "error")
        return redirect(url_for(f"admin_imports.{kind.name}"))
    session = db.session()
    plan = _read(kind, path.name, path.read_bytes())
    kind.apply(session, school_id=school_id(), plan=plan, actor=current_user.username)
    session.commit()
    path.unlink()
    flash(_("Imported: %(changes)d changes, %(unchanged)d rows unchanged, %(errors)d cells rejected.",
            changes=plan.changes, unchanged=plan.unchanged, errors=len(plan.errors)), "success")
    return redirect(url_for(kind.done_endpoint))


@bp.route("/orders", methods=["GET", "POST"])
@roles_required(ADMIN)
def orders() -> ResponseReturnValue:
    return _upload(KINDS["orders"])


@bp.post("/orders/confirm")
@roles_required(ADMIN)
def orders_confirm() -> ResponseReturnValue:
    return _confirm(KINDS["orders"])


@bp.route("/people", methods=["GET", "POST"])
@roles_required(ADMIN)
def people() -> ResponseReturnValue:
    return _upload(KINDS["people"])


@bp.post("/people/confirm")
@roles_required(ADMIN)
def people_confirm() -> ResponseReturnValue:
    return _confirm(KINDS["people"])


@bp.route("/locations", methods=["GET", "POST"])
@roles_required(ADMIN)
def locations() -> ResponseReturnValue:
    return _upload(KINDS["locations"])


@bp.post("/locations/confirm")
@roles_required(ADMIN)
def locations_confirm() -> ResponseReturnValue:
    return _confirm(KINDS["locations"])


@bp.route("/staff", methods=["GET", "POST"])
@roles_required(ADMIN)
def staff() -> ResponseReturnValue:
    return _upload(KINDS["staff"])


@bp.post("/staff/confirm")
@roles_required(ADMIN)
def staff_confirm() -> ResponseReturnValue:
    return _confirm(KINDS["staff"])
