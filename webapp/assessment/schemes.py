"""Assessment schemes (``/assessment/schemes``): the list, entering one and editing it. Every mistake comes back on
the form with its message and nothing stored; editing a scheme a campaign used saves a new version, which the
page says."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session

from webapp import db
from webapp.assessment.forms import SchemeForm, SelectChoice, fill
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.shared import school_id
from workflows.assessment import schemes
from workflows.assessment.enums import Grade
from workflows.assessment.indicators import IndicatorTable
from workflows.assessment.labels import GRADE_WORDS, ITEM_KIND_WORDS, SCHEDULE_WORDS
from workflows.assessment.models import SchemeVersion
from workflows.assessment.readmodel import VIEW_ROLES
from workflows.i18n import translate
from workflows.people.service import actor_for, role_names
from workflows.plans.readmodel import unit_choices

bp = Blueprint("assessment_schemes", __name__)
EDITOR_ROLES = ("supervisor", "admin")


def _indicators() -> IndicatorTable:
    return db.runtime().modules.indicators


def _current_or_404(session: Session, code: str) -> SchemeVersion:
    """The school's current version of scheme ``code``; 404 for an unknown code or another school's."""
    current = schemes.current_of(session, school_id=school_id(), code=code)
    if current is None:
        abort(404)
    return current


def _form(version: SchemeVersion | None = None) -> SchemeForm:
    form = SchemeForm()
    session, locale = db.session(), locale_code()
    form.unit_id.choices = [SelectChoice(i, name) for i, name in unit_choices(session, school_id=school_id())]
    indicator_choices = [SelectChoice(key, f"{translate(ind.label, locale)} ({ind.unit})") for key, ind in _indicators().items()]
    for row in form.items:
        row.form.indicator.choices = indicator_choices
    if not form.is_submitted():
        if version is not None:
            form.process(obj=version)
            form.unit_id.choices = [SelectChoice(i, name) for i, name in unit_choices(session, school_id=school_id())]
            for row in form.items:
                row.form.indicator.choices = indicator_choices
        fill(form, version.items if version else [], version.bands if version else schemes.DEFAULT_BANDS)
    return form


def _draft(form: SchemeForm) -> schemes.Draft:
    return schemes.Draft(name=form.name.data or "", unit_id=form.unit_id.data or 0, items=form.item_dicts(),
                         bands=[{**band, "grade": grade} for band, grade in zip(form.band_dicts(), list(Grade), strict=False)],
                         contract=form.contract.data or "", schedule=form.schedule.data or "")


def _problems(form: SchemeForm) -> str | None:
    """The form's own refusals in one line (a number that is not one, a missing name), or None."""
    if not form.is_submitted() or not form.errors:
        return None
    return _("Please correct: %(fields)s", fields="; ".join(sorted({str(e) for e in _flat(form.errors)})))


def _flat(errors: Any) -> list[Any]:
    if isinstance(errors, dict):
        return [e for value in errors.values() for e in _flat(value)]
    if isinstance(errors, list):
        return [e for value in errors for e in _flat(value)]
    return [errors]


def _render(form: SchemeForm, version: SchemeVersion | None, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template("assessment/scheme_form.html", form=form, version=version, error=error,
                           grades=[translate(GRADE_WORDS[g], locale_code()) for g in Grade]), status


@bp.get("/assessment/schemes")
@roles_required(*VIEW_ROLES)
def index() -> ResponseReturnValue:
    session, locale = db.session(), locale_code()
    units = dict(unit_choices(session, school_id=school_id()))
    labels = {key: translate(ind.label, locale) for key, ind in _indicators().items()}
    return render_template("assessment/schemes.html", rows=schemes.schemes(session, school_id=school_id()), units=units,
                           indicators=labels, kinds={k: translate(v, locale) for k, v in ITEM_KIND_WORDS.items()},
                           schedules={k: translate(v, locale) for k, v in SCHEDULE_WORDS.items()},
                           grades={k: translate(v, locale) for k, v in GRADE_WORDS.items()},
                           may_edit=bool(set(EDITOR_ROLES) & role_names(current_user)))


@bp.route("/assessment/schemes/new", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def new() -> ResponseReturnValue:
    form = _form()
    if not form.validate_on_submit():
        return _render(form, None, error=_problems(form), status=400 if form.is_submitted() else 200)
    session = db.session()
    try:
        version = schemes.create(session, school_id=school_id(), draft=_draft(form), indicators=_indicators(),
                                 actor=actor_for(session, current_user).label, user_id=current_user.id)
        session.commit()
    except schemes.SchemeError as err:
        session.rollback()
        return _render(form, None, error=err.said(locale_code()), status=400)
    flash(_("Scheme %(code)s saved.", code=version.code), "ok")
    return redirect(url_for("assessment_schemes.index"))


@bp.post("/assessment/schemes/<code>/active")
@roles_required(*EDITOR_ROLES)
def switch(code: str) -> ResponseReturnValue:
    """Switch a scheme off (``active=0``: no new campaigns on it) or on again (``active=1``)."""
    session = db.session()
    current = _current_or_404(session, code)
    if not FlaskForm().validate_on_submit() or request.form.get("active") not in ("0", "1"):
        abort(400)
    active = request.form["active"] == "1"
    if schemes.set_active(session, current=current, active=active, actor=actor_for(session, current_user).label):
        session.commit()
    flash(_("Scheme %(code)s is in use again: campaigns are opened on it.", code=code) if active else
          _("Scheme %(code)s is switched off: no new campaigns are opened on it; open ones go on.", code=code), "ok")
    return redirect(url_for("assessment_schemes.index"))


@bp.route("/assessment/schemes/<code>/edit", methods=["GET", "POST"])
@roles_required(*EDITOR_ROLES)
def edit(code: str) -> ResponseReturnValue:
    session = db.session()
    current = _current_or_404(session, code)
    form = _form(current)
    if not form.validate_on_submit():
        return _render(form, current, error=_problems(form), status=400 if form.is_submitted() else 200)
    try:
        saved = schemes.revise(session, current=current, draft=_draft(form), indicators=_indicators(),
                               actor=actor_for(session, current_user).label, user_id=current_user.id)
        session.commit()
    except schemes.SchemeError as err:
        session.rollback()
        return _render(form, current, error=err.said(locale_code()), status=400)
    if saved.version != current.version:
        flash(_("A campaign used version %(old)d, so the changes are saved as version %(new)d; running campaigns keep "
                "their version.", old=current.version, new=saved.version), "ok")
    else:
        flash(_("Scheme %(code)s saved.", code=code), "ok")
    return redirect(url_for("assessment_schemes.index"))
