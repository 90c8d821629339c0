"""How many rows meet each of several conditions, in one query.

A module's dashboard cards count the same rows (its objects of the school and period) each narrowed by one
condition; a count filtered by each condition answers every card in one statement, where a count per card sent one
statement per card.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, func, select
from sqlalchemy.orm import Session


def counts_meeting(session: Session, counted: ColumnExpressionArgument[Any], conditions: dict[str, ColumnElement[bool]],
                   *where: ColumnElement[bool]) -> dict[str, int]:
    """Of the rows ``where`` selects (``counted`` is their id), how many meet each condition, by the condition's key."""
    row = session.execute(select(*(func.count(counted).filter(condition) for condition in conditions.values()))
                          .where(*where)).one()
    return dict(zip(conditions, row, strict=True))
