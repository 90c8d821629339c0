"""After-commit work waits for the outermost commit: a released or rolled-back savepoint neither runs nor drops it."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from engine import aftercommit


def test_deferred_work_runs_once_after_the_outer_commit_not_after_a_savepoint():
    ran: list[str] = []
    with Session(create_engine("sqlite://")) as session:
        session.execute(text("select 1"))
        aftercommit.defer(session, lambda: ran.append("first"))
        with session.begin_nested():
            session.execute(text("select 1"))
        assert ran == []  # the savepoint was released, the transaction is still open
        try:
            with session.begin_nested():
                raise ValueError("refused inside the savepoint")
        except ValueError:
            pass
        aftercommit.defer(session, lambda: ran.append("second"))  # the work before the savepoint still stands
        assert ran == []
        session.commit()
    assert ran == ["first", "second"]


def test_a_rolled_back_transaction_drops_its_deferred_work():
    ran: list[str] = []
    with Session(create_engine("sqlite://")) as session:
        session.execute(text("select 1"))
        aftercommit.defer(session, lambda: ran.append("never"))
        session.rollback()
        session.commit()
    assert ran == []


def test_work_outside_the_database_is_undone_unless_the_outer_transaction_commits():
    undone: list[str] = []
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        session.execute(text("select 1"))
        aftercommit.undo_unless_committed(session, lambda: undone.append("kept"))
        try:
            with session.begin_nested():
                raise ValueError("a savepoint rolled back: the outer transaction still decides")
        except ValueError:
            pass
        session.commit()
    assert undone == []
    for ending in ("rollback", "close"):
        session = Session(engine)
        session.execute(text("select 1"))
        aftercommit.undo_unless_committed(session, lambda ending=ending: undone.append(ending))
        getattr(session, ending)()
        session.close()
    assert undone == ["rollback", "close"]


def test_work_deferred_in_a_transaction_that_was_only_closed_never_runs_later():
    ran: list[str] = []
    session = Session(create_engine("sqlite://"))
    session.execute(text("select 1"))
    aftercommit.defer(session, lambda: ran.append("stale"))
    session.close()
    session.execute(text("select 1"))
    session.commit()
    assert ran == []


def test_what_a_rolled_back_savepoint_registered_is_dropped_or_undone_and_the_rest_stands():
    ran: list[str] = []
    with Session(create_engine("sqlite://")) as session:
        session.execute(text("select 1"))
        aftercommit.defer(session, lambda: ran.append("before"))
        try:
            with session.begin_nested():
                aftercommit.defer(session, lambda: ran.append("never"))
                aftercommit.undo_unless_committed(session, lambda: ran.append("file removed"))
                with session.begin_nested():  # released inside the one that rolls back: goes with it
                    aftercommit.defer(session, lambda: ran.append("never either"))
                raise ValueError("refused inside the savepoint")
        except ValueError:
            pass
        assert ran == ["file removed"]
        with session.begin_nested():
            aftercommit.undo_unless_committed(session, lambda: ran.append("kept file removed"))
            aftercommit.defer(session, lambda: ran.append("released"))
        session.commit()
    assert ran == ["file removed", "before", "released"]
