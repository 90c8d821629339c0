"""Duty management's tables, each with ``school_id``: equipment and its readings, posts with their patrol routes
and points, shift templates and the roster they make, roster changes, presence (check-ins, patrol scans, night
presence checks), handovers, and the anomalies each of which runs one PDCA process."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour


class Equipment(Base):
    """A device whose operating data is watched (a boiler, a water tank …); ``code`` is how devices name it.
    ``limits`` holds this one device's own thresholds ({metric: {"min": …, "max": …}}) over the rules'."""

    __tablename__ = "duty_equipment"
    __table_args__ = (UniqueConstraint("school_id", "code", name="uq_duty_equipment_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    place: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("duty_post.id"))
    maintenance_due: Mapped[date | None] = mapped_column(Date)
    limits: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Reading(Base):
    """One value a device reported (or someone entered at a patrol point); one per device, metric and time."""

    __tablename__ = "duty_reading"
    __table_args__ = (UniqueConstraint("equipment_id", "metric", "taken_at", name="uq_duty_reading"),
                      Index("ix_duty_reading_school_taken", "school_id", "taken_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    equipment_id: Mapped[int] = mapped_column(ForeignKey("duty_equipment.id"))
    metric: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    source: Mapped[str] = mapped_column(String(20))
    out_of_range: Mapped[bool] = mapped_column(Boolean, default=False)


class Post(Base):
    """A duty post at a place (a dormitory's night desk, the boiler room); ``instructions`` are its duty
    instructions, which a closed PDCA's Act step updates."""

    __tablename__ = "duty_post"
    __table_args__ = (UniqueConstraint("school_id", "code", name="uq_duty_post_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    place: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    night: Mapped[bool] = mapped_column(Boolean, default=True)  # random presence checks at night
    instructions: Mapped[str] = mapped_column(Text, default="")
    token: Mapped[str] = mapped_column(String(40), unique=True)  # the post's own QR code (check-in, presence)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Route(Base):
    __tablename__ = "duty_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("duty_post.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    points: Mapped[list[Point]] = relationship(order_by="Point.position", back_populates="route")


class Point(Base):
    """A patrol point: a QR code posted at a place (``token`` is what the code carries); the person on duty
    scans it at least every ``duty.patrol.every``."""

    __tablename__ = "duty_point"
    __table_args__ = (UniqueConstraint("school_id", "code", name="uq_duty_point_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("duty_route.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    route: Mapped[Route] = relationship(back_populates="points")


class ShiftTemplate(Base):
    """A post's recurring shift: on ``weekdays`` (0 = Monday) from ``starts`` to ``ends`` (past midnight when
    ``ends`` ≤ ``starts``), school time; the week's person is ``rotation[weeks since valid_from % len]``."""

    __tablename__ = "duty_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("duty_post.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    weekdays: Mapped[list] = mapped_column(JSON, default=list)
    rotation: Mapped[list] = mapped_column(JSON, default=list)  # user ids, one per week in turn
    valid_from: Mapped[date] = mapped_column(Date)


class Shift(Base):
    """One shift of the roster: who is on duty at a post, from when to when (UTC), and their check-in."""

    __tablename__ = "duty_shift"
    __table_args__ = (UniqueConstraint("post_id", "starts_at", name="uq_duty_shift_start"),
                      Index("ix_duty_shift_school_time", "school_id", "starts_at", "ends_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("duty_post.id"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("duty_template.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    rostered_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # who the template named
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the latest proof of presence
    presence_plan: Mapped[list] = mapped_column(JSON, default=list)  # ISO times of the night's presence checks


class RosterChange(Base):
    """A swap, substitute or leave someone asked for; the roster changes only when it is approved."""

    __tablename__ = "duty_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"))
    other_shift_id: Mapped[int | None] = mapped_column(ForeignKey("duty_shift.id"))  # a swap's other shift
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class Scan(Base):
    """A proof of presence: a check-in at the post or a patrol point scanned, from the phone or a device's
    export (one per point, person and minute: an import read twice stores nothing twice)."""

    __tablename__ = "duty_scan"
    __table_args__ = (UniqueConstraint("shift_id", "kind", "point_id", "at", name="uq_duty_scan"),
                      Index("ix_duty_scan_point_at", "point_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    point_id: Mapped[int | None] = mapped_column(ForeignKey("duty_point.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(20))


class PresenceCheck(Base):
    """A random night presence check: the person on duty answers from the post (its code) before ``due_at``."""

    __tablename__ = "duty_presence_check"
    __table_args__ = (UniqueConstraint("shift_id", "asked_at", name="uq_duty_presence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Handover(Base):
    """交接班: what the outgoing person hands to the incoming one; done when both confirmed."""

    __tablename__ = "duty_handover"
    __table_args__ = (UniqueConstraint("to_shift_id", name="uq_duty_handover_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("duty_post.id"))
    from_shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"))
    to_shift_id: Mapped[int] = mapped_column(ForeignKey("duty_shift.id"))
    items: Mapped[str] = mapped_column(Text, default="")
    open_issues: Mapped[str] = mapped_column(Text, default="")
    handed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Anomaly(Base):
    """One anomaly, recorded once (``subject`` says what it is about: a shift's missed patrol at a due time, a
    device's metric …) with its evidence, and the PDCA that follows it (its number is the business key)."""

    __tablename__ = "duty_anomaly"
    __table_args__ = (UniqueConstraint("school_id", "subject", name="uq_duty_anomaly_subject"),
                      Index("ix_duty_anomaly_school_detected", "school_id", "detected_at"),
                      Index("ix_duty_anomaly_open_episode", "equipment_id", "metric", postgresql_where=text("episode_open")))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("duty_post.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("duty_shift.id"))
    equipment_id: Mapped[int | None] = mapped_column(ForeignKey("duty_equipment.id"))
    metric: Mapped[str | None] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when it happened (a patrol's due + grace)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    episode_open: Mapped[bool] = mapped_column(Boolean, default=False)  # readings: still out of range
    repeats: Mapped[int] = mapped_column(Integer, default=0)  # earlier anomalies of its kind at its post or person
    stage: Mapped[str] = mapped_column(String(20), default="plan")
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    rounds: Mapped[int] = mapped_column(Integer, default=0)  # failed checks
    cause: Mapped[str | None] = mapped_column(Text)
    corrective: Mapped[str | None] = mapped_column(Text)
    preventive: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str | None] = mapped_column(Text)
    check_note: Mapped[str | None] = mapped_column(Text)
    close_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
