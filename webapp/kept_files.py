"""Keeping and serving files kept by :func:`workflows.tasklist.keep_file` (plan evidence, task reports, complaint
attachments).

The views decide who may see a file; this only keeps what a form sent (:func:`keep_uploads`, each file checked by
its content with :func:`upload_to_keep`, as an API body's photos are) and sends it back: photos inline, other files
as downloads under the name they were uploaded with, never cached publicly and never sniffed by the browser.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, request, send_file
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import MultipleFileField

from forms.uploads import IMAGE_TYPES, Upload, is_upload, read_limited, safe_name, sniff
from webapp import db
from webapp.i18n import locale_code
from workflows.repair import photos
from workflows.tasklist import keep_file, kept_file_path

KEPT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
PICTURE_TYPES = KEPT_TYPES & IMAGE_TYPES  # the kept files a photo may be


def _not_kept(name: str, max_mb: int, pictures_only: bool) -> str:
    if pictures_only:
        return _("“%(name)s” is not a picture (JPEG, PNG or WebP) of at most %(mb)d MB.", name=name, mb=max_mb)
    return _("“%(name)s” is not a picture or PDF file of at most %(mb)d MB.", name=name, mb=max_mb)


def upload_to_keep(name: str, data: bytes, *, max_mb: int, pictures_only: bool = False) -> Upload | None:
    """``data`` as a file to keep under ``name``, of the type its content shows (kept as it is, not sniffed
    again); None when it is larger than ``max_mb`` or of a type not kept (``pictures_only``: a photo, which a PDF
    is not). The one check of a file's size and type, for a form's uploads and an API body's photos alike."""
    mime = sniff(data)
    if len(data) > max_mb * 1024 * 1024 or mime not in (PICTURE_TYPES if pictures_only else KEPT_TYPES):
        return None
    return Upload(name, data, mime)


def keep_uploads(field: MultipleFileField, school_dir: Path, *, max_files: int, max_mb: int,
                 pictures_only: bool = False) -> list[dict] | None:
    """Keep the pictures and PDF files sent in ``field`` (``pictures_only``: photos, which a PDF is not); None (and
    the reason on the field) when one is refused."""
    files = [f for f in field.data or [] if is_upload(f)]
    if len(files) > max_files:
        field.errors = [ngettext("Attach at most %(num)d photo.", "Attach at most %(num)d photos.", max_files)
                        if pictures_only else _("Attach at most %(n)d files.", n=max_files)]
        return None
    kept = []
    for file in files:
        name = safe_name(file.filename)
        upload = upload_to_keep(name, read_limited(file, max_mb * 1024 * 1024), max_mb=max_mb,
                                pictures_only=pictures_only)
        if upload is None:
            field.errors = [_not_kept(name, max_mb, pictures_only)]
            return None
        try:
            kept.append(keep_file(db.session(), school_dir, upload))
        except photos.UploadedPhotoRejected as err:
            field.errors = [err.said(locale_code())]
            return None
    return kept


def send_kept(school_dir: Path, item: dict[str, Any] | None) -> Response:
    """The file ``item`` refers to (``?thumb=1``: a photo's thumbnail); 404 when there is none."""
    if item is None:
        abort(404)
    try:
        path = kept_file_path(school_dir, item, thumbnail=request.args.get("thumb") == "1")
    except photos.PhotoRejected:
        abort(404)
    if not path.is_file():
        abort(404)
    is_photo = item.get("type") == "image/jpeg" and "size" not in item
    response = send_file(path, mimetype=item.get("type") or "application/octet-stream", conditional=True,
                         as_attachment=not is_photo, download_name=item.get("name") or item["stored"])
    response.cache_control.private = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
