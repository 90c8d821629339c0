"""A survey's results as its pages, charts and Excel sheet read them: per question, the count of each answer
(options, stars, 0–10), the mean of a rating, the NPS, and the written answers; and every response as a row."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.surveys.enums import QuestionKind
from workflows.surveys.models import Survey, SurveyInvitee, SurveyResponse
from workflows.surveys.questions import all_questions

PROMOTERS, DETRACTORS = 9, 6  # NPS: 9–10 recommend, 0–6 do not


@dataclass
class QuestionResult:
    question: dict
    answered: int = 0
    counts: list[tuple[str, str, str, int]] = field(default_factory=list)  # (value, zh, en, count), in order
    mean: float | None = None  # ratings: mean stars; NPS: mean score
    nps: float | None = None  # % promoters − % detractors
    texts: list[str] = field(default_factory=list)


@dataclass
class Results:
    responses: int
    asked: int  # invitees (accounts asked and links handed out)
    questions: list[QuestionResult]


def responses(session: Session, survey: Survey) -> list[SurveyResponse]:
    return list(session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                             SurveyResponse.school_id == survey.school_id)
                                .order_by(SurveyResponse.submitted_at, SurveyResponse.id)))


def _scale(q: dict) -> list[tuple[str, str, str]]:
    kind = q["kind"]
    if kind in (QuestionKind.single, QuestionKind.multiple):
        return [(o["value"], o["zh"], o["en"]) for o in q["options"]]
    top = int(q.get("scale") or 5) if kind == QuestionKind.rating else 10
    first = 1 if kind == QuestionKind.rating else 0
    return [(str(v), str(v), str(v)) for v in range(first, top + 1)]


def _question(q: dict, answers: list[Any]) -> QuestionResult:
    result = QuestionResult(question=q, answered=len(answers))
    if q["kind"] == QuestionKind.text:
        result.texts = [str(a) for a in answers]
        return result
    tally: Counter[str] = Counter()
    for a in answers:
        tally.update([str(v) for v in a] if isinstance(a, list) else [str(a)])
    result.counts = [(value, zh, en, tally[value]) for value, zh, en in _scale(q)]
    if q["kind"] in (QuestionKind.rating, QuestionKind.nps) and answers:
        result.mean = sum(int(a) for a in answers) / len(answers)
    if q["kind"] == QuestionKind.nps and answers:
        promoters = sum(1 for a in answers if int(a) >= PROMOTERS)
        detractors = sum(1 for a in answers if int(a) <= DETRACTORS)
        result.nps = (promoters - detractors) / len(answers) * 100
    return result


def results(session: Session, survey: Survey) -> Results:
    rows = responses(session, survey)
    asked = session.scalar(select(func.count(SurveyInvitee.id)).where(SurveyInvitee.survey_id == survey.id)) or 0
    return Results(responses=len(rows), asked=asked,
                   questions=[_question(q, [r.answers[q["id"]] for r in rows if q["id"] in r.answers])
                              for q in all_questions(survey.questions)])


def shown_answer(q: dict, value: Any, locale: str) -> str:
    """An answer as words: the option's text in the reader's language, stars and scores as numbers."""
    if value is None:
        return ""
    if q["kind"] in (QuestionKind.single, QuestionKind.multiple):
        names: dict[str, str] = {o["value"]: o["en" if locale.startswith("en") else "zh"] for o in q["options"]}
        return "；".join(names.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))
    return str(value)
