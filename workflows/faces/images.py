"""An uploaded photo as the array dlib wants: RGB, 8-bit, C-contiguous, upright, at most 1280 px on a side.

What could go wrong is refused before any pixel work: too many bytes, no picture, too many pixels. A JPEG is
decoded at a reduced scale (``draft``) when it is much larger than needed, so a 27-megapixel phone photo costs
what a 2-megapixel one does. The EXIF orientation is applied (a phone portrait is stored on its side, where no
face is found), and 16-bit or palette images are brought to 8-bit RGB. A JPEG cut short is refused: importing
face_recognition makes Pillow load truncated images (with a grey bottom) for the whole process."""
from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from workflows.faces.refusals import FaceProblem, FaceRefused

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1280
_FORMATS = ("JPEG", "PNG", "WEBP")


def load_photo(data: bytes) -> np.ndarray:
    """The photo in ``data`` as an upright H×W×3 uint8 array; :class:`FaceRefused` when it is none we accept."""
    if not data:
        raise FaceRefused(FaceProblem.empty)
    if len(data) > MAX_BYTES:
        raise FaceRefused(FaceProblem.too_large)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise FaceRefused(FaceProblem.too_large)
            if image.format == "JPEG":
                if not data.rstrip(b"\0").endswith(b"\xff\xd9"):
                    raise FaceRefused(FaceProblem.not_image)  # cut short: it would load with a grey bottom
                image.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            rgb = _rgb(image)
    except FaceRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FaceRefused(FaceProblem.too_large) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise FaceRefused(FaceProblem.not_image) from None
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))


def _rgb(image: Image.Image) -> Image.Image:
    """8-bit RGB: 16-bit greys are scaled down first (a plain convert would clip them to almost white)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        wide = np.asarray(image, dtype=np.uint32)
        image = Image.fromarray((wide >> 8).astype(np.uint8) if wide.max() > 255 else wide.astype(np.uint8))
    return image.convert("RGB")
