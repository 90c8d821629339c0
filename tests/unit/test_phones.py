"""Phone numbers of people: Chinese mobiles and landlines with an area code (and an extension) are accepted in the
forms people type them and written one way; anything else, "abc" first, is refused."""
from __future__ import annotations

import pytest

from workflows.people.phones import BadPhone, clean_phone


@pytest.mark.parametrize(("typed", "written"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("138-1234-5678", "13812345678"),
    ("+86 139 0000 0000", "13900000000"), ("8619912345678", "19912345678"),
    ("010-12345678", "010-12345678"), ("0571-8888888", "0571-8888888"), ("01012345678", "010-12345678"),
    ("(0571) 8888888", "0571-8888888"), ("010-12345678-123", "010-12345678-123"), ("010-12345678转8001", "010-12345678-8001"),
    ("0755 2345 6789 ext 12", "0755-23456789-12"), ("  021-6543210  ", "021-6543210"),
])
def test_mobiles_and_landlines_are_written_one_way(typed, written):
    assert clean_phone(typed) == written


@pytest.mark.parametrize("typed", [
    "abc", "", "12812345678", "1381234567", "138123456789", "10086", "010-123456", "010-123456789", "12345678",
    "0571-8888888-1234567", "138abcd5678", "tel:13812345678", "1" * 41, "010-12345678转", "+1 650 253 0000",
])
def test_anything_else_is_refused(typed):
    with pytest.raises(BadPhone):
        clean_phone(typed)
