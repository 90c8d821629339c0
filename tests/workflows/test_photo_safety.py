"""Photo uploads are safe to store: a decompression bomb is refused from its header before any pixel is
decoded, the upload's metadata (EXIF, a JPEG comment carrying a script) is gone from what is stored,
and a phone's portrait photo is stored upright. Pure unit tests on Pillow-made images, no services."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from workflows.repair import photos

PAYLOAD = b"<?php system($_GET[1]); ?>"


def _png(size: tuple[int, int], colour: str = "white", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG", optimize=True)
    return out.getvalue()


def _jpeg(size: tuple[int, int], *, orientation: int | None = None, comment: bytes | None = None,
          make: str | None = None) -> bytes:
    """A JPEG whose left half is red and right half blue, with the EXIF tags and comment asked for."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if make is not None:
        exif[0x010F] = make
    options: dict[str, object] = {"quality": 95}
    if len(exif):
        options["exif"] = exif.tobytes()
    if comment is not None:
        options["comment"] = comment
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _store(data: bytes, directory: Path) -> tuple[bytes, bytes]:
    with Session() as session:
        name = photos.store(session, data, directory)
        session.info.clear()  # no transaction to commit; keep the files for the assertions
    return (photos.path_of(directory, name).read_bytes(), photos.path_of(directory, name, thumbnail=True).read_bytes())


def _assert_clean(stored: bytes) -> None:
    assert b"<?php" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not {"comment", "exif", "icc_profile", "xmp"} & set(image.info)
        assert not image.getexif()


def test_a_forty_megapixel_png_of_a_few_kilobytes_is_refused_quickly_from_its_header(tmp_path):
    bomb = _png((8000, 5000), mode="1")
    assert len(bomb) < 20_000
    started = time.perf_counter()
    for _ in range(6):  # a whole request's worth
        with pytest.raises(photos.PhotoRejected) as refused:
            photos.inspect(bomb)
    with pytest.raises(photos.PhotoRejected):
        photos.store(Session(), bomb, tmp_path)
    assert time.perf_counter() - started < 1
    assert str(refused.value) == "is too large an image (40.0 megapixels); at most 24 megapixels are accepted"
    assert not list(tmp_path.iterdir())


def test_pillows_own_bomb_guard_is_refused_the_same_way_and_not_a_server_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)  # Pillow now raises DecompressionBombError on open
    with pytest.raises(photos.PhotoRejected, match="at most 24 megapixels are accepted"):
        photos.inspect(_png((100, 100)))


def test_an_image_just_under_the_cap_is_accepted():
    photos.inspect(_png((6000, 4000), mode="1"))  # exactly 24 megapixels


def test_a_php_comment_and_exif_do_not_survive_re_encoding(tmp_path):
    upload = _jpeg((64, 48), comment=PAYLOAD, make="SpyCam")
    with Image.open(io.BytesIO(upload)) as sent:  # the upload really carries both
        assert sent.info["comment"] == PAYLOAD and sent.getexif()[0x010F] == "SpyCam"
    stored, thumb = _store(upload, tmp_path)
    _assert_clean(stored)
    _assert_clean(thumb)


def test_exif_orientation_is_applied_before_storing_and_thumbnailing(tmp_path):
    sideways = _jpeg((400, 200), orientation=6)  # the camera held in portrait: view it turned 90° clockwise
    stored, thumb = _store(sideways, tmp_path)
    for data, size in ((stored, (200, 400)), (thumb, (160, 320))):
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == size
            rgb = image.convert("RGB")
            top, bottom = rgb.getpixel((size[0] // 2, 5)), rgb.getpixel((size[0] // 2, size[1] - 5))
            assert isinstance(top, tuple) and isinstance(bottom, tuple)
            assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]  # red (the left) now on top
        _assert_clean(data)


def test_a_small_sideways_photo_is_stored_upright(tmp_path):
    stored, thumb = _store(_jpeg((40, 20), orientation=6), tmp_path)
    for data in (stored, thumb):
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (20, 40)


def test_an_ordinary_photo_is_still_stored_scaled_down_with_its_thumbnail(tmp_path):
    stored, thumb = _store(_jpeg((3000, 1500)), tmp_path)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (2048, 1024)
    with Image.open(io.BytesIO(thumb)) as image:
        assert image.size == (320, 160)
    small, _ = _store(_png((50, 30), "green"), tmp_path)
    with Image.open(io.BytesIO(small)) as image:
        assert image.size == (50, 30)


def test_a_file_that_is_not_an_image_is_still_refused():
    with pytest.raises(photos.PhotoRejected, match="is not a readable image"):
        photos.inspect(b"<svg onload=alert(1)>")
    with pytest.raises(photos.PhotoRejected, match="is not a readable image"):
        photos.inspect(_png((10, 10))[:40])  # a truncated PNG
