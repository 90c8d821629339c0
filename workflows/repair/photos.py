"""Photos attached to orders: checked, re-encoded and stored outside the web root.

Whatever a phone uploads is decoded with Pillow (so a file that only claims to be an image is
refused), turned upright by its EXIF orientation, scaled down, and re-encoded to JPEG from its
pixels alone (so no EXIF, ICC profile, XMP or comment of the upload survives), and given a random
name. An image with more pixels than :data:`MAX_PIXELS` is refused from its header, before any
pixel data is decoded. Files are served only through a view that checks the viewer may see the order.
"""
from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from engine import aftercommit
from forms.uploads import Upload, UploadRejected
from workflows.errors import Refusal
from workflows.i18n import N_

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 24_000_000
"""The most pixels an accepted image may have (24 megapixels: more than any phone camera's ordinary photo).

A compressed file can be tiny and still declare a huge canvas (a 12 KB PNG of 40 megapixels takes
about 120 MB and most of a second of CPU to decode, and a request carries several), so the size in
the header is checked against this before anything is decoded. Pillow's own guard
(``Image.MAX_IMAGE_PIXELS``, which raises ``DecompressionBombError`` while opening at twice its
value) is left at its process-wide default and only backs this up: its error is refused the same way."""
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_EDGE = 2048
THUMB_EDGE = 320


class PhotoRejected(Refusal):
    """Why an upload is refused, worded to follow "photo 2 …" (e.g. "is not a readable image")."""


def _too_many_pixels(pixels: int | None = None) -> PhotoRejected:
    most = MAX_PIXELS // 1_000_000
    if pixels is None:
        return PhotoRejected(N_("is too large an image; at most %(most)d megapixels are accepted"), most=most)
    return PhotoRejected(N_("is too large an image (%(megapixels).1f megapixels); at most %(most)d megapixels are "
                            "accepted"), megapixels=pixels / 1_000_000, most=most)


@contextmanager
def _refusing_unreadable() -> Iterator[None]:
    """Turn whatever Pillow raises for a broken or oversized file into a :class:`PhotoRejected`."""
    try:
        yield
    except PhotoRejected:
        raise
    except Image.DecompressionBombError as err:  # Pillow's own guard, should a header get past ours
        raise _too_many_pixels() from err
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as err:
        raise PhotoRejected(N_("is not a readable image")) from err


def _open(data: bytes) -> Image.Image:
    """Open ``data`` lazily (only the header is read) and refuse it unless it is an accepted type of a
    permitted size; the caller decodes the pixels afterwards."""
    with _refusing_unreadable():
        image = Image.open(io.BytesIO(data))
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise PhotoRejected(N_("is %(format)s and not an accepted image type"), format=image.format)
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels(image.width * image.height)
    return image


def inspect(data: bytes) -> None:
    """Refuse anything that is too large (in bytes or pixels), not an accepted image type, or not decodable."""
    if len(data) > MAX_BYTES:
        raise PhotoRejected(N_("is larger than %(mb)d MB"), mb=MAX_BYTES // (1024 * 1024))
    with _refusing_unreadable():
        with _open(data) as probe:
            probe.verify()
        with _open(data) as image:
            image.load()


def _clean(image: Image.Image, edge: int) -> Image.Image:
    """A new RGB image of ``image``'s pixels, upright and at most ``edge`` wide and high, carrying nothing else:
    no EXIF, ICC profile, XMP or comment (Pillow would otherwise write a JPEG comment it read back out)."""
    image.draft("RGB", (edge, edge))  # JPEG: decode at a reduced scale when that is still large enough
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((edge, edge))
    return Image.frombytes("RGB", upright.size, upright.tobytes())


class UploadedPhotoRejected(UploadRejected, Refusal):
    """A photo uploaded on a form is refused: its file name and why (a :class:`PhotoRejected`), which the form's
    page says in its reader's language."""

    def __init__(self, filename: str, why: PhotoRejected):
        super().__init__(N_("“%(name)s” %(why)s"), name=filename, why=why)


def store_upload(session: Session, upload: Upload, directory: Path) -> str:
    """:func:`store` for a file uploaded on a form; :class:`UploadedPhotoRejected` names the file refused."""
    try:
        return store(session, upload.data, directory)
    except PhotoRejected as err:
        raise UploadedPhotoRejected(upload.filename, err) from err


def store(session: Session, data: bytes, directory: Path) -> str:
    """Validate and re-encode one image; return its stored name (a thumbnail is stored beside it).

    Both files are removed again if ``session``'s transaction does not commit, so a refused or failed
    step leaves no photo that no row refers to.
    """
    inspect(data)
    with _refusing_unreadable(), _open(data) as original:
        image = _clean(original, MAX_EDGE)
    name = f"{uuid.uuid4().hex}.jpg"
    directory.mkdir(parents=True, exist_ok=True)
    image.save(directory / name, "JPEG", quality=85)
    aftercommit.undo_unless_committed(session, lambda: remove(directory, name))
    image.thumbnail((THUMB_EDGE, THUMB_EDGE))
    image.save(directory / f"thumb_{name}", "JPEG", quality=80)
    return name


def remove(directory: Path, stored_name: str) -> None:
    """Delete a stored photo and its thumbnail (either may be missing)."""
    for thumbnail in (False, True):
        path_of(directory, stored_name, thumbnail=thumbnail).unlink(missing_ok=True)


def path_of(directory: Path, stored_name: str, *, thumbnail: bool = False) -> Path:
    if "/" in stored_name or ".." in stored_name:
        raise PhotoRejected("bad photo name")
    return directory / (f"thumb_{stored_name}" if thumbnail else stored_name)
