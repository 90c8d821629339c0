"""Engine tables: definitions, instances, the human-task projection, audit log and outbox.

Inbox pages read ``human_task`` only; they never deserialise a workflow. ``process_instance``
keeps the instance-only state (the spec lives once in ``process_definition``), a version counter
for optimistic checks and ``next_wake_at`` for the timer sweep.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime
from engine.statuses import InstanceStatus, JobStatus, OutboxStatus


class ProcessDefinition(Base):
    """One deployed version of a process: its sources, keyed by content hash.

    ``school_id`` None is a platform version (the shipped diagrams and what the platform's process owners deploy),
    which every school follows; a school's own version is used by that school's new instances only, and is active
    in its scope (one active version per process and school, and one for the platform).
    """

    __tablename__ = "process_definition"
    __table_args__ = (
        UniqueConstraint("process_key", "version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    sources: Mapped[dict[str, str]] = mapped_column(JSON)  # file name -> XML text
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    deployed_by: Mapped[str | None] = mapped_column(String(120))
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    comment: Mapped[str | None] = mapped_column(Text)
    school_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_process_instance_business", "business_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    process_key: Mapped[str] = mapped_column(String(120))
    business_key: Mapped[str | None] = mapped_column(String(120))
    school_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default=InstanceStatus.RUNNING)  # an InstanceStatus
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer, default=0)
    next_wake_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    wake_enqueued_for: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the wake instant last sent to a worker
    # when that wake-up is sent again if still not done (its worker died), and how often it was sent: the wait
    # doubles with each re-send, so a long worker outage queues a few copies, not one per sweep
    wake_resend_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    wake_sends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    definition: Mapped[ProcessDefinition] = relationship()  # read through the spec cache, not on every load

    __mapper_args__ = {"version_id_col": version}


class HumanTask(Base):
    """Projection of one READY manual task, rebuilt after every advance."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_role_unit", "role", "org_unit_id"),
        Index("ix_human_task_assignee", "assignee_id"),
        Index("ix_human_task_business", "business_key"),  # an order's open tasks (order page, next task)
        # "listed as a candidate" (the inbox's mine tab) as JSONB containment, without reading every open task
        Index("ix_human_task_candidates", "candidate_ids", postgresql_using="gin",
              postgresql_ops={"candidate_ids": "jsonb_path_ops"}).ddl_if(dialect="postgresql"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the SpiffWorkflow task UUID
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"), index=True)
    process_key: Mapped[str] = mapped_column(String(120))
    business_key: Mapped[str | None] = mapped_column(String(120))
    school_id: Mapped[int | None] = mapped_column(Integer)
    task_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(60))
    org_unit_id: Mapped[int | None] = mapped_column(Integer)
    candidate_ids: Mapped[list[int]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), default=list)
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    form_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """Append-only record of every state change: who, what, when, which task, what data changed."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_business", "business_key", "at"),
        Index("ix_audit_event_actor", "actor", "action", "at"),  # the inbox's "completed by me"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    actor: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    business_key: Mapped[str | None] = mapped_column(String(120))
    school_id: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    """A notification written inside the advance transaction and sent after commit."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("dedup_key"), Index("ix_outbox_pending", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    business_key: Mapped[str | None] = mapped_column(String(120))
    school_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(30), default="inapp")
    recipients: Mapped[dict[str, Any]] = mapped_column(JSON)  # e.g. {"roles": [...], "users": [...], "org_unit_id": ...}
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)  # in English, for operators and logs
    # the same error as a catalog message and its values apart, when the error offers them (engine.outbox.Worded):
    # {"message": msgid, "values": {name: value or the same form}}, for pages to say in the reader's language
    last_error_words: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class MigrationJob(Base):
    """Instances a process owner asked to move to another version, moved in the background batch by batch.

    ``position`` counts the ids handled so far; it is advanced in the same transaction as the moves it counts,
    so a job picked up again after a crash neither skips nor repeats an instance.
    """

    __tablename__ = "migration_job"
    __table_args__ = (Index("ix_migration_job_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(120))
    target_id: Mapped[int] = mapped_column(ForeignKey("process_definition.id"))
    instance_ids: Mapped[list[int]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    moved: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"id": …, "reason": …}]
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed tries at the instance at ``position``
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)  # why a failed job stopped
    reason: Mapped[str] = mapped_column(Text)
    school_id: Mapped[int | None] = mapped_column(Integer)  # the requester's school (None: platform-wide)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
