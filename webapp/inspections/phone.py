"""The inspector's phone pages: today's rounds and a spot check (``/m/inspections``), and one round carried out
at its place (``/m/inspections/<number>``): the place's open findings first, then each item's result, note,
severity and photos, the problems seen beside the checklist, and the unit representative's confirmation. A
refused sheet stores nothing (its photos are removed with the rolled-back transaction) and says what is wrong next
to the item or problem."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forms.uploads import is_upload
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, refusal_text
from webapp.inspections.choices import fill, inspector_role
from webapp.inspections.forms import (
    ERRORS,
    PROBLEM_ERRORS,
    ProblemRow,
    RoundSheet,
    SpotCheckForm,
    round_sheet,
)
from webapp.kept_files import keep_uploads
from workflows.i18n import translate
from workflows.inspections.checklists import active_items, standards_of
from workflows.inspections.enums import ReportPart, RoundStatus, Scoring
from workflows.inspections.labels import FINDING_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionItem, InspectionRound, InspectionTemplate
from workflows.inspections.readmodel import names, names_of, open_findings_at, round_by_number
from workflows.inspections.rounds import (
    MAX_EXTRA,
    MAX_PHOTO_MB,
    MAX_PHOTOS,
    ItemResult,
    Problem,
    RoundError,
    RoundReport,
    carry_out,
    start_spot_check,
)
from workflows.people.enums import Role
from workflows.people.timezone import local_today

bp = Blueprint("inspection_phone", __name__)
INSPECTORS = (Role.supervisor,)  # the shipped inspector role; the rule decides who records, the service checks it


@bp.route("/m/inspections", methods=["GET", "POST"])
@roles_required(*INSPECTORS)
def home() -> ResponseReturnValue:
    """The inspector's rounds planned up to tomorrow, and a spot check to start."""
    session, school_id = db.session(), current_user.school_id
    form = SpotCheckForm()
    fill(form)
    if form.validate_on_submit():
        try:
            row = start_spot_check(session, db.runtime().rules.book(session, school_id), inspector=current_user,
                                   template_id=form.template_id.data, building_id=form.building_id.data,
                                   unit_id=form.unit_id.data, spot=form.spot.data or "")
            session.commit()
            return redirect(url_for("inspection_phone.carry", number=row.number))
        except RoundError as err:
            session.rollback()
            target = form._fields.get(err.field)
            (target.errors if target is not None else form.form_errors).append(refusal_text(ERRORS, err.field, err))
    planned = list(session.scalars(select(InspectionRound).where(
        InspectionRound.school_id == school_id, InspectionRound.inspector_id == current_user.id,
        InspectionRound.status == RoundStatus.planned,
        InspectionRound.planned_on <= local_today(session, school_id) + timedelta(days=1))
        .order_by(InspectionRound.planned_on)))
    return render_template("inspections/phone_home.html", form=form, planned=list(zip(planned, names_of(session, planned), strict=True)))


def _results(form: RoundSheet, items: list[InspectionItem], school_dir: object) -> list[ItemResult] | None:
    """Each item's result with its kept photos; None when a photo is refused (the reason is on its field)."""
    results = []
    for index, item in enumerate(items):
        prefix = f"items-{index}-"
        photos = keep_uploads(form[prefix + "photos"], school_dir, max_files=MAX_PHOTOS, max_mb=MAX_PHOTO_MB,  # type: ignore[arg-type]
                              pictures_only=True)
        if photos is None:
            return None
        if item.scoring == Scoring.points:
            passed, deduction = True, form[prefix + "deduction"].data or 0
        else:
            passed, deduction = form[prefix + "passed"].data == "yes", 0
        results.append(ItemResult(item.id, passed=passed, deduction=deduction, note=form[prefix + "note"].data or "",
                                  severity=form[prefix + "severity"].data or "", photos=photos))
    return results


def _is_blank(row: ProblemRow) -> bool:
    """A problem row with nothing in it: a spare row, or one the inspector emptied (no problem)."""
    return not row.description.data and not row.spot.data and not any(is_upload(f) for f in row.photos.data or [])


