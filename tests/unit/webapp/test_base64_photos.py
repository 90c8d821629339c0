"""The photos of JSON bodies (an order's, a check-in's frame, an inspection round's) decode in one place: base64
or a base64 ``data:`` URL, nothing else, and a text too long for the largest photo is refused undecoded."""
from __future__ import annotations

import base64

import pytest

from webapp.api.base64_photos import BadPhoto, PhotoProblem, decode_photo, encoded_size

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)


def test_base64_and_base64_data_urls_decode_to_their_bytes():
    text = base64.b64encode(PNG).decode()
    assert decode_photo(text, max_bytes=1024) == PNG
    assert decode_photo(f"data:image/png;base64,{text}", max_bytes=1024) == PNG
    assert decode_photo("", max_bytes=1024) == b""  # whether an empty photo is one is the endpoint's to say


@pytest.mark.parametrize(("value", "problem"), [
    (42, PhotoProblem.not_text),
    (None, PhotoProblem.not_text),
    ("data:image/png,rawbytes", PhotoProblem.plain_data_url),
    ("%%% not base64", PhotoProblem.not_base64),
    ("data:image/png;base64,%%%", PhotoProblem.not_base64),
    ("A" * (encoded_size(1024) + 4), PhotoProblem.too_large),
])
def test_anything_else_is_refused_saying_why(value, problem):
    with pytest.raises(BadPhoto) as refused:
        decode_photo(value, max_bytes=1024)
    assert refused.value.problem == problem


def test_the_largest_photo_fits_with_a_data_url_prefix():
    data = bytes(3000)
    assert decode_photo("data:image/jpeg;base64," + base64.b64encode(data).decode(), max_bytes=len(data)) == data
