"""A questionnaire: sections of questions, each in Chinese and English, with "show if" skip logic, and the
checking of a person's answers against it.

The definition is plain JSON kept on the survey::

    {"sections": [{"id": "s1", "title_zh": …, "title_en": …, "questions": [
        {"id": "q1", "kind": "single", "text_zh": …, "text_en": …, "required": true,
         "options": [{"value": "o1", "zh": "满意", "en": "Satisfied"}], "scale": 5,
         "show_if": {"question": "q0", "answer": "o1"}, "unit_id": 3}]}]}

``show_if`` may only name an earlier question, so whether a question shows is decided in one pass from the top.
A rating question counts toward the satisfaction of ``unit_id`` (else the survey's unit).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.surveys.enums import QuestionKind

CHOICE_KINDS = {QuestionKind.single, QuestionKind.multiple}
RATING_SCALES = range(2, 11)
NPS_RANGE = range(0, 11)
MAX_TEXT = 2000


class QuestionnaireError(FieldError):
    """The questionnaire cannot be saved as written; ``field`` names the builder's input at fault."""


class AnswerError(FieldError):
    """The answers are refused; ``field`` is the question id at fault (or ``survey``)."""


def empty() -> dict:
    return {"sections": []}


def sections(definition: Mapping[str, Any]) -> list[dict]:
    return list(definition.get("sections") or [])


def all_questions(definition: Mapping[str, Any]) -> Iterator[dict]:
    """Every question, in the order people see them."""
    for section in sections(definition):
        yield from section.get("questions") or []


def question(definition: Mapping[str, Any], question_id: str) -> dict | None:
    return next((q for q in all_questions(definition) if q["id"] == question_id), None)