def _problems(form: RoundSheet, school_dir: object) -> tuple[list[Problem], list[ProblemRow]] | None:
    """The problems of the rows filled in, with their kept photos, and those rows (to show a refusal on); None when
    a photo is refused (the reason is on its field)."""
    problems, rows = [], []
    for row in (entry.form for entry in form.extra):
        if _is_blank(row):
            continue
        photos = keep_uploads(row.photos, school_dir, max_files=MAX_PHOTOS, max_mb=MAX_PHOTO_MB,  # type: ignore[arg-type]
                              pictures_only=True)
        if photos is None:
            return None
        problems.append(Problem(row.description.data or "", severity=row.severity.data or "", spot=row.spot.data or "",
                                photos=photos))
        rows.append(row)
    return problems, rows


def _refused(form: RoundSheet, err: RoundError, rows: list[ProblemRow]) -> None:
    """The reason next to the field at fault: an item's (``items-2-note``), a problem's (in the row of the n-th
    problem filled in), else above the button."""
    if err.part == ReportPart.extra and err.index is not None:
        target = rows[err.index][err.name]
        target.errors = [*target.errors, refusal_text(PROBLEM_ERRORS, err.name, err)]
        return
    field = form._fields.get(err.field)
    (field.errors if field is not None else form.form_errors).append(refusal_text(ERRORS, err.name, err))


def _with_spare_rows(form: RoundSheet) -> list[int]:
    """Blank problem rows up to ``MAX_EXTRA``, for the page to offer one by one; the indexes of the blank rows."""
    while len(form.extra) < MAX_EXTRA:
        form.extra.append_entry()
    return [index for index, entry in enumerate(form.extra) if _is_blank(entry.form)]


@bp.route("/m/inspections/<number>", methods=["GET", "POST"])
@roles_required(*INSPECTORS)
def carry(number: str) -> ResponseReturnValue:
    session, school_id = db.session(), current_user.school_id
    row = round_by_number(session, school_id=school_id, number=number)
    if row is None:
        abort(404)
    if row.status != RoundStatus.planned:
        if request.method == "POST":  # sent again, or after someone else recorded it: nothing is added
            flash(str(ERRORS["round"]), "error")
        return redirect(url_for("inspections.round_page", number=number))
    template = session.get(InspectionTemplate, row.template_id)
    assert template is not None
    items = active_items(template)
    form = round_sheet(items)()
    if form.validate_on_submit():
        book = db.runtime().rules.book(session, school_id)
        school_dir = db.runtime().uploads_dir / str(school_id)
        results, extra = _results(form, items, school_dir), _problems(form, school_dir)
        if results is not None and extra is not None:
            problems, rows = extra
            try:
                found = carry_out(session, db.runtime().host, book, inspector=current_user, number=number,
                                  report=RoundReport(results=results, extra=problems, note=form.note.data or "",
                                                     confirmed_by=form.confirmed_by.data or "",
                                                     confirmed=bool(form.confirmed.data)))
                session.commit()
                flash(_("Round recorded: %(n)d problems found.", n=len(found)), "success")
                return redirect(url_for("inspections.round_page", number=number))
            except RoundError as err:
                session.rollback()
                _refused(form, err, rows)
        else:
            session.rollback()
    locale = locale_code()
    open_found = open_findings_at(session, school_id=school_id, building_id=row.building_id)
    spares = _with_spare_rows(form)
    return render_template("inspections/carry.html", form=form, row=row, items=list(enumerate(items)),
                           spares=spares,
                           standards=standards_of(session, school_id=school_id, items=items),
                           named=names(session, row), open_found=open_found, inspector_role=inspector_role(),
                           severity={k: translate(v, locale) for k, v in SEVERITY_WORDS.items()},
                           status={k: translate(v, locale) for k, v in FINDING_WORDS.items()},
                           max_files=MAX_PHOTOS, max_mb=MAX_PHOTO_MB)
