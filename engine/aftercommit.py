"""Run work only after the surrounding transaction commits (and never if it rolls back).

Celery tasks and cross-instance event deliveries must not see, or act on, state that a rollback
later erases; they are queued on the session and released by the ``after_commit`` hook.

By then the transaction is durable, so a failing hand-off (Redis down, a failing channel, a target
instance that errors) is logged and the remaining actions still run: raising here would make the
caller's ``commit()`` look failed after it succeeded. Outbox rows stay pending and the outbox sweep
sends them later.
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "houqin_after_commit"

log = logging.getLogger(__name__)


def defer(session: Session, action: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_deferred(session: Session) -> None:
    if session.in_nested_transaction():  # only a savepoint was released; the work waits for the outer commit
        return
    actions = session.info.pop(_KEY, [])
    for action in actions:
        try:
            action()
        except Exception:
            log.exception("after-commit action failed; the committed transaction stands")


@event.listens_for(Session, "after_soft_rollback")
def _drop_deferred(session: Session, previous_transaction) -> None:
    if previous_transaction.nested:  # only a savepoint rolled back: what the outer transaction did still stands
        return
    session.info.pop(_KEY, None)
