"""Face enrolment: consent recorded, 1–5 photos queued, encodings computed by a background job, and everything
deleted when the person leaves or asks.

The page checks each photo is a picture we read (so a wrong file is refused at once and nothing is stored);
finding the one face and encoding it takes 0.2–1 s a photo, so the job does it (:func:`encode_waiting`), one
enrolment per transaction, and a bulk enrolment of a thousand people shows its progress from the rows' counters.
A photo without a usable face is listed on the person's page with its reason. A re-enrolment replaces the old
encodings only once a new photo gave one, so the person can check in meanwhile."""
from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from engine.clock import now
from engine.db import locking, unit_of_work
from rules.store import RuleStore
from workflows.adminlog import record_change
from workflows.attendance.enums import AttendanceAction, EnrolmentStatus
from workflows.attendance.gallery import bump
from workflows.attendance.models import Enrolment, FaceEncoding, PendingPhoto
from workflows.errors import FieldError
from workflows.faces.encoding import encode_photo
from workflows.faces.images import load_photo
from workflows.faces.matcher import to_bytes
from workflows.faces.refusals import FaceRefused
from workflows.i18n import N_
from workflows.people.timezone import local_today
from workflows.staff.models import StaffMember

MAX_PHOTOS = 5
JOB_NAME = "attendance_enrolment"
PASS_SECONDS = 20.0
KEPT_SIDE = 480  # a kept enrolment photo is re-encoded at most this size

log = logging.getLogger(__name__)


def enrol(session: Session, *, staff: StaffMember, photos: Sequence[bytes], consent: bool, note: str, actor: str,
          user_id: int | None, batch: str = "") -> Enrolment:
    """Record consent and queue ``photos`` (1–5) for encoding; FieldError, and nothing stored, when refused."""
    if not consent:
        raise FieldError("consent", N_("Record the person's consent before enrolling their face."))
    if not staff.is_active(local_today(session, staff.school_id)):
        raise FieldError("photos", N_("This person has left; their face is not enrolled."))
    if not 1 <= len(photos) <= MAX_PHOTOS:
        raise FieldError("photos", N_("Choose one to five photos of the person's face."))
    for data in photos:
        try:
            load_photo(data)
        except FaceRefused as refused:
            raise FieldError("photos", refused.words) from None
    enrolment = session.scalar(locking(session, select(Enrolment).where(Enrolment.staff_id == staff.id)))
    if enrolment is None:
        enrolment = Enrolment(school_id=staff.school_id, staff_id=staff.id, consent_at=now())
        session.add(enrolment)
    else:  # photos still waiting from an earlier enrolment give way to these
        session.execute(delete(PendingPhoto).where(PendingPhoto.enrolment_id == enrolment.id))
    enrolment.status, enrolment.consent_at, enrolment.consent_note = EnrolmentStatus.waiting, now(), note.strip()
    enrolment.consent_recorded_by_id, enrolment.batch = user_id, batch
    enrolment.photos_total, enrolment.photos_done, enrolment.problems = len(photos), 0, []
    enrolment.withdrawn_at, enrolment.withdrawn_reason = None, ""
    session.flush()
    session.add_all(PendingPhoto(enrolment_id=enrolment.id, data=data) for data in photos)
    record_change(session, actor=actor, action=AttendanceAction.consented, school_id=staff.school_id,
                  target=f"staff:{staff.id}", after={"photos": len(photos), "note": enrolment.consent_note, "batch": batch})
    return enrolment


def withdraw(session: Session, *, staff: StaffMember, reason: str, actor: str) -> bool:
    """Delete the person's encodings, kept and waiting photos (they left, or asked); False when none were held."""
    enrolment = session.scalar(locking(session, select(Enrolment).where(Enrolment.staff_id == staff.id)))
    if enrolment is None or enrolment.status == EnrolmentStatus.withdrawn:
        return False
    removed = session.execute(delete(FaceEncoding).where(FaceEncoding.staff_id == staff.id)).rowcount  # type: ignore[attr-defined]
    session.execute(delete(PendingPhoto).where(PendingPhoto.enrolment_id == enrolment.id))
    enrolment.status, enrolment.withdrawn_at, enrolment.withdrawn_reason = EnrolmentStatus.withdrawn, now(), reason.strip()
    bump(session, staff.school_id)
    record_change(session, actor=actor, action=AttendanceAction.enrolment_withdrawn, school_id=staff.school_id,
                  target=f"staff:{staff.id}", after={"encodings_deleted": removed, "reason": enrolment.withdrawn_reason})
    return True


