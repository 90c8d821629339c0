"""A survey's answers as an Excel workbook: one row per response (its time, how it came in, each question's answer
in the reader's language; stars and scores as numbers) and a sheet of the units' satisfaction. Cells are typed as
the service reports type them (:mod:`workflows.reports.values`)."""
from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from sqlalchemy.orm import Session

from workflows.i18n import N_, translate
from workflows.people.models import OrgUnit
from workflows.reports.excel import append_row, fit_columns, new_sheet
from workflows.reports.values import Kind
from workflows.surveys.enums import QuestionKind
from workflows.surveys.labels import text
from workflows.surveys.models import Survey
from workflows.surveys.questions import all_questions
from workflows.surveys.results import responses, shown_answer
from workflows.surveys.scores import per_unit

NUMBERS = {QuestionKind.rating, QuestionKind.nps}
CHANNEL_WORDS = {"login": N_("Logged in"), "token": N_("One-time link")}


def workbook(session: Session, survey: Survey, *, locale: str, zone: ZoneInfo) -> bytes:
    asked = list(all_questions(survey.questions))
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new workbook always has its first sheet
    sheet = new_sheet(book, translate(N_("Answers"), locale),
                      [translate(N_("Submitted"), locale), translate(N_("Answered by"), locale),
                       *(f"{q['id'][1:]}. {text(q, locale)}" for q in asked)])
    kinds = [Kind.MOMENT, Kind.TEXT, *(Kind.COUNT if q["kind"] in NUMBERS else Kind.TEXT for q in asked)]
    for response in responses(session, survey):
        values = [response.answers.get(q["id"]) for q in asked]
        append_row(sheet, kinds, [response.submitted_at, translate(CHANNEL_WORDS[response.channel], locale),
                                  *(v if q["kind"] in NUMBERS else shown_answer(q, v, locale) or None
                                    for q, v in zip(asked, values, strict=True))], locale, zone)
    fit_columns(sheet)
    scores = new_sheet(book, translate(N_("Satisfaction per unit"), locale),
                       [translate(N_("Unit"), locale), translate(N_("Satisfaction (0–100)"), locale),
                        translate(N_("Rating answers"), locale)])
    for score in per_unit(session, school_id=survey.school_id, start=survey.opens_at, end=survey.closes_at, survey_id=survey.id):
        unit = session.get(OrgUnit, score.unit_id)
        append_row(scores, [Kind.TEXT, Kind.SCORE, Kind.COUNT],
                   [unit.name if unit else str(score.unit_id), round(score.satisfaction, 1), score.answers], locale, zone)
    fit_columns(scores)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
