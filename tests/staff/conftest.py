"""Fixtures for the service staff: the demo school on a fresh PostgreSQL database with frozen time, and a small
register in it (an electrician's post and certificate type that the electrical-fault service item requires)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "workflows"))
sys.path.insert(0, str(Path(__file__).parents[1] / "pages"))

from scenario import Scenario  # noqa: E402
from websupport import open_site  # noqa: E402


@pytest.fixture
def scenario(tmp_path, seeded_pg_url):
    with Scenario.running(seeded_pg_url, tmp_path) as built:
        yield built


@pytest.fixture
def site(tmp_path):
    """The real app with CSRF on, the demo school and test clients logged in through the login form."""
    with open_site(tmp_path) as running:
        yield running
