"""Fixtures for the dashboard tests: the real app with the demo school (``site``, as in tests/pages)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import open_site  # noqa: E402


@pytest.fixture
def site(tmp_path):
    with open_site(tmp_path) as running:
        yield running
