"""Attendance tables: a person's face enrolment and encodings, check-in points, check-ins, refused unknown faces,
frames seen (against replays), shift templates, rosters and supervisors' corrections. Every row has ``school_id``.

Encodings are 128 float64 numbers (1 KB) per enrolled photo. A photo is kept only when the school's rule says
so; the photos waiting for the background job sit in :class:`PendingPhoto` and are deleted as they are encoded.
:class:`Gallery` holds one counter per school, bumped with every enrolment change, which is how every process
knows its cached matrix of encodings is stale."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.attendance.enums import EnrolmentStatus


class Enrolment(Base):
    """A person's consent and enrolment. One per person; withdrawing deletes the encodings and keeps this row
    (with when and why) as the record that the face data is gone."""

    __tablename__ = "face_enrolment"
    __table_args__ = (UniqueConstraint("staff_id"), Index("ix_face_enrolment_school_status", "school_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    status: Mapped[str] = mapped_column(String(20), default=EnrolmentStatus.waiting)
    consent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    consent_note: Mapped[str] = mapped_column(Text, default="")  # how consent was given (signed form, on the phone …)
    photos_total: Mapped[int] = mapped_column(Integer, default=0)
    photos_done: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list] = mapped_column(JSON, default=list)  # refusal words of photos that gave no face
    batch: Mapped[str] = mapped_column(String(40), default="")  # a bulk enrolment's id, for its progress
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, onupdate=now)


class PendingPhoto(Base):
    """An enrolment photo waiting for the background job, deleted once encoded (or refused)."""

    __tablename__ = "face_pending_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("face_enrolment.id", ondelete="CASCADE"), index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class FaceEncoding(Base):
    """One enrolled photo's encoding; ``photo`` is the kept file when the school keeps photos, else None."""

    __tablename__ = "face_encoding"
    __table_args__ = (Index("ix_face_encoding_school", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    encoding: Mapped[bytes] = mapped_column(LargeBinary)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class Gallery(Base):
    """The version of a school's enrolled encodings: bumped with every change, read by every check-in."""

    __tablename__ = "face_gallery"

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class CheckinPoint(Base):
    """A kiosk tablet, a vendor's terminal or a post's QR code, bound to a post and a building. Kiosks and terminals
    authenticate with a token shown once and kept as its SHA-256; a QR point is found by its public ``code``."""

    __tablename__ = "checkin_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    post_id: Mapped[int] = mapped_column(ForeignKey("staff_post.id"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Checkin(Base):
    """One check-in: who, when, at which post and point, by which channel, and how close the face was (None for a
    terminal's own match or a correction). A correction names who made it and why."""

    __tablename__ = "checkin"
    __table_args__ = (Index("ix_checkin_school_at", "school_id", "at"), Index("ix_checkin_staff_at", "staff_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("staff_post.id"))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_point.id"))
    channel: Mapped[str] = mapped_column(String(20))
    distance: Mapped[float | None] = mapped_column(Float)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # the phone's account, the correcting supervisor
    reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a supervisor struck it out (with a reason)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class UnknownAttempt(Base):
    """A face nobody enrolled matched, kept for review for the rule's number of days with the frame it came in."""

    __tablename__ = "face_unknown_attempt"
    __table_args__ = (Index("ix_face_unknown_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    point_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_point.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    distance: Mapped[float | None] = mapped_column(Float)  # to the nearest enrolled face (None: nobody enrolled)
    frame: Mapped[bytes] = mapped_column(LargeBinary)


class FrameSeen(Base):
    """The SHA-256 of a frame that reached matching, so the same bytes sent again are refused for a while."""

    __tablename__ = "face_frame_seen"
    __table_args__ = (UniqueConstraint("school_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    digest: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, index=True)


class Shift(Base):
    """A shift template of a post: 08:00–16:00, or a night shift 22:00–06:00 that ends on the next day (an end at or
    before the start means the next day)."""

    __tablename__ = "shift_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("staff_post.id"))
    name: Mapped[str] = mapped_column(String(60))
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def overnight(self) -> bool:
        return self.ends <= self.starts


class RosterEntry(Base):
    """A person is on a shift on a day (the day the shift starts)."""

    __tablename__ = "roster_entry"
    __table_args__ = (UniqueConstraint("staff_id", "day", "shift_id"), Index("ix_roster_school_day", "school_id", "day"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift_template.id"))
    day: Mapped[date] = mapped_column(Date)
