"""A standards document and its versions: a new version is a new row, so every older one stays readable."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime


class StandardDocument(Base):
    """One standard (保洁服务标准 …) of a school: its service type, the catalogue entry it applies to (a category or
    an item: repair tasks of that service show its items) and the number of its current version."""

    __tablename__ = "standard_document"
    __table_args__ = (UniqueConstraint("school_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    service_type: Mapped[str] = mapped_column(String(20))
    catalogue_item_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_item.id"))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class StandardVersion(Base):
    """One version of a document: its title and numbered items (``[{"number": "1.1", "text": …}]``), why it changed,
    and ``search_text`` (title and items as plain text, which a substring search reads in any language)."""

    __tablename__ = "standard_version"
    __table_args__ = (UniqueConstraint("document_id", "version"), Index("ix_standard_version_school", "school_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("standard_document.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    items: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
