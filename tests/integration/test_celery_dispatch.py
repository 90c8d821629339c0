"""The Celery dispatcher sends through the app it was given, from any thread: a threaded web server's request
threads have no Celery "current app" of their own, and a send through the default one left for a default broker
where no worker listens."""
from __future__ import annotations

import threading

import pytest
import redis

from engine.celery_app import CeleryDispatcher, make_celery

pytestmark = [pytest.mark.redis]


def test_a_send_from_another_thread_reaches_the_apps_own_broker(redis_url):
    app = make_celery(None, redis_url=redis_url)
    dispatcher = CeleryDispatcher()
    dispatcher.sends_through(app)
    queue = redis.Redis.from_url(redis_url)
    try:
        sender = threading.Thread(target=dispatcher.kick_job, args=("daily_figures",))
        sender.start()
        sender.join(timeout=30)
        assert queue.llen("celery") == 1
    finally:
        queue.close()
        app.close()


def test_a_dispatcher_without_an_app_refuses_to_send_rather_than_guess_one():
    with pytest.raises(RuntimeError, match="no app"):
        CeleryDispatcher().send_outbox(1)
