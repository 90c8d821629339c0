"""Fixtures for assessment: whole campaigns on a fresh PostgreSQL database seeded with the demo school, with the
clock frozen (the workflow scenario driver of tests/workflows)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))
sys.path.insert(0, str(Path(__file__).parent))

from scenario import Scenario  # noqa: E402


@pytest.fixture
def scenario(seeded_pg_url, tmp_path):
    with Scenario.running(seeded_pg_url, tmp_path) as built:
        yield built
