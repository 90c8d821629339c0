"""Business numbers of the form letters + the school's date + the day's running count (BX202612050007).

Repairs, complaints, delegated tasks, inspection rounds, surveys and duty anomalies number their objects the same
way; two objects taken at the same moment count the same rows and draw the same number, so the second to store it
draws again. A clash on any other constraint is the caller's to judge (a duty anomaly whose subject is recorded
already), so it is raised, never drawn again.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows.people.timezone import local_today

NUMBER_TRIES = 5


def day_number(session: Session, model: Any, *, letters: str, school_id: int, per_school: bool = True,
               digits: int = 4) -> str:
    """The next number of ``model`` (a mapped class with ``number`` and ``school_id``) for the school's today.

    The count reads today's range of the number index rather than a LIKE prefix, which a non-C collation would
    not serve from the index. The day's highest number counts as well: once a row of the day is deleted the count
    alone falls behind and draws the highest number again on every try. (The count still decides past ``digits``,
    where a wider number no longer sorts highest.) ``per_school=False`` reads every school's numbers, for tables
    whose numbers are unique across schools; ``digits`` is the width of the day's count."""
    today = local_today(session, school_id)
    prefix, after = f"{letters}{today:%Y%m%d}", f"{letters}{today + timedelta(days=1):%Y%m%d}"
    query = select(func.count(), func.max(model.number)).where(model.number >= prefix, model.number < after)
    if per_school:
        query = query.where(model.school_id == school_id)
    count, highest = session.execute(query).one()
    running = highest.removeprefix(prefix) if highest else ""
    taken = max(count, int(running)) if running.isdigit() else count  # a number of another form counts only once
    return f"{prefix}{taken + 1:0{digits}d}"


def _number_taken(session: Session, row: Any) -> bool:
    """Whether a stored row holds ``row``'s number where its table keeps numbers unique: across the table, or within
    the school when the unique constraint on ``number`` also names ``school_id``."""
    table = type(row).__table__
    [unique] = [c.columns for c in table.constraints if isinstance(c, UniqueConstraint) and "number" in c.columns]
    return bool(session.scalar(select(func.count()).select_from(table).where(
        *(column == getattr(row, column.key) for column in unique))))


def store_numbered(session: Session, row: Any, draw: Callable[[], str]) -> None:
    """Give ``row`` a drawn number and store it, drawing again when another transaction stored that number first.

    Every try adds the row inside a savepoint: ``begin_nested`` flushes what is pending first, outside it, so a clash
    ends only the savepoint and the caller's transaction goes on. A clash that leaves the drawn number free was on
    another constraint and raises at once, as does a number clash on the last try."""
    for attempt in range(1, NUMBER_TRIES + 1):
        row.number = draw()
        try:
            with session.begin_nested():
                session.add(row)
            return
        except IntegrityError:
            if attempt == NUMBER_TRIES or not _number_taken(session, row):
                raise
