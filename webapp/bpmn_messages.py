"""Catalog extraction for the shipped diagrams: the names people read (processes, user tasks, lanes) become msgids,
so the pages show them in the user's language through :func:`diagram_text`. ``babel.cfg`` names this extractor."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from flask_babel import gettext

_NAMED = re.compile(r'<bpmn:(?:process|userTask|manualTask|lane|participant)\b[^>]*?\bname="([^"]+)"')


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel's extractor protocol: (line, function, message, comments) for every name a person sees."""
    for number, line in enumerate(fileobj.read().decode("utf-8").splitlines(), start=1):
        for name in _NAMED.findall(line):
            yield number, None, name, ["a name in a shipped diagram"]


def diagram_text(text: str | None) -> str:
    """A diagram's name (a task's title, a process, a lane) in the page's language; as written when the catalog has
    none (a diagram a process owner drew later)."""
    return gettext(text) if text else ""
