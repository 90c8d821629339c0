"""Fixtures for the integration tests."""
from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite_url", "pg_url"])
def database(request) -> str:
    """An empty database, once on SQLite and once on PostgreSQL: for migrations that move data, which the two
    dialects run differently (a table rebuilt on SQLite, altered in place on PostgreSQL)."""
    return request.getfixturevalue(request.param)
