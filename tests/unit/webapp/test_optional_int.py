"""The coercion of a select that may be left empty: every form's optional id reads it."""
from __future__ import annotations

import pytest

from webapp.shared import optional_int


@pytest.mark.parametrize(("sent", "read"), [("", None), ("None", None), (None, None), ("12", 12), (7, 7)])
def test_an_empty_choice_is_none_and_any_other_its_id(sent, read):
    assert optional_int(sent) == read


def test_a_choice_that_is_no_number_is_refused():
    with pytest.raises(ValueError):  # the select reports an invalid choice
        optional_int("abc")
