"""The one place the engine reads the time.

Everything that decides "is this due?" calls :func:`now`, so tests move time with
``time-machine`` (which also moves SpiffWorkflow's own ``datetime.now`` calls) and never sleep.
"""
from datetime import UTC, datetime


def now() -> datetime:
    """Current instant as an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """Make a datetime read back from the database aware (SQLite drops the offset)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
