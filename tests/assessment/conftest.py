"""Fixtures for assessment: whole campaigns on a fresh PostgreSQL database seeded with the demo school, with the
clock frozen (the workflow scenario driver of tests/workflows)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))
sys.path.insert(0, str(Path(__file__).parent))

from scenario import Scenario  # noqa: E402
from seeded import START  # noqa: E402


@pytest.fixture
def scenario(seeded_pg_url, tmp_path):
    with time_machine.travel(START, tick=False) as traveller:
        built = Scenario.on(seeded_pg_url, traveller, tmp_path)
        yield built
        built.runtime.db_engine.dispose()
