"""gunicorn's settings for Houqin's web workers (gunicorn reads ./gunicorn.conf.py from the folder it starts in):
the cyclic garbage collector, moved out of the requests.

A task completion builds a workflow's object graph (tasks that point at their workflow and back), which only the
cyclic collector frees. Left to its default thresholds the collector ran inside requests, a young-generation pass
about once a request and an older one every dozen, and those passes were the slow tail of task completions. So
the objects alive when a worker starts (the app, its diagrams and forms) are frozen and never scanned again, the
collector's own trigger is made rare, and each request ends with a collection of the younger generations once its
answer has been written to the client; every thousandth request, of all of them (what outlived a young pass and
became garbage later is freed there).
"""
from __future__ import annotations

import gc
from typing import Any

YOUNG_TRIGGER = 20_000  # allocations before the collector runs on its own: more than a request makes
FULL_EVERY = 1_000  # requests between full collections


def post_worker_init(worker: Any) -> None:
    """Once the worker has loaded the app (``post_fork`` runs before that, when there is nothing of it to freeze)."""
    gc.freeze()
    gc.set_threshold(YOUNG_TRIGGER, 10, 10)


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    gc.collect(2 if worker.nr % FULL_EVERY == 0 else 1)
