"""Serving files kept by :func:`workflows.tasklist.keep_file` (plan evidence, task reports and attachments).

The views decide who may see a file; this only sends it: photos inline, other files as downloads under the
name they were uploaded with, never cached publicly and never sniffed by the browser.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, request, send_file

from workflows.repair import photos
from workflows.tasklist import kept_file_path


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
