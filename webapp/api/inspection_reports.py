"""The body of ``POST /api/v1/inspections/rounds/<number>/record`` as the round's report: every item's result and
the problems seen beside the checklist (``extra_findings``), with their photos as base64 pictures kept as the phone
page keeps an item's. The body's shape is checked whole first, every problem named by its path
(``results[1].note``, ``extra_findings[0].photos[2]``); what the round itself refuses (:class:`RoundError`) is
named the same way by :func:`refusal`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from forms.uploads import Upload
from webapp.api.base64_photos import BadPhoto, decode_photo, encoded_size, photo_problem
from webapp.api.views import invalid, locale
from webapp.kept_files import upload_to_keep
from workflows.inspections.enums import ReportPart, Severity
from workflows.inspections.rounds import MAX_PHOTO_MB, MAX_PHOTOS, ItemResult, Problem, RoundError, RoundReport
from workflows.repair.photos import UploadedPhotoRejected
from workflows.tasklist import keep_file

ROUND_FIELDS = {"results", "extra_findings", "note", "confirmed", "confirmed_by"}
RESULT_FIELDS = {"item_id", "passed", "deduction", "note", "severity", "photos"}
PROBLEM_FIELDS = {"description", "severity", "spot", "photos"}
MAX_BYTES = MAX_PHOTO_MB * 1024 * 1024
BODY_LIMIT = 2 * MAX_PHOTOS * encoded_size(MAX_BYTES) + 1024 * 1024  # eight full-size photos fit; the app default (16 MB) held one

Problems = dict[str, list[str]]


def not_stored() -> str:
    """The message of every refusal of a round's report."""
    return _("the round was not recorded; nothing was stored")


def _kind(kind: type) -> str:
    """What a value of ``kind`` is called when another was sent."""
    words = {str: _("a text"), bool: _("true or false"), int: _("a whole number"), list: _("a list"), dict: _("an object")}
    return words[kind]


def _at(path: str, name: str | int) -> str:
    return f"{path}[{name}]" if isinstance(name, int) else f"{path}.{name}" if path else name


def _typed(body: dict[str, Any], name: str, kind: type, default: Any, problems: Problems, path: str = "") -> Any:
    """``body[name]`` if it is a ``kind`` (a bool is no number), else ``default`` and the problem noted."""
    value = body.get(name, default)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    problems[_at(path, name)] = [_kind(kind)]
    return default


def _known(body: dict[str, Any], allowed: set[str], problems: Problems, path: str = "") -> None:
    for name in sorted(set(body) - allowed):
        problems[_at(path, name)] = [_("unknown field")]


def _photo(value: Any, path: str, name: str, problems: Problems) -> Upload | None:
    """One photo: base64 (a ``data:`` URL too) of a JPEG, PNG or WebP of at most the item photos' size, checked
    as the phone page's photos are (:func:`~webapp.kept_files.upload_to_keep`)."""
    try:
        data = decode_photo(value, max_bytes=MAX_BYTES)
    except BadPhoto as err:
        problems[path] = [photo_problem(err.problem, max_bytes=MAX_BYTES)]
        return None
    upload = upload_to_keep(name, data, max_mb=MAX_PHOTO_MB, pictures_only=True)
    if upload is None:
        problems[path] = [_("not a JPEG, PNG or WebP picture of at most %(mb)d MB", mb=MAX_PHOTO_MB)]
    return upload


def _photos(body: dict[str, Any], problems: Problems, path: str) -> list[Upload]:
    listed = _typed(body, "photos", list, [], problems, path)
    decoded = [_photo(value, _at(_at(path, "photos"), n), f"photo-{n + 1}", problems) for n, value in enumerate(listed)]
    return [upload for upload in decoded if upload is not None]


def _objects(body: dict[str, Any], name: str, problems: Problems) -> list[tuple[str, dict[str, Any]]]:
    """The objects of the list ``body[name]``, each with its path; anything else in it is a problem."""
    shaped = []
    for index, value in enumerate(_typed(body, name, list, [], problems)):
        if isinstance(value, dict):
            shaped.append((_at(name, index), value))
        else:
            problems[_at(name, index)] = [_kind(dict)]
    return shaped


