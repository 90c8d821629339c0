"""Fixtures for the inbox, task page and bell tests: the order pages' ``Site`` (real app, CSRF on, bpmn/ deployed,
demo school seeded, frozen clock; see tests/pages/websupport.py) plus a few more staff of the demo school."""
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

