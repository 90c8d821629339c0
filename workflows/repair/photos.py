"""Photos attached to orders: checked, re-encoded and stored outside the web root.

Whatever a phone uploads is decoded with Pillow (so a file that only claims to be an image is
refused), stripped of metadata by re-encoding to JPEG, scaled down, and given a random name.
Files are served only through a view that checks the viewer may see the order.
"""
from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from engine import aftercommit

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_EDGE = 2048
THUMB_EDGE = 320


class PhotoRejected(ValueError):
    """Why an upload is refused, worded to follow "photo 2 …" (e.g. "is not a readable image")."""


def inspect(data: bytes) -> None:
    """Refuse anything that is too large, not an accepted image type, or not decodable."""
    if len(data) > MAX_BYTES:
        raise PhotoRejected(f"is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise PhotoRejected(f"is {probe.format or 'a file'} and not an accepted image type")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoRejected("has too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise PhotoRejected("is not a readable image") from err


def store(session: Session, data: bytes, directory: Path) -> str:
    """Validate and re-encode one image; return its stored name (a thumbnail is stored beside it).

    Both files are removed again if ``session``'s transaction does not commit, so a refused or failed
    step leaves no photo that no row refers to.
    """
    inspect(data)
    image: Image.Image
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        image.thumbnail((MAX_EDGE, MAX_EDGE))
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
