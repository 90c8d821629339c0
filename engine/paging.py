"""One page of a query: the rows, the total, and the page number clamped to the pages that exist.

Every listing (inbox tabs, the order list, drill-downs, people, the change log) pages the same way, so a stale
link past the end shows the last page and "page 0" the first.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paged(session: Session, stmt: Select[Any], count_stmt: Select[Any] | None = None, page: int = 1,
          per_page: int = PER_PAGE, *, whole_rows: bool = False,
          shape: Callable[[Sequence[Any]], list[Any]] = list) -> Page:
    """One page of ``stmt``. ``count_stmt`` counts the total (default: count the rows of ``stmt``);
    ``whole_rows`` keeps each result row whole (several columns) instead of its first column; ``shape`` turns
    the page's rows into what the page shows."""
    total = session.scalar(count_stmt if count_stmt is not None
                           else select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = min(max(page, 1), max(1, -(-total // per_page)))
    window = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = session.execute(window).all() if whole_rows else session.scalars(window).all()
    return Page(rows=shape(rows), total=total, page=page, per_page=per_page)
