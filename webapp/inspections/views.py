"""Reading inspections: the rounds and findings lists (each dashboard figure's drill-down; findings grouped per
unit and severity), a round's page, a finding's page, a place's page ("were last time's problems fixed?") and
their photos. Every page finds the object within the reader's school and asks
:func:`workflows.inspections.readmodel.may_view`."""
from __future__ import annotations

from itertools import chain

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from engine.clock import now
from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.kept_files import send_kept
from webapp.shared import figure_scope
from workflows.catalogue.models import Building
from workflows.i18n import translate
from workflows.inspections.figures import FINDING_CONDITIONS, ROUND_CONDITIONS, finding_drilldown, per_unit_severity, round_drilldown
from workflows.inspections.labels import FINDING_WORDS, KIND_WORDS, ROUND_WORDS, SEVERITY_WORDS
from workflows.inspections.models import InspectionFinding, InspectionItem, InspectionRound
from workflows.inspections.module import facts, linked_standard
from workflows.inspections.readmodel import (
    READER_ROLES,
    finding_by_number,
    findings_of,
    last_time,
    may_view,
    names,
    open_findings_at,
    round_by_number,
    rounds_at,
)
from workflows.plans.readmodel import unit_names

bp = Blueprint("inspections", __name__)


def _words() -> dict[str, dict[str, str]]:
    locale = locale_code()
    return {name: {value: translate(word, locale) for value, word in words.items()}
            for name, words in (("kind", KIND_WORDS), ("round", ROUND_WORDS), ("severity", SEVERITY_WORDS),
                                ("finding", FINDING_WORDS))}


def _timeline(key: str) -> list[dict]:
    return db.runtime().modules.timeline(db.session(), module_name="inspections", school_id=current_user.school_id,
                                         key=key, locale=locale_code())


def _places() -> dict[int, str]:
    return {b.id: b.name for b in db.session().query(Building).filter(Building.school_id == current_user.school_id)}


@bp.get("/inspections/rounds")
@roles_required(*READER_ROLES)
def rounds() -> ResponseReturnValue:
    """The school's rounds a figure counts in a period (planned rounds of the last 30 days by default)."""
    scope = figure_scope(ROUND_CONDITIONS, request.args.get("show", "inspection_rounds_planned"))
    rows = round_drilldown(db.session(), school_id=current_user.school_id, key=scope.show, start=scope.start,
                           end=scope.end, at=now())
    return render_template("inspections/rounds.html", rows=rows, **scope.page(), places=_places(),
                           units=unit_names(db.session(), school_id=current_user.school_id), words=_words())


@bp.get("/inspections/findings")
@roles_required(*READER_ROLES)
def findings() -> ResponseReturnValue:
    """The school's findings a figure counts in a period, grouped per responsible unit and severity."""
    scope = figure_scope(FINDING_CONDITIONS, request.args.get("show", "inspection_findings"))
    rows = finding_drilldown(db.session(), school_id=current_user.school_id, key=scope.show, start=scope.start,
                             end=scope.end, at=now())
    return render_template("inspections/findings.html", rows=rows, **scope.page(), groups=per_unit_severity(rows),
                           places=_places(),
                           units=unit_names(db.session(), school_id=current_user.school_id), words=_words())


def _viewable(row: InspectionRound | InspectionFinding | None) -> None:
    if row is None:
        abort(404)
    if not may_view(db.session(), current_user, row):
        abort(403)


@bp.get("/inspections/rounds/<number>")
@login_required
def round_page(number: str) -> ResponseReturnValue:
    session = db.session()
    row = round_by_number(session, school_id=current_user.school_id, number=number)
    _viewable(row)
    assert row is not None
    items = {i.id: i for i in session.query(InspectionItem).filter(InspectionItem.template_id == row.template_id)}
    return render_template("inspections/round.html", row=row, named=names(session, row), items=items,
                           found=findings_of(session, row.id), events=_timeline(number), words=_words())


@bp.get("/inspections/findings/<number>")
@login_required
def finding(number: str) -> ResponseReturnValue:
    session = db.session()
    row = finding_by_number(session, school_id=current_user.school_id, number=number)
    _viewable(row)
    assert row is not None
    parent = session.get(InspectionRound, row.round_id)
    return render_template("inspections/finding.html", row=row, facts=facts(session, row, locale_code()),
                           standard=linked_standard(session, row),
                           round_number=parent.number if parent else "", events=_timeline(number), words=_words())


@bp.get("/inspections/places/<int:building_id>")
@roles_required(*READER_ROLES)
def place(building_id: int) -> ResponseReturnValue:
    """A place's inspections: were last time's problems fixed, what is still open, the rounds done there."""
    session, school_id = db.session(), current_user.school_id
    building = session.get(Building, building_id)
    if building is None or building.school_id != school_id:
        abort(404)
    last_round, last_found = last_time(session, school_id=school_id, building_id=building_id)
    return render_template("inspections/place.html", building=building, last_round=last_round, last_found=last_found,
                           open_found=open_findings_at(session, school_id=school_id, building_id=building_id),
                           done=rounds_at(session, school_id=school_id, building_id=building_id), words=_words())


@bp.get("/inspections/<number>/photos/<stored>")
@login_required
def photo(number: str, stored: str) -> ResponseReturnValue:
    """One photo of a finding (what was found, the fix) or of a round's results."""
    session, school_id = db.session(), current_user.school_id
    found = finding_by_number(session, school_id=school_id, number=number)
    row: InspectionRound | InspectionFinding | None = found or round_by_number(session, school_id=school_id, number=number)
    _viewable(row)
    if found is not None:
        kept = chain(found.photos, found.fix_photos)
    else:
        assert isinstance(row, InspectionRound)
        kept = chain.from_iterable(r.photos for r in row.results)
    item = next((p for p in kept if isinstance(p, dict) and p.get("stored") == stored), None)
    return send_kept(db.runtime().uploads_dir / str(school_id), item)