def encode_one(session: Session, enrolment: Enrolment, *, keep_photos: bool) -> None:
    """Compute the waiting photos' encodings of one (locked) enrolment and put them in the gallery."""
    pending = list(session.scalars(select(PendingPhoto).where(PendingPhoto.enrolment_id == enrolment.id)
                                   .order_by(PendingPhoto.id)))
    encoded: list[FaceEncoding] = []
    problems: list[dict[str, object]] = []
    for number, photo in enumerate(pending, start=1):
        try:
            image = load_photo(photo.data)
            _face, vector = encode_photo(image)
        except FaceRefused as refused:
            problems.append({"photo": number, "problem": refused.problem.value})
        else:
            encoded.append(FaceEncoding(school_id=enrolment.school_id, staff_id=enrolment.staff_id,
                                        encoding=to_bytes(vector), photo=_kept(image) if keep_photos else None))
        enrolment.photos_done = number
    session.execute(delete(PendingPhoto).where(PendingPhoto.enrolment_id == enrolment.id))
    enrolment.problems = problems
    if encoded:
        session.execute(delete(FaceEncoding).where(FaceEncoding.staff_id == enrolment.staff_id))
        session.add_all(encoded)
        bump(session, enrolment.school_id)
    enrolment.status = EnrolmentStatus.ready if encoded else EnrolmentStatus.failed
    record_change(session, actor="system", action=AttendanceAction.enrolled, school_id=enrolment.school_id,
                  target=f"staff:{enrolment.staff_id}", after={"encodings": len(encoded), "refused": len(problems)})


def _kept(image: np.ndarray) -> bytes:
    picture = Image.fromarray(image)
    picture.thumbnail((KEPT_SIDE, KEPT_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def encode_waiting(session_factory: sessionmaker[Session], store: RuleStore, *,
                   budget: float = PASS_SECONDS) -> tuple[int, bool]:
    """Encode waiting enrolments, one per transaction, for at most ``budget`` seconds; (how many, work left)."""
    started, done = time.monotonic(), 0
    while time.monotonic() - started < budget:
        with unit_of_work(session_factory) as session:
            stmt = select(Enrolment).where(Enrolment.status == EnrolmentStatus.waiting).order_by(Enrolment.id).limit(1)
            enrolment = session.scalar(locking(session, stmt, skip_locked=True))
            if enrolment is None:
                return done, False
            keep = bool(store.book(session, enrolment.school_id).value("attendance.enrolment.keep_photos"))
            encode_one(session, enrolment, keep_photos=keep)
            done += 1
    return done, True


@dataclass(frozen=True)
class Progress:
    total: int
    done: int  # enrolments encoded (ready or failed)
    ready: int
    failed: int

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def batch_progress(session: Session, *, school_id: int, batch: str) -> Progress:
    """How far a bulk enrolment has come."""
    counts = dict(session.execute(select(Enrolment.status, func.count()).where(
        Enrolment.school_id == school_id, Enrolment.batch == batch).group_by(Enrolment.status)).all())
    ready, failed = counts.get(EnrolmentStatus.ready, 0), counts.get(EnrolmentStatus.failed, 0)
    total = sum(counts.values())
    return Progress(total=total, done=total - counts.get(EnrolmentStatus.waiting, 0), ready=ready, failed=failed)


def enrolment_of(session: Session, staff_id: int) -> Enrolment | None:
    return session.scalar(select(Enrolment).where(Enrolment.staff_id == staff_id))


def encodings_held(session: Session, staff_id: int) -> int:
    return session.scalar(select(func.count(FaceEncoding.id)).where(FaceEncoding.staff_id == staff_id)) or 0
