"""Celery beat for the fault suite: ``celery -A tests.faults.fastbeat beat``.

The production app of :mod:`webapp.worker`, unchanged but for one interval: the outbox sweep runs every
``HOUQIN_TEST_OUTBOX_SWEEP_SECONDS`` (production: 60 s), as the timer sweep runs every
``HOUQIN_TIMER_SWEEP_SECONDS``. A send whose Celery message a killed worker took with it, or that could not be
queued while Redis was away, is re-sent by that sweep; the tests wait for it, and a minute would dominate their run.
"""
from __future__ import annotations

import os

from webapp.worker import celery, flask_app  # noqa: F401  (celery -A finds ``celery``)

assert celery is not None  # webapp.worker exits without REDIS_URL
celery.conf.beat_schedule["houqin-outbox-sweep"]["schedule"] = float(os.environ.get("HOUQIN_TEST_OUTBOX_SWEEP_SECONDS", "60"))
