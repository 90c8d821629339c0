"""Fixtures for whole repair scenarios on a fresh embedded database with frozen time."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from scenario import Scenario  # noqa: E402
from seeded import seeded_sqlite  # noqa: E402


@pytest.fixture
def scenario(tmp_path):
    with Scenario.running(seeded_sqlite(tmp_path / "houqin.db"), tmp_path) as built:
        yield built
