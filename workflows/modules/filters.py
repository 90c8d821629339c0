"""Inbox filters a module can take ready-made instead of writing its own."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from workflows.modules.contract import KeysWhere


def by_colour(model: Any) -> KeysWhere:
    """The colour filter for objects that carry ``school_id``, ``number`` and an escalation ``colour`` but no campus:
    a campus filter leaves them out of the listing."""

    def keys_where(*, school_id: int, colour: str | None, campus_id: int | None) -> Select[Any] | None:
        if campus_id is not None or colour is None:
            return None
        stmt: Select[Any] = select(model.number).where(model.school_id == school_id, model.colour == colour)
        return stmt

    return keys_where
