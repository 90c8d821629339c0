"""Fixtures for whole repair scenarios on a fresh embedded database with frozen time."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine

sys.path.insert(0, str(Path(__file__).parent))

from scenario import Scenario  # noqa: E402

START = datetime(2026, 11, 16, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Beijing


@pytest.fixture
def scenario(tmp_path):
    with time_machine.travel(START, tick=False) as traveller:
        yield Scenario.build(f"sqlite:///{tmp_path}/houqin.db", traveller, tmp_path)
