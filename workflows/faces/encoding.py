"""One face per photo, found with dlib's HOG detector and turned into a 128-d encoding, under one lock.

dlib's detector, landmark predictor and encoder are module-level objects that are not thread-safe: two threads
using them at once crash the process or return wrong vectors, even when only the encoding is locked. So every
dlib call in the process goes through :data:`DLIB_LOCK`; a gunicorn worker with threads checks in one face at a
time, which is about 5 a second per process.

The detector's score decides what counts as a face: weak detections (a mission patch, a poster in the
background) are ignored, and two real faces are refused rather than guessing which one is checking in. A face
must be :data:`MIN_FACE_PX` wide, and sharp enough by the variance of the Laplacian of its crop, scaled to a
fixed size so big and small faces compare."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import numpy as np
from PIL import Image

from workflows.faces.refusals import FaceProblem, FaceRefused

DLIB_LOCK = threading.Lock()
UPSAMPLE = 1  # finds faces down to about 40 px; each more step costs about 4×
MIN_SCORE = 0.3  # detections below this are not faces (a real face in a usable photo scores 0.8 and more)
MIN_FACE_PX = 60
MIN_SHARPNESS = 15.0  # a sharp face scores 50–300; blurred by 2 px it scores under 8
_CROP = 128


@dataclass(frozen=True)
class Face:
    """Where the one face is (top, right, bottom, left in pixels), how sure the detector is, how sharp it is."""

    box: tuple[int, int, int, int]
    score: float
    sharpness: float

    @property
    def width(self) -> int:
        return self.box[1] - self.box[3]


@cache
def _library() -> ModuleType:
    """face_recognition, imported on first use: importing it loads 130 MB of models (1.4 s)."""
    import face_recognition

    return face_recognition


def find_face(image: np.ndarray) -> Face:
    """The single usable face in ``image``; :class:`FaceRefused` for none, several, a tiny or a blurred one."""
    library = _library()
    with DLIB_LOCK:
        rects, scores, _ = library.api.face_detector.run(image, UPSAMPLE, 0)
    faces = [(rect, score) for rect, score in zip(rects, scores, strict=True) if score >= MIN_SCORE]
    if not faces:
        raise FaceRefused(FaceProblem.no_face)
    if len(faces) > 1:
        raise FaceRefused(FaceProblem.several_faces)
    rect, score = faces[0]
    height, width = image.shape[:2]
    box = (max(rect.top(), 0), min(rect.right(), width), min(rect.bottom(), height), max(rect.left(), 0))
    if min(box[1] - box[3], box[2] - box[0]) < MIN_FACE_PX:
        raise FaceRefused(FaceProblem.too_small)
    face = Face(box=box, score=float(score), sharpness=sharpness(image, box))
    if face.sharpness < MIN_SHARPNESS:
        raise FaceRefused(FaceProblem.blurred)
    return face


def sharpness(image: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Variance of the 4-neighbour Laplacian of the face's grey crop at 128×128: low when the face is blurred."""
    top, right, bottom, left = box
    crop = Image.fromarray(image[top:bottom, left:right]).convert("L").resize((_CROP, _CROP))
    grey = np.asarray(crop, dtype=np.float64)
    laplacian = grey[1:-1, :-2] + grey[1:-1, 2:] + grey[:-2, 1:-1] + grey[2:, 1:-1] - 4 * grey[1:-1, 1:-1]
    return float(laplacian.var())


def encode(image: np.ndarray, face: Face) -> np.ndarray:
    """The 128-d encoding (float64) of ``face`` in ``image``."""
    library = _library()
    with DLIB_LOCK:
        encodings = library.face_encodings(image, known_face_locations=[face.box])
    return np.asarray(encodings[0], dtype=np.float64)


def encode_photo(image: np.ndarray) -> tuple[Face, np.ndarray]:
    """The one face of ``image`` and its encoding (refusals as in :func:`find_face`)."""
    face = find_face(image)
    return face, encode(image, face)
