"""The SQL statements an engine sends while a block runs, each on one line: a test counts them to show that a page
or a read sends a fixed number whatever the rows it shows (a query per row would make the count grow)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements sent inside the ``with`` block, in order (the list fills as they are sent)."""
    sent: list[str] = []

    def heard(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", heard)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", heard)
