"""Photos as the matcher sees them: real faces found and told apart, and every bad photo refused with its reason."""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from tests.faces import pictures
from workflows.faces import images
from workflows.faces.encoding import MIN_FACE_PX, encode_photo, find_face
from workflows.faces.images import load_photo
from workflows.faces.matcher import Gallery, GalleryCache, from_bytes, to_bytes
from workflows.faces.refusals import FaceProblem, FaceRefused

TOLERANCE = 0.5


def encoding_of(data: bytes) -> np.ndarray:
    return encode_photo(load_photo(data))[1]


def refusal(data: bytes) -> FaceProblem:
    with pytest.raises(FaceRefused) as refused:
        encode_photo(load_photo(data))
    return refused.value.problem


def test_the_same_person_matches_and_another_person_does_not():
    gallery = Gallery.of([(7, encoding_of(pictures.photo_bytes("obama"))), (9, encoding_of(pictures.photo_bytes("biden")))])
    same = gallery.nearest(encoding_of(pictures.kiosk_frame("obama2")), TOLERANCE)
    assert same is not None and same.person_id == 7 and same.matched and same.distance < 0.45
    alone = Gallery.of([(7, encoding_of(pictures.photo_bytes("obama")))])
    other = alone.nearest(encoding_of(pictures.photo_bytes("biden")), TOLERANCE)
    assert other is not None and not other.matched and other.distance > 0.65


@pytest.mark.parametrize(("make", "problem"), [
    (lambda: b"", FaceProblem.empty),
    (lambda: b"%PDF-1.4 not a photo at all", FaceProblem.not_image),
    (lambda: pictures.photo_bytes("obama")[:9000], FaceProblem.not_image),  # a JPEG cut short
    (lambda: b"\xff\xd8\xff" + bytes(images.MAX_BYTES), FaceProblem.too_large),
    (lambda: pictures.png(Image.new("L", (7000, 7000))), FaceProblem.too_large),  # 49 megapixels, a small file
    (pictures.no_face, FaceProblem.no_face),
    (pictures.two_faces, FaceProblem.several_faces),
    (pictures.tiny, FaceProblem.too_small),
    (pictures.blurred, FaceProblem.blurred),
])
def test_bad_photos_are_refused_with_their_reason(make, problem):
    assert refusal(make()) == problem


def test_a_phone_portrait_stored_on_its_side_is_turned_upright():
    sideways = pictures.photo("obama").transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    upright = load_photo(pictures.jpeg(sideways, exif=exif))
    assert upright.shape[0] > upright.shape[1]
    assert np.linalg.norm(encoding_of(pictures.jpeg(sideways, exif=exif)) - encoding_of(pictures.photo_bytes("obama"))) < 0.2


def test_transparent_and_sixteen_bit_photos_become_eight_bit_rgb():
    rgba = pictures.photo("obama").convert("RGBA")
    assert load_photo(pictures.png(rgba)).dtype == np.uint8
    grey16 = Image.fromarray(np.asarray(pictures.photo("obama").convert("L"), dtype=np.uint16) * 257)
    loaded = load_photo(pictures.png(grey16))
    assert loaded.shape[2] == 3 and 40 < loaded.mean() < 200  # not the near-white a plain convert gives
    assert find_face(loaded).width >= MIN_FACE_PX


def test_a_big_photo_is_reduced_before_detection():
    big = pictures.photo("obama").resize((3000, 3750))
    loaded = load_photo(pictures.jpeg(big))
    assert max(loaded.shape[:2]) <= images.MAX_SIDE and loaded.flags["C_CONTIGUOUS"]


def test_encodings_from_threads_at_once_equal_the_single_thread_ones():
    frames = [load_photo(pictures.photo_bytes(name)) for name in ("obama", "biden", "obama2", "obama3")]
    alone = [encode_photo(frame)[1] for frame in frames]
    together: list[np.ndarray | None] = [None] * len(frames)

    def run(index: int) -> None:
        together[index] = encode_photo(frames[index])[1]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(frames))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.array_equal(a, b) for a, b in zip(alone, together, strict=True))


def test_the_match_over_ten_thousand_rows_finds_the_planted_person():
    rng = np.random.default_rng(16)
    rows = rng.normal(0, 0.1, size=(10_000, 128))
    probe = rows[4321] + 0.01
    gallery = Gallery.of((i + 1, row) for i, row in enumerate(rows))
    match = gallery.nearest(probe, TOLERANCE)
    assert match is not None and match.person_id == 4322 and match.matched
    assert Gallery.of([]).nearest(probe, TOLERANCE) is None


def test_stored_encodings_round_trip_and_bad_ones_are_refused():
    vector = np.arange(128, dtype=np.float64) / 100
    assert np.array_equal(from_bytes(to_bytes(vector)), vector)
    with pytest.raises(ValueError):
        from_bytes(b"\x00" * 16)


def test_a_school_gallery_is_rebuilt_only_when_its_version_moves():
    cache = GalleryCache()
    builds: list[int] = []

    def build() -> Gallery:
        builds.append(1)
        return Gallery.of([])

    first = cache.get(1, 3, build)
    assert cache.get(1, 3, build) is first and len(builds) == 1
    cache.get(1, 4, build)
    cache.get(2, 4, build)
    assert len(builds) == 3
