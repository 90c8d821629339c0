"""A survey's live results (counts, charts, NPS, written answers, each unit's satisfaction) and its Excel file, for
the quality office and the leaders of the survey's school."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from webapp import db
from webapp.auth import roles_required
from webapp.i18n import locale_code, school_tz
from webapp.surveys.views import survey_of_school
from workflows.people.models import OrgUnit
from workflows.surveys.access import READER_ROLES
from workflows.surveys.export import workbook
from workflows.surveys.labels import STATUS_WORDS, text, title
from workflows.surveys.results import results
from workflows.surveys.scores import per_unit

bp = Blueprint("survey_results", __name__)
ECHARTS = Path("vendor/echarts.min.js")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/surveys/<number>/results")
@roles_required(*READER_ROLES)
def show(number: str) -> ResponseReturnValue:
    session, survey, locale = db.session(), survey_of_school(number), locale_code()
    found = results(session, survey)
    scores = per_unit(session, school_id=survey.school_id, start=survey.opens_at, end=survey.closes_at, survey_id=survey.id)
    names = {i: n for i, n in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.school_id == survey.school_id))}
    english = locale.startswith("en")
    charts = [{"id": f"chart-{r.question['id']}", "title": text(r.question, locale),
               "labels": [en if english else zh for _v, zh, en, _n in r.counts], "counts": [n for *_rest, n in r.counts]}
              for r in found.questions if r.counts]
    echarts = current_app.static_folder is not None and (Path(current_app.static_folder) / ECHARTS).is_file()
    return render_template("surveys/results.html", survey=survey, found=found, scores=scores, names=names, charts=charts,
                           echarts=echarts, echarts_path=ECHARTS.as_posix(), locale=locale, status_words=STATUS_WORDS,
                           title=title(survey, locale))


@bp.get("/surveys/<number>/results.xlsx")
@roles_required(*READER_ROLES)
def export(number: str) -> ResponseReturnValue:
    survey = survey_of_school(number)
    body = workbook(db.session(), survey, locale=locale_code(), zone=school_tz())
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename={survey.number}.xlsx"})