@dataclass(frozen=True)
class Parsed:
    """The body's values, typed: each result's and problem's values with its photos, checked but not kept yet."""

    results: list[tuple[dict[str, Any], list[Upload]]]
    extra: list[tuple[dict[str, Any], list[Upload]]]
    note: str
    confirmed: bool
    confirmed_by: str


def _result(path: str, row: dict[str, Any], problems: Problems) -> tuple[dict[str, Any], list[Upload]]:
    _known(row, RESULT_FIELDS, problems, path)
    if "item_id" not in row:
        problems[_at(path, "item_id")] = [_("this field is required")]
    values = {"item_id": _typed(row, "item_id", int, 0, problems, path),
              "passed": _typed(row, "passed", bool, True, problems, path),
              "deduction": _typed(row, "deduction", int, 0, problems, path),
              "note": _typed(row, "note", str, "", problems, path),
              "severity": _typed(row, "severity", str, Severity.minor.value, problems, path)}
    return values, _photos(row, problems, path)


def _problem(path: str, row: dict[str, Any], problems: Problems) -> tuple[dict[str, Any], list[Upload]]:
    _known(row, PROBLEM_FIELDS, problems, path)
    values = {"description": _typed(row, "description", str, "", problems, path),
              "severity": _typed(row, "severity", str, Severity.minor.value, problems, path),
              "spot": _typed(row, "spot", str, "", problems, path)}
    return values, _photos(row, problems, path)


def parse(body: dict[str, Any]) -> Parsed:
    """The body's values; 422 naming every field of the wrong shape (an unknown one, a photo that is no picture)."""
    problems: Problems = {}
    _known(body, ROUND_FIELDS, problems)
    parsed = Parsed(results=[_result(path, row, problems) for path, row in _objects(body, "results", problems)],
                    extra=[_problem(path, row, problems) for path, row in _objects(body, "extra_findings", problems)],
                    note=_typed(body, "note", str, "", problems), confirmed=_typed(body, "confirmed", bool, False, problems),
                    confirmed_by=_typed(body, "confirmed_by", str, "", problems))
    if problems:
        raise invalid(problems, not_stored())
    return parsed


def _kept(session: Session, school_dir: Path, photos: list[Upload], path: str) -> list[dict]:
    kept = []
    for index, upload in enumerate(photos):
        try:
            kept.append(keep_file(session, school_dir, upload))
        except UploadedPhotoRejected as err:  # what the photo storage refused, and why, in the caller's language
            raise invalid({_at(path, index): [err.said(locale())]}, not_stored()) from None
    return kept


def report(session: Session, school_dir: Path, parsed: Parsed) -> RoundReport:
    """The round's report, each photo kept as an item's photo is (removed again unless the transaction commits)."""
    return RoundReport(
        results=[ItemResult(**values, photos=_kept(session, school_dir, photos, _at(_at("results", n), "photos")))
                 for n, (values, photos) in enumerate(parsed.results)],
        extra=[Problem(**values, photos=_kept(session, school_dir, photos, _at(_at("extra_findings", n), "photos")))
               for n, (values, photos) in enumerate(parsed.extra)],
        note=parsed.note, confirmed=parsed.confirmed, confirmed_by=parsed.confirmed_by)


def refusal(err: RoundError, parsed: Parsed) -> Problems:
    """What the round refused, under the body's path: an item's result, a result as it came, a problem beside the
    checklist or their list, else the round's own field; in the caller's language."""
    said = err.said(locale())
    if err.part == ReportPart.extra:
        return {"extra_findings" if err.index is None else _at(_at("extra_findings", err.index), err.name): [said]}
    if err.part == ReportPart.result and err.index is not None:
        return {_at(_at("results", err.index), err.name): [said]}
    if err.part != ReportPart.item:
        return {err.field: [said]}
    given = [values["item_id"] for values, _photos in parsed.results]
    if err.item_id not in given:
        return {"results": [_("every item of the checklist needs a result: item %(item)s has none", item=err.item_id)]}
    return {_at(_at("results", given.index(err.item_id)), err.name): [said]}
