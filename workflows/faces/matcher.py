"""The 1:N match: a school's enrolled encodings in one matrix, the nearest row found with one vectorised distance.

A person has one row per enrolled photo (1–5); the nearest row names the person, and the match holds when its
Euclidean distance is within the school's tolerance (the rule ``attendance.match.tolerance_percent``). The
squared distances come from one matrix-vector product, ``|e|² − 2 e·p + |p|²`` with each row's ``|e|²`` kept with
the gallery, so 10,000 rows cost about a millisecond and no N×128 temporary.

:class:`GalleryCache` keeps each school's matrix in the process, keyed by the school's gallery version (a
counter bumped in the same transaction as every enrolment change), so each check-in reads one number and
rebuilds the matrix only after enrolments changed, in whichever process they changed."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

DIMENSIONS = 128


@dataclass(frozen=True)
class Match:
    person_id: int
    distance: float
    matched: bool  # within the tolerance


@dataclass(frozen=True)
class Gallery:
    """Rows of encodings (float64, N×128) and the person each row belongs to."""

    person_ids: np.ndarray
    encodings: np.ndarray
    squared_norms: np.ndarray

    @classmethod
    def of(cls, rows: Iterable[tuple[int, bytes | np.ndarray]]) -> Gallery:
        """From (person id, encoding) pairs; an encoding as stored (float64 bytes) or as an array."""
        ids: list[int] = []
        vectors: list[np.ndarray] = []
        for person_id, encoding in rows:
            ids.append(person_id)
            vectors.append(from_bytes(encoding) if isinstance(encoding, bytes) else np.asarray(encoding, dtype=np.float64))
        matrix = np.ascontiguousarray(np.vstack(vectors) if vectors else np.empty((0, DIMENSIONS)), dtype=np.float64)
        return cls(np.asarray(ids, dtype=np.int64), matrix, np.einsum("ij,ij->i", matrix, matrix))

    def __len__(self) -> int:
        return len(self.person_ids)

    def nearest(self, probe: np.ndarray, tolerance: float) -> Match | None:
        """The nearest enrolled person to ``probe``, or None when nobody is enrolled."""
        if not len(self):
            return None
        squared = self.squared_norms - 2.0 * (self.encodings @ probe)
        best = int(np.argmin(squared))
        distance = float(np.linalg.norm(self.encodings[best] - probe))  # exact, for the one row that counts
        return Match(person_id=int(self.person_ids[best]), distance=distance, matched=distance <= tolerance)


def to_bytes(encoding: np.ndarray) -> bytes:
    return np.asarray(encoding, dtype="<f8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    vector = np.frombuffer(data, dtype="<f8")
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"a face encoding has {DIMENSIONS} numbers, not {vector.size}")
    return vector


class GalleryCache:
    """Each school's gallery at the version it was built for; thread-safe, rebuilt when the version moved on."""

    def __init__(self) -> None:
        self._galleries: dict[int, tuple[int, Gallery]] = {}
        self._lock = threading.Lock()

    def get(self, school_id: int, version: int, build: Callable[[], Gallery]) -> Gallery:
        with self._lock:
            held = self._galleries.get(school_id)
        if held is not None and held[0] == version:
            return held[1]
        gallery = build()
        with self._lock:
            self._galleries[school_id] = (version, gallery)
        return gallery

    def forget(self, school_id: int | None = None) -> None:
        with self._lock:
            if school_id is None:
                self._galleries.clear()
            else:
                self._galleries.pop(school_id, None)


GALLERIES = GalleryCache()
