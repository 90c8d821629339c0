"""Fixtures for whole repair scenarios on a fresh embedded database with frozen time."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import time_machine

sys.path.insert(0, str(Path(__file__).parent))

from scenario import Scenario  # noqa: E402
from seeded import (
    START,  # noqa: E402
    seeded_sqlite,  # noqa: E402
)


@pytest.fixture
def scenario(tmp_path):
    with time_machine.travel(START, tick=False) as traveller:
        yield Scenario.on(seeded_sqlite(tmp_path / "houqin.db"), traveller, tmp_path)