def _next_id(prefix: str, used: Sequence[str]) -> str:
    numbers = [int(item[1:]) for item in used if item[1:].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _allowed(q: Mapping[str, Any]) -> set[str]:
    """The answers a question can have, as the texts a form sends."""
    kind = q["kind"]
    if kind in CHOICE_KINDS:
        return {o["value"] for o in q.get("options") or []}
    if kind == QuestionKind.rating:
        return {str(v) for v in range(1, int(q.get("scale") or 5) + 1)}
    if kind == QuestionKind.nps:
        return {str(v) for v in NPS_RANGE}
    return set()


def add_section(definition: Mapping[str, Any], *, title_zh: str, title_en: str) -> dict:
    """The definition with a new section at the end."""
    if not title_zh.strip():
        raise QuestionnaireError("title_zh", N_("Write the title in Chinese."))
    shown = sections(definition)
    new = {"id": _next_id("s", [s["id"] for s in shown]), "title_zh": title_zh.strip(), "title_en": title_en.strip(),
           "questions": []}
    return {**definition, "sections": [*shown, new]}


def parse_options(lines: str) -> list[dict]:
    """Options written one a line as ``中文 | English``."""
    options = []
    for number, line in enumerate((raw for raw in lines.splitlines() if raw.strip()), start=1):
        zh, _bar, en = line.partition("|")
        options.append({"value": f"o{number}", "zh": zh.strip(), "en": en.strip() or zh.strip()})
    return options


def add_question(definition: Mapping[str, Any], *, section_id: str, kind: str, text_zh: str, text_en: str,
                 required: bool = True, options: Sequence[dict] = (), scale: int = 5,
                 show_if: Mapping[str, str] | None = None, unit_id: int | None = None) -> dict:
    """The definition with a new question at the end of a section; QuestionnaireError for a question that cannot
    work (no text, a choice without two options, a skip condition on a later or unknown question or answer)."""
    if kind not in set(QuestionKind):
        raise QuestionnaireError("kind", N_("Choose a kind of question."))
    if not text_zh.strip():
        raise QuestionnaireError("text_zh", N_("Write the question in Chinese."))
    if kind in CHOICE_KINDS and len(options) < 2:
        raise QuestionnaireError("options", N_("A choice needs at least two options, one a line."))
    if kind == QuestionKind.rating and scale not in RATING_SCALES:
        raise QuestionnaireError("scale", N_("A rating scale runs from 2 to 10."))
    shown = sections(definition)
    if section_id not in {s["id"] for s in shown}:
        raise QuestionnaireError("section_id", N_("Add a section first."))
    condition = None
    if show_if and show_if.get("question"):
        target = question(definition, show_if["question"])  # only questions already there: earlier ones
        if target is None:
            raise QuestionnaireError("show_if_question", N_("A question can only depend on an earlier one."))
        if target["kind"] == QuestionKind.text or str(show_if.get("answer")) not in _allowed(target):
            raise QuestionnaireError("show_if_answer", N_("That question cannot have this answer."))
        condition = {"question": target["id"], "answer": str(show_if["answer"])}
    new = {"id": _next_id("q", [q["id"] for q in all_questions(definition)]), "kind": kind, "text_zh": text_zh.strip(),
           "text_en": text_en.strip() or text_zh.strip(), "required": bool(required),
           "options": list(options) if kind in CHOICE_KINDS else [],
           "scale": scale if kind == QuestionKind.rating else None, "show_if": condition, "unit_id": unit_id}
    return {**definition, "sections": [{**s, "questions": [*s["questions"], new]} if s["id"] == section_id else s
                                       for s in shown]}


def remove_question(definition: Mapping[str, Any], question_id: str) -> dict:
    """The definition without a question; refused while another question shows only after it."""
    if any((q.get("show_if") or {}).get("question") == question_id for q in all_questions(definition)):
        raise QuestionnaireError("question", N_("Another question is shown only after this one; remove that first."))
    return {**definition, "sections": [{**s, "questions": [q for q in s["questions"] if q["id"] != question_id]}
                                       for s in sections(definition)]}


def check_complete(definition: Mapping[str, Any]) -> None:
    """A questionnaire people can answer: at least one question."""
    if next(all_questions(definition), None) is None:
        raise QuestionnaireError("questions", N_("Add at least one question before publishing."))


def visible(q: Mapping[str, Any], answers: Mapping[str, Any], shown: set[str]) -> bool:
    """Whether ``q`` shows, given the answers so far and the questions shown before it."""
    condition = q.get("show_if")
    if not condition:
        return True
    target, wanted = condition["question"], condition["answer"]
    if target not in shown:
        return False
    given = answers.get(target)
    if isinstance(given, list):
        return wanted in given
    return given is not None and str(given) == wanted


def _value(q: Mapping[str, Any], raw: list[str]) -> Any:
    kind = q["kind"]
    if kind == QuestionKind.text:
        text = raw[0].strip() if raw else ""
        if len(text) > MAX_TEXT:
            raise AnswerError(q["id"], N_("This answer is too long."))
        return text or None
    allowed = _allowed(q)
    if any(item not in allowed for item in raw):
        raise AnswerError(q["id"], N_("Choose one of the answers offered."))
    if kind == QuestionKind.multiple:
        return sorted(set(raw), key=lambda v: [o["value"] for o in q["options"]].index(v)) or None
    if len(raw) > 1:
        raise AnswerError(q["id"], N_("Choose one answer only."))
    if not raw:
        return None
    return raw[0] if kind == QuestionKind.single else int(raw[0])


def clean_answers(definition: Mapping[str, Any], raw: Mapping[str, list[str]]) -> dict[str, Any]:
    """The answers to keep (``{question id: value}``), visible questions only; AnswerError for an answer to a
    question that does not show, a choice the question does not offer, a number out of its scale, or a required
    visible question left empty. Unknown question ids are refused too."""
    known = {q["id"] for q in all_questions(definition)}
    given = {key: [v for v in values if v != ""] for key, values in raw.items()}
    for key, values in given.items():
        if key not in known and values:
            raise AnswerError(key, N_("The survey has changed; reload the page."))
    answers: dict[str, Any] = {}
    shown: set[str] = set()
    for q in all_questions(definition):
        values = given.get(q["id"], [])
        if not visible(q, answers, shown):
            if values:
                raise AnswerError(q["id"], N_("This question is not asked given your answers above."))
            continue
        shown.add(q["id"])
        value = _value(q, values)
        if value is None:
            if q.get("required"):
                raise AnswerError(q["id"], N_("Please answer this question."))
            continue
        answers[q["id"]] = value
    return answers


def rating_percent(q: Mapping[str, Any], value: Any) -> float | None:
    """A rating answer on 0–100 (the lowest star 0, the highest 100); None for any other kind of question."""
    if q["kind"] != QuestionKind.rating or value is None:
        return None
    scale = int(q.get("scale") or 5)
    return (int(value) - 1) / (scale - 1) * 100
