"""Fixtures for the order pages: the real app on a SQLite file under tmp_path with CSRF on, the diagrams in bpmn/
deployed, the demo school seeded, and test clients logged in through the real login form (see websupport.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from websupport import open_site  # noqa: E402


@pytest.fixture
def site(tmp_path):
    with open_site(tmp_path) as running:
        yield running
