"""In-app notifications (what the bell in the page header counts), per-user channel preferences (per kind) and
quiet hours, people's WeCom / WeChat bindings and the one-time tickets that make them, and the schools' group-bot
webhook targets."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(60))
    business_key: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NotificationPreference(Base):
    """A user's choice for one optional channel (``email``, ``sms``, ``wecom``, ``wechat``): for every kind when
    ``kind`` is empty, else for that notification kind only. No row means the default (on when possible); a channel
    carries a kind only when both its own row and the kind's row (if any) are on.

    The in-app channel is always on and has no preference row.
    """

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "channel", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(60), default="", server_default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class QuietHours(Base):
    """Local times (the user's school's time zone) between which non-urgent e-mails wait; ``end`` before ``start`` spans
    midnight (22:00–07:00)."""

    __tablename__ = "quiet_hours"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)


class PersonalBinding(Base):
    """A person's WeCom userid or WeChat openid (``channel``), made by scanning a one-time QR code; one per person
    and channel, and one person per school for an address."""

    __tablename__ = "personal_binding"
    __table_args__ = (UniqueConstraint("user_id", "channel"), UniqueConstraint("school_id", "channel", "address"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # wecom | wechat
    address: Mapped[str] = mapped_column(String(128))  # the WeCom userid or the WeChat openid
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class BindingTicket(Base):
    """One QR code shown to bind a channel: usable once, until ``expires_at``. Only the SHA-256 of its random
    nonce is stored, so reading the table gives no usable code."""

    __tablename__ = "binding_ticket"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WebhookTarget(Base):
    """A group-bot webhook of one school (WeCom, DingTalk or Feishu); ``kinds`` empty means every kind."""

    __tablename__ = "webhook_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20))  # a BotKind
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
