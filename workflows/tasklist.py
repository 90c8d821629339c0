"""The domain side of the staff inbox and the task page.

The engine lists tasks by what it knows (role, unit, assignee, due time); this module adds what only the
domain knows: which orders have a colour or sit on a campus, whose name a requester has, who may take over a
task, what an order looks like beside its task, and where files uploaded on a task's form are kept.
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from engine import aftercommit
from engine.actor import Actor
from engine.models import HumanTask
from forms.uploads import IMAGE_TYPES, Upload, UploadRejected
from workflows.people.models import User
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import users_with_role
from workflows.repair import photos
from workflows.repair.models import OrderPhoto, WorkOrder
from workflows.repair.readmodel import order_dict, timeline_dicts
from workflows.repair.service import actor_names, by_number, may_view, open_tasks

COLOURS = ("green", "yellow", "red", "none")
PHOTO_STAGES = {"report", "result", "rectification"}


# --- filters: business keys of orders ---------------------------------------------------------

def order_keys(*, school_id: int | None, colour: str | None = None, campus_id: int | None = None) -> Select | None:
    """Numbers of the school's orders with this colour and/or on this campus (None: no such filter)."""
    if colour is None and campus_id is None:
        return None
    stmt = select(WorkOrder.number)
    if school_id is not None:
        stmt = stmt.where(WorkOrder.school_id == school_id)
    if colour is not None:
        stmt = stmt.where(WorkOrder.colour == colour)
    if campus_id is not None:
        stmt = stmt.where(WorkOrder.campus_id == campus_id)
    return stmt


def requester_keys(*, school_id: int | None, words: str) -> Select:
    """Numbers of orders whose requester (account name or the contact given) contains ``words``."""
    stmt = (select(WorkOrder.number).join(User, User.id == WorkOrder.requester_id)
            .where(or_(WorkOrder.contact_name.icontains(words, autoescape=True),
                       User.display_name.icontains(words, autoescape=True))))
    return stmt.where(WorkOrder.school_id == school_id) if school_id is not None else stmt


def existing_orders(session: Session, *, school_id: int | None, keys: set[str]) -> set[str]:
    """Which of ``keys`` are order numbers of the school."""
    keys = {k for k in keys if k}
    if not keys:
        return set()
    stmt = select(WorkOrder.number).where(WorkOrder.number.in_(keys))
    if school_id is not None:
        stmt = stmt.where(WorkOrder.school_id == school_id)
    return set(session.scalars(stmt))


# --- hand over --------------------------------------------------------------------------------

def hand_over_targets(session: Session, *, actor: Actor, row: HumanTask) -> list[tuple[int, str]]:
    """Who the actor may hand the task to: other holders of the task's role in its unit or above it
    (a worker to another worker of the team; an auditor to whoever holds the task's role). Empty when the
    actor may not hand it over at all."""
    if not TASK_POLICY.rights(actor, row).hand_over:
        return []
    users = users_with_role(session, role=row.role, school_id=row.school_id, org_unit_id=row.org_unit_id)
    return sorted(((u.id, u.display_name) for u in users if u.id not in (actor.id, row.assignee_id)),
                  key=lambda pair: pair[1])


# --- the task page --------------------------------------------------------------------------

def task_order(session: Session, *, user: User, row: HumanTask, locale: str) -> dict[str, Any] | None:
    """The order a task is about, as the task page shows it (facts, photos, timeline), or None when the task
    is not about an order the user may see."""
    if not row.business_key or row.school_id is None:
        return None
    order = by_number(session, school_id=row.school_id, number=row.business_key)
    if order is None or not may_view(session, user, order):
        return None
    events = timeline_dicts(session, order)
    return {"order": order, "facts": order_dict(session, order, locale=locale), "events": events,
            "tasks": open_tasks(session, order),
            "names": actor_names(session, school_id=order.school_id, labels=[e["actor"] for e in events])}


def store_upload(session: Session, *, uploads_dir: Path, row: HumanTask, user_id: int | None, field,
                 upload: Upload) -> dict[str, Any]:
    """Keep a file uploaded on a task's form; return what task data records for it.

    Photos of a task about an order become the order's photos (re-encoded, thumbnailed, stored outside the web
    root and served only to people who may see the order), staged by the field's ``purpose`` (default
    ``result``). Anything else goes to :func:`keep_file`.
    Raises :class:`~forms.uploads.UploadRejected` for an image that cannot be decoded.
    """
    school_dir = Path(uploads_dir) / str(row.school_id)
    order = (by_number(session, school_id=row.school_id, number=row.business_key)
             if row.business_key and row.school_id is not None else None)
    if order is None or not (field.type == "photo" or upload.mime in IMAGE_TYPES):
        return keep_file(session, school_dir, upload)
    try:
        name = photos.store(session, upload.data, school_dir)
    except photos.PhotoRejected as err:
        raise UploadRejected(f"“{upload.filename}” {err}") from err
    stage = field.purpose if field.purpose in PHOTO_STAGES else "result"
    photo = OrderPhoto(school_id=order.school_id, order_id=order.id, stage=stage, stored_name=name, uploaded_by_id=user_id)
    session.add(photo)
    session.flush()
    return {"photo_id": photo.id, "name": upload.filename}


def keep_file(session: Session, school_dir: Path, upload: Upload) -> dict[str, Any]:
    """Keep a file that belongs to no order (plan evidence, task reports): an image re-encoded with its thumbnail
    under the school's folder, anything else as sent under ``task-files``; either is removed again if
    ``session``'s transaction does not commit. Returns the reference to record.
    Raises :class:`~forms.uploads.UploadRejected` for an image that cannot be decoded."""
    if upload.mime in IMAGE_TYPES:
        try:
            name = photos.store(session, upload.data, school_dir)
        except photos.PhotoRejected as err:
            raise UploadRejected(f"“{upload.filename}” {err}") from err
        return {"stored": name, "name": upload.filename, "type": "image/jpeg"}
    folder = school_dir / "task-files"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.bin"
    (folder / stored).write_bytes(upload.data)
    aftercommit.undo_unless_committed(session, lambda: (folder / stored).unlink(missing_ok=True))
    return {"stored": stored, "name": upload.filename, "type": upload.mime, "size": upload.size}


def kept_file_path(school_dir: Path, item: dict[str, Any], *, thumbnail: bool = False) -> Path:
    """Where :func:`keep_file` put the file ``item`` refers to (raises ``PhotoRejected`` for a bad name)."""
    if item.get("type") == "image/jpeg" and "size" not in item:
        return photos.path_of(school_dir, item["stored"], thumbnail=thumbnail)
    return photos.path_of(school_dir / "task-files", item["stored"])

