"""A real service the tests need is missing: skip here, fail loudly under ``CI=true``.

The integration, browser and single sign-on tests run against real PostgreSQL, Redis, Chromium and identity
servers; on a developer's machine without one they are skipped with the reason, in CI they fail instead.
"""
from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"!!! CI=true but {message}. These tests must run against real services in CI; start them "
                    "(see docker-compose.yml and scripts/test) instead of skipping.", pytrace=False)
    pytest.skip(message)
