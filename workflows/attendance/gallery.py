"""A school's enrolled encodings as the matcher's gallery: versioned in the database, cached in the process."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.attendance.models import FaceEncoding, Gallery
from workflows.faces.matcher import GALLERIES
from workflows.faces.matcher import Gallery as Matrix


def bump(session: Session, school_id: int) -> None:
    """Mark the school's gallery changed (same transaction as the change), so every process rebuilds its copy."""
    if session.execute(update(Gallery).where(Gallery.school_id == school_id)
                       .values(version=Gallery.version + 1)).rowcount == 0:  # type: ignore[attr-defined]
        session.add(Gallery(school_id=school_id, version=1))
        session.flush()


def version_of(session: Session, school_id: int) -> int:
    return session.scalar(select(Gallery.version).where(Gallery.school_id == school_id)) or 0


def gallery_of(session: Session, school_id: int) -> Matrix:
    """The school's gallery at its current version: rebuilt from the table only when enrolments changed."""

    def build() -> Matrix:
        rows = session.execute(select(FaceEncoding.staff_id, FaceEncoding.encoding)
                               .where(FaceEncoding.school_id == school_id).order_by(FaceEncoding.id))
        return Matrix.of((staff_id, encoding) for staff_id, encoding in rows)

    return GALLERIES.get(school_id, version_of(session, school_id), build)
