"""Reading complaints: the office's list (``/complaints``, also each dashboard figure's drill-down, grouped per
unit and month), one complaint's page, its attachments, and the complainant's own pages (``/my/complaints``).
Every page asks :func:`workflows.complaints.identity.may_view`, always within the reader's school, and shows the
complainant only where :func:`~workflows.complaints.identity.sees_identity` allows."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.clock import now
from engine.models import HumanTask
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.kept_files import send_kept
from webapp.shared import figure_scope
from workflows.complaints.figures import CONDITIONS, drilldown, per_unit_month
from workflows.complaints.identity import READER_ROLES, may_view, read_scope
from workflows.complaints.labels import CATEGORY_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.complaints.models import Complaint
from workflows.complaints.module import facts
from workflows.complaints.service import by_number, mine
from workflows.i18n import translate
from workflows.plans.readmodel import unit_names

bp = Blueprint("complaints", __name__)
SATISFACTION_TASK = "satisfaction_task"


def _viewable(number: str) -> Complaint:
    session = db.session()
    complaint = by_number(session, school_id=current_user.school_id, number=number)
    if complaint is None:
        abort(404)
    if not may_view(session, current_user, complaint, db.runtime().rules):
        abort(403)
    return complaint


def _timeline(complaint: Complaint) -> list[dict]:
    return db.runtime().modules.timeline(db.session(), module_name="complaints", school_id=complaint.school_id,
                                         key=complaint.number, locale=locale_code())


@bp.get("/complaints")
@roles_required(*READER_ROLES)
def index() -> ResponseReturnValue:
    """The school's complaints received in a period meeting one figure's condition (all received by default)."""
    session, at = db.session(), now()
    scope = figure_scope(CONDITIONS, request.args.get("show", "complaints_received"))
    rows = drilldown(session, school_id=current_user.school_id, key=scope.show, start=scope.start, end=scope.end, at=at,
                     units=read_scope(session, current_user, db.runtime().rules))
    return render_template("complaints/index.html", rows=rows, **scope.page(),
                           groups=per_unit_month(session, current_user.school_id, rows),
                           units=unit_names(session, school_id=current_user.school_id), words=_words())


@bp.get("/complaints/<number>")
@login_required
def detail(number: str) -> ResponseReturnValue:
    complaint = _viewable(number)
    return render_template("complaints/detail.html", complaint=complaint, words=_words(), events=_timeline(complaint),
                           facts=facts(db.session(), current_user, complaint, locale_code()))


@bp.get("/complaints/<number>/files/<stored>")
@login_required
def attachment(number: str, stored: str) -> ResponseReturnValue:
    complaint = _viewable(number)
    item = next((a for a in complaint.attachments if isinstance(a, dict) and a.get("stored") == stored), None)
    return send_kept(db.runtime().uploads_dir / str(complaint.school_id), item)


@bp.get("/my/complaints")
@login_required
def mine_list() -> ResponseReturnValue:
    return render_template("complaints/mine.html", rows=mine(db.session(), user=current_user), words=_words())


@bp.get("/my/complaints/<number>")
@login_required
def mine_detail(number: str) -> ResponseReturnValue:
    """The complainant's own page: where it stands, the reply, and the question whether they are satisfied."""
    session = db.session()
    complaint = by_number(session, school_id=current_user.school_id, number=number)
    if complaint is None or complaint.complainant_id != current_user.id:
        abort(404)
    answer = session.scalar(select(HumanTask.id).where(HumanTask.business_key == complaint.number,
                                                       HumanTask.school_id == complaint.school_id,
                                                       HumanTask.task_name == SATISFACTION_TASK,
                                                       HumanTask.assignee_id == current_user.id))
    return render_template("complaints/mine_detail.html", complaint=complaint, words=_words(), answer_task=answer,
                           events=_timeline(complaint))


def _words() -> dict[str, dict[str, str]]:
    """The kind, category and status words in the page's language."""
    locale = locale_code()
    return {name: {value: translate(word, locale) for value, word in words.items()}
            for name, words in (("kind", KIND_WORDS), ("category", CATEGORY_WORDS), ("status", STATUS_WORDS))}
