"""Checklists (templates and their items), schedules, rounds with their item results, and findings."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour
from workflows.plans.models import RecurrenceColumns
from workflows.standards.links import StandardRef


class InspectionTemplate(Base):
    """A checklist for one service type; its items are what an inspector scores at a place."""

    __tablename__ = "inspection_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    service_type: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)

    items: Mapped[list[InspectionItem]] = relationship(back_populates="template", order_by="InspectionItem.position",
                                                       cascade="all, delete-orphan")


class InspectionItem(Base):
    """One line of a checklist: what is checked, the service standard it checks against (free text, and the item
    of the school's standards library it names when there is one: the document and item number, which a new version
    of the standard carries on — see :mod:`workflows.standards.links`), how it is scored and whether a failed result
    needs a photo. Items stay once results point at them: an edit that drops one deactivates it."""

    __tablename__ = "inspection_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_template.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))
    standard: Mapped[str] = mapped_column(Text, default="")
    standard_document_id: Mapped[int | None] = mapped_column(ForeignKey("standard_document.id", ondelete="SET NULL"))
    standard_number: Mapped[str | None] = mapped_column(String(20))
    scoring: Mapped[str] = mapped_column(String(20))
    points: Mapped[int] = mapped_column(Integer, default=10)
    photo_required: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    template: Mapped[InspectionTemplate] = relationship(back_populates="items")

    @property
    def standard_ref(self) -> StandardRef | None:
        if self.standard_document_id is None or not self.standard_number:
            return None
        return StandardRef(self.standard_document_id, self.standard_number)


class InspectionSchedule(RecurrenceColumns, Base):
    """Rounds of one checklist at one place on a work-plan recurrence (the fields
    :func:`workflows.plans.recurrence.dates_between` reads); each date's round is generated once."""

    __tablename__ = "inspection_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_template.id"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class InspectionRound(Base):
    """One walk of a checklist at a place (a building), planned by a schedule or started as a spot check.
    ``score`` is the percentage of the checklist's points kept; the unit's representative may confirm on site."""

    __tablename__ = "inspection_round"
    __table_args__ = (UniqueConstraint("schedule_id", "planned_on"),
                      Index("ix_inspection_round_school_building", "school_id", "building_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_template.id"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_schedule.id"))
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    spot: Mapped[str] = mapped_column(String(200), default="")  # the room or corner, in words
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    planned_on: Mapped[date | None] = mapped_column(Date)
    score: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[str] = mapped_column(String(120), default="")  # the unit's representative on site
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    results: Mapped[list[InspectionResult]] = relationship(order_by="InspectionResult.id", cascade="all, delete-orphan")


class InspectionResult(Base):
    """One item's result in a round: passed or not, the points kept, what was seen and its photos."""

    __tablename__ = "inspection_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_round.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inspection_item.id"))
    passed: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[list] = mapped_column(JSON, default=list)


class InspectionFinding(Base):
    """A problem a round found, rectified by the responsible unit by its deadline and re-checked by the inspector
    (its own process, business key ``number``): a failed item of the checklist, or a problem the inspector saw
    beside it (no item: its ``description`` alone says what, ``spot`` where). ``due_at`` is the current round of
    rectification's deadline; ``first_due_at`` the first one, which "fixed on time" compares the closing with."""

    __tablename__ = "inspection_finding"
    __table_args__ = (Index("ix_inspection_finding_school_status", "school_id", "status"),
                      Index("ix_inspection_finding_place", "school_id", "building_id", "item_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("inspection_round.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_item.id"))  # none: not on the checklist
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"))
    spot: Mapped[str] = mapped_column(String(200), default="")  # where within the place, in words
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    severity: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    photos: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    first_due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fix_note: Mapped[str] = mapped_column(Text, default="")
    fix_photos: Mapped[list] = mapped_column(JSON, default=list)  # the photos of every fix shown, oldest first
    rectified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rounds: Mapped[int] = mapped_column(Integer, default=0)  # re-checks failed so far
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)  # the same item failed at the same place before
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
