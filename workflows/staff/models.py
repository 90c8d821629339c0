"""The staff register: people who serve (with or without a login), the posts a school defines, certificate types
and the certificates people hold, staffing plans (编制) and the shortfall episodes the staffing check found.

Every row carries ``school_id``. People and posts are never deleted: a person who leaves gets ``left_on`` and
stays in the register (their history and certificates keep their names); a post is deactivated."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ColumnElement, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.bilingual import SchoolVocabulary
from workflows.staff.enums import CertificateStatus, EmploymentKind, StaffStatus


class Post(SchoolVocabulary, Base):
    """A post (岗位) a school defines: 宿舍管理员, 保洁员, 电工, 电梯维保 … The certificate types it requires are
    in :class:`PostCertificateType`."""

    __tablename__ = "staff_post"
    __table_args__ = (UniqueConstraint("school_id", "code"),)


class CertificateType(SchoolVocabulary, Base):
    """A kind of certificate (特种作业操作证-电工, 特种设备作业人员证-电梯, 健康证, 消防设施操作员 …)."""

    __tablename__ = "certificate_type"
    __table_args__ = (UniqueConstraint("school_id", "code"),)


class PostCertificateType(Base):
    """A post requires a certificate type: someone on the post without a valid one counts as uncertified."""

    __tablename__ = "post_certificate_type"

    post_id: Mapped[int] = mapped_column(ForeignKey("staff_post.id"), primary_key=True)
    certificate_type_id: Mapped[int] = mapped_column(ForeignKey("certificate_type.id"), primary_key=True)


class ItemCertificateType(Base):
    """A catalogue service item requires a certificate type: a worker without a valid one is not dispatched to it."""

    __tablename__ = "item_certificate_type"

    catalogue_item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"), primary_key=True)
    certificate_type_id: Mapped[int] = mapped_column(ForeignKey("certificate_type.id"), primary_key=True)


class StaffMember(Base):
    """A person who serves in a service unit, employed by it (自有) or sent by a contractor (外包, with the company's
    name). ``user_id`` links the login account when the person has one; ``number`` is the staff number an import
    matches on, unique in the school. Active from ``started_on`` until ``left_on`` (the first day no longer here);
    :class:`StaffStatus` names the three stretches."""

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("school_id", "number"),
                      Index("ix_staff_member_school_unit", "school_id", "unit_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=EmploymentKind.own)
    contractor: Mapped[str] = mapped_column(String(200), default="")  # the company's name when outsourced
    post_id: Mapped[int | None] = mapped_column(ForeignKey("staff_post.id"), index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    started_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    leave_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, onupdate=now)

    def is_active(self, on: date) -> bool:
        """Whether the person is in service on the day ``on``."""
        return self.status(on) == StaffStatus.active

    def status(self, on: date) -> StaffStatus:
        """Where the person stands on the day ``on``; :func:`with_status` is the same rule as a condition."""
        if self.left_on is not None and self.left_on <= on:
            return StaffStatus.left
        return StaffStatus.starting if on < self.started_on else StaffStatus.active


def with_status(status: StaffStatus, on: date) -> ColumnElement[bool]:
    """:meth:`StaffMember.status` as a condition, so the register's filter and the status each row shows agree:
    left once ``left_on`` (the first day no longer here) has come, else starting before ``started_on``."""
    not_left = StaffMember.left_on.is_(None) | (StaffMember.left_on > on)
    if status == StaffStatus.left:
        return StaffMember.left_on <= on
    if status == StaffStatus.starting:
        return not_left & (StaffMember.started_on > on)
    return not_left & (StaffMember.started_on <= on)


def in_service_on(on: date) -> ColumnElement[bool]:
    """:meth:`StaffMember.is_active` as a condition, for every query of the people in service on the day ``on``:
    started on or before it, and not left by then."""
    return with_status(StaffStatus.active, on)


class Certificate(Base):
    """One certificate a person holds (or has uploaded for review). ``scan`` is the kept file of its scan (as
    :func:`workflows.tasklist.keep_file` describes it). ``renews_id`` names the certificate a renewal replaces;
    ``instance_id`` the process that reviews it and reminds before it expires."""

    __tablename__ = "certificate"
    __table_args__ = (Index("ix_certificate_school_until", "school_id", "valid_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    # the business key of the process that reviews and reminds (ZS000123): the first certificate's, kept by renewals
    business_key: Mapped[str] = mapped_column(String(40), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    type_id: Mapped[int] = mapped_column(ForeignKey("certificate_type.id"))
    number: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)  # the last day it is valid
    scan: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=CertificateStatus.pending_review)
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, onupdate=now)


class StaffingPlan(Base):
    """编制: how many people a unit plans on a post and shift, from ``effective_from`` until ``effective_until``
    (the last day; None: open-ended). The staffing rate compares the active staff with the plans in force."""

    __tablename__ = "staffing_plan"
    __table_args__ = (Index("ix_staffing_plan_school_unit", "school_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("staff_post.id"))
    shift: Mapped[str] = mapped_column(String(60), default="")  # the shift's name (白班, 夜班 …); "" for the whole day
    headcount: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now, onupdate=now)


class StaffingShortfall(Base):
    """One episode of a unit's post staffed below the rule's threshold: opened (and the unit's leader told once)
    when the check first finds it, closed when the rate is back at or above the threshold."""

    __tablename__ = "staffing_shortfall"
    __table_args__ = (Index("ix_staffing_shortfall_open", "school_id", "unit_id", "post_id", "ended_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("staff_post.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[int] = mapped_column(Integer)  # the counts when it was found
    planned: Mapped[int] = mapped_column(Integer)
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
