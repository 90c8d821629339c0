"""The domain side of the staff inbox and the task page that no process owns: who a task may be handed to,
and where files uploaded on a task's form are kept when the task's process module does not keep them itself.

What a task is about (its summary, panel, filters) comes from the process modules (:mod:`workflows.modules`).
"""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from engine import aftercommit
from engine.actor import Actor
from engine.models import HumanTask
from forms.schema import FieldDef
from forms.uploads import IMAGE_TYPES, Upload
from workflows.modules.registry import Modules
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import users_with_role
from workflows.repair import photos


def hand_over_targets(session: Session, *, actor: Actor, row: HumanTask) -> list[tuple[int, str]]:
    """Who the actor may hand the task to: other holders of the task's role in its unit or above it
    (a worker to another worker of the team; an auditor to whoever holds the task's role). Empty when the
    actor may not hand it over at all."""
    if not TASK_POLICY.rights(actor, row).hand_over or row.role is None or row.school_id is None:
        return []
    users = users_with_role(session, role=row.role, school_id=row.school_id, org_unit_id=row.org_unit_id)
    return sorted(((u.id, u.display_name) for u in users if u.id not in (actor.id, row.assignee_id)),
                  key=lambda pair: pair[1])


def store_upload(session: Session, modules: Modules, *, uploads_dir: Path, row: HumanTask, user_id: int | None,
                 field: FieldDef, upload: Upload) -> dict[str, Any]:
    """Keep a file uploaded on a task's form; return what task data records for it.

    The task's process module keeps it first when it wants to (a repair order's photos become the order's);
    anything else goes to :func:`keep_file`.
    Raises :class:`~workflows.repair.photos.UploadedPhotoRejected` for an image refused.
    """
    school_dir = Path(uploads_dir) / str(row.school_id)
    module = modules.of_process(row.process_key)
    if module is not None and module.store_upload is not None:
        kept = module.store_upload(session, school_dir=school_dir, row=row, user_id=user_id, field=field, upload=upload)
        if kept is not None:
            return kept
    return keep_file(session, school_dir, upload)


def keep_file(session: Session, school_dir: Path, upload: Upload) -> dict[str, Any]:
    """Keep a file that belongs to no order (plan evidence, task reports): an image re-encoded with its thumbnail
    under the school's folder, anything else as sent under ``task-files``; either is removed again if
    ``session``'s transaction does not commit. Returns the reference to record.
    Raises :class:`~workflows.repair.photos.UploadedPhotoRejected` for an image refused."""
    if upload.mime in IMAGE_TYPES:
        name = photos.store_upload(session, upload, school_dir)
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
