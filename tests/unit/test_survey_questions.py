"""The questionnaire on its own: "show if" on single, multiple and rating answers decides which answers are kept;
the builder refuses a question that cannot work and a removal that would orphan a condition."""
from __future__ import annotations

import pytest

from workflows.surveys import questions
from workflows.surveys.questions import AnswerError, QuestionnaireError

OPTIONS = questions.parse_options("食堂 | Canteen\n宿舍 | Dormitory\n教室")


def _definition() -> dict:
    d = questions.add_section(questions.empty(), title_zh="总体", title_en="")
    d = questions.add_question(d, section_id="s1", kind="multiple", text_zh="您用过哪些服务？", text_en="", options=OPTIONS)
    d = questions.add_question(d, section_id="s1", kind="rating", text_zh="宿舍评分", text_en="", scale=3,
                               show_if={"question": "q1", "answer": "o2"})
    return questions.add_question(d, section_id="s1", kind="text", text_zh="宿舍哪里不好？", text_en="",
                                  show_if={"question": "q2", "answer": "1"})


def test_options_are_numbered_and_keep_chinese_where_english_is_missing():
    assert OPTIONS == [{"value": "o1", "zh": "食堂", "en": "Canteen"}, {"value": "o2", "zh": "宿舍", "en": "Dormitory"},
                       {"value": "o3", "zh": "教室", "en": "教室"}]


@pytest.mark.parametrize("raw, kept", [
    ({"q1": ["o1"]}, {"q1": ["o1"]}),
    ({"q1": ["o3", "o2"], "q2": ["3"]}, {"q1": ["o2", "o3"], "q2": 3}),
    ({"q1": ["o2"], "q2": ["1"], "q3": ["太吵"]}, {"q1": ["o2"], "q2": 1, "q3": "太吵"}),
])
def test_a_chain_of_conditions_keeps_the_visible_answers(raw, kept):
    assert questions.clean_answers(_definition(), raw) == kept


@pytest.mark.parametrize("raw, field, reason", [
    ({"q1": ["o1"], "q2": ["2"]}, "q2", "This question is not asked"),  # dormitory not chosen
    ({"q1": ["o2"], "q2": ["3"], "q3": ["太吵"]}, "q3", "This question is not asked"),  # only after one star
    ({"q1": ["o2"]}, "q2", "Please answer this question"),
    ({"q1": ["o2"], "q2": ["0"]}, "q2", "Choose one of the answers offered"),
    ({"q1": []}, "q1", "Please answer this question"),
    ({"q1": ["o1"], "q9": ["x"]}, "q9", "The survey has changed"),
])
def test_answers_that_do_not_fit_are_refused_naming_the_question(raw, field, reason):
    with pytest.raises(AnswerError, match=reason) as refused:
        questions.clean_answers(_definition(), raw)
    assert refused.value.field == field


def test_the_builder_refuses_questions_that_cannot_work():
    d = _definition()
    for kwargs, field in (({"kind": "single", "text_zh": "只有一个", "options": OPTIONS[:1]}, "options"),
                          ({"kind": "text", "text_zh": ""}, "text_zh"),
                          ({"kind": "rating", "text_zh": "评分", "scale": 11}, "scale"),
                          ({"kind": "slider", "text_zh": "滑块"}, "kind"),
                          ({"kind": "text", "text_zh": "x", "show_if": {"question": "q9", "answer": "o1"}}, "show_if_question"),
                          ({"kind": "text", "text_zh": "x", "show_if": {"question": "q1", "answer": "o7"}}, "show_if_answer"),
                          ({"kind": "text", "text_zh": "x", "show_if": {"question": "q3", "answer": "太吵"}}, "show_if_answer")):
        with pytest.raises(QuestionnaireError) as refused:
            questions.add_question(d, section_id="s1", text_en="", **kwargs)
        assert refused.value.field == field
    with pytest.raises(QuestionnaireError, match="shown only after"):
        questions.remove_question(d, "q2")
    assert [q["id"] for q in questions.all_questions(questions.remove_question(d, "q3"))] == ["q1", "q2"]
    with pytest.raises(QuestionnaireError):
        questions.check_complete(questions.empty())
