"""Fixtures for the admin pages: the demo site of tests/pages (real app, SQLite file, CSRF on, demo school seeded,
frozen clock) reused through its ``open_site`` function."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "pages"))

from websupport import open_site  # noqa: E402


@pytest.fixture
def site(tmp_path):
    with open_site(tmp_path) as running:
        yield running
