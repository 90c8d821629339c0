"""Real face photos for the attendance tests, and the transforms that make bad ones (blurred, tiny, rotated …)."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image, ImageFilter

PHOTOS = Path(__file__).with_name("photos")


def photo_bytes(name: str) -> bytes:
    """``obama``, ``obama2``, ``obama3`` (one person) or ``biden`` (another), as JPEG bytes."""
    return (PHOTOS / f"{name}.jpg").read_bytes()


def photo(name: str) -> Image.Image:
    return Image.open(PHOTOS / f"{name}.jpg").convert("RGB")


def jpeg(image: Image.Image, quality: int = 90, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, **params)
    return buffer.getvalue()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def no_face() -> bytes:
    """scikit-image's cameraman: a man with a camera, no face the detector finds."""
    return png(Image.fromarray(skimage.data.camera()).convert("RGB"))


def two_faces() -> bytes:
    """Two people side by side."""
    left, right = photo("obama"), photo("biden")
    canvas = Image.new("RGB", (left.width + right.width, 480), "white")
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width, 0))
    return jpeg(canvas)


def blurred(name: str = "obama") -> bytes:
    return jpeg(photo(name).filter(ImageFilter.GaussianBlur(3)))


def tiny(name: str = "obama") -> bytes:
    """The photo at 40 %: the face is about 45 px across, found but too small to tell people apart well."""
    image = photo(name)
    return jpeg(image.resize((image.width * 2 // 5, image.height * 2 // 5)))


def kiosk_frame(name: str = "obama2") -> bytes:
    """The photo centred in a 640×480 frame, as a kiosk's camera sends it."""
    image = photo(name)
    frame = Image.new("RGB", (640, 480), (90, 90, 90))
    frame.paste(image, ((640 - image.width) // 2, 0))
    return jpeg(frame, quality=85)


def as_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
