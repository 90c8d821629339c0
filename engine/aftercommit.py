"""Run work only after the surrounding transaction commits (and never if it rolls back), and undo
what lives outside the database when the transaction does not commit.

Celery tasks and cross-instance event deliveries must not see, or act on, state that a rollback
later erases; they are queued on the session and released by the ``after_commit`` hook. Files
written during a transaction (photos, evidence) are the other way round: they stay only if it
commits, so a refused or failed step leaves no file that no row refers to.

By then the transaction is durable, so a failing hand-off (Redis down, a failing channel, a target
instance that errors) is logged and the remaining actions still run: raising here would make the
caller's ``commit()`` look failed after it succeeded. Outbox rows stay pending and the outbox sweep
sends them later.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_KEY = "houqin_after_commit"
_UNDO = "houqin_undo_unless_committed"

log = logging.getLogger(__name__)

_Entry = tuple[SessionTransaction | None, Callable[[], None]]  # (the savepoint it was registered in, the action)


def defer(session: Session, action: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append((session.get_nested_transaction(), action))


def undo_unless_committed(session: Session, action: Callable[[], None]) -> None:
    """Run ``action`` when the work it belongs to is not committed: the outermost transaction ends without a
    commit (rolled back or closed), or the savepoint it was registered in rolls back."""
    session.info.setdefault(_UNDO, []).append((session.get_nested_transaction(), action))


@event.listens_for(Session, "after_commit")
def _run_deferred(session: Session) -> None:
    if session.in_nested_transaction():  # only a savepoint was released; the work waits for the outer commit
        return
    session.info.pop(_UNDO, None)  # committed: what was written outside the database stays
    _run_all(session.info.pop(_KEY, []), "after-commit action failed; the committed transaction stands")


@event.listens_for(Session, "after_soft_rollback")
def _forget_savepoint(session: Session, previous_transaction: SessionTransaction) -> None:
    """A savepoint rolled back: what was registered inside it is dropped (deferred work) or undone (files)."""
    if not previous_transaction.nested:
        return
    _take_inside(session, _KEY, previous_transaction)
    _run_all(_take_inside(session, _UNDO, previous_transaction), "undoing the work of a rolled-back savepoint failed")


@event.listens_for(Session, "after_transaction_end")
def _undo_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:  # a savepoint or inner transaction: the outer one decides
        return
    session.info.pop(_KEY, None)
    _run_all(session.info.pop(_UNDO, []), "undoing the work of an uncommitted transaction failed")


def _take_inside(session: Session, key: str, savepoint: SessionTransaction) -> list[_Entry]:
    """Remove and return the entries under ``key`` that were registered inside ``savepoint``."""
    entries = session.info.get(key)
    if not entries:
        return []
    inside = [entry for entry in entries if _within(entry[0], savepoint)]
    session.info[key] = [entry for entry in entries if not _within(entry[0], savepoint)]
    return inside


def _within(tag: SessionTransaction | None, savepoint: SessionTransaction) -> bool:
    while tag is not None:
        if tag is savepoint:
            return True
        tag = tag.parent
    return False


def _run_all(entries: list[_Entry], failure: str) -> None:
    for _tag, action in entries:
        try:
            action()
        except Exception:
            log.exception(failure)
