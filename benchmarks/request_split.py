"""Where one API task completion spends its time, part by part: the measured answer to "why not faster".

Drives whole repair lifecycles through ``/api/v1`` with Flask's test client in this process (routing, the token
check, JSON and the whole view run; only gunicorn's HTTP parsing is left out) on the benchmark's PostgreSQL, and
times each ``POST /tasks/{id}/complete`` in parts:

- **statements**: inside the driver's ``execute`` (the round trip and PostgreSQL's own work), counted too;
- **commit**: the durable commit (one WAL flush with ``synchronous_commit`` on);
- **engine**: the state loaded, the diagram run to its next wait (SpiffWorkflow and the diagram's helpers, the
  domain steps, less their statements), the state saved;
- **after commit**: what runs once the transaction is safe (messages queued in Redis for the worker);
- **host**: the rest: Flask, the token and permission checks, SQLAlchemy's ORM, the inbox rows, the answer.

Timers wrap the engine's own functions at their module level (``engine.advance``), so nothing in the product
changes for this measurement. Prints p50 and p95 of each part and of their sum.
"""
from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from runtime import percentile
from sqlalchemy import event

from engine import advance, aftercommit


class School(Protocol):
    """What the client knows of the school (``api.School``): a bearer token per role, the campus and item it reports."""

    tokens: dict[str, str]
    campus_id: int
    item_id: int


PARTS = ("statements", "commit", "engine", "after commit", "host")


class Split:
    """Seconds spent in each part during the request being timed."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = defaultdict(float)
        self.statements = 0

    def add(self, part: str, seconds: float) -> None:
        self.parts[part] += seconds


@contextmanager
def _timed(module: Any, name: str, part: str, current: list[Split]) -> Iterator[None]:
    """Wrap ``module.name`` so its time counts to ``part`` of the request being timed, less the statements it ran
    (a diagram's helpers read and write the database: that time stays the statements'); unwrap after."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        split = current[0]
        started, in_statements = time.perf_counter(), split.parts["statements"]
        try:
            return original(*args, **kwargs)
        finally:
            split.add(part, time.perf_counter() - started - (split.parts["statements"] - in_statements))

    setattr(module, name, wrapped)
    try:
        yield
    finally:
        setattr(module, name, original)


def measure(url: str, data_dir: Path, redis_url: str, school: School, lifecycles: int,
            steps: Callable[[int], list[tuple[str, str, dict[str, Any]]]]) -> None:
    """Time every task completion of ``lifecycles`` repair orders (``steps(n)`` are the n-th order's) and print the
    parts' p50/p95."""
    from webapp import create_app
    from webapp.config import Settings

    app = create_app(settings=Settings(database_url=url, redis_url=redis_url, secret_key="bench", data_dir=data_dir))
    db_engine = app.extensions["houqin"].db_engine
    current = [Split()]
    started_at: dict[int, float] = {}

    @event.listens_for(db_engine, "before_cursor_execute")
    def _before(conn: Any, *_args: Any) -> None:
        started_at[id(conn)] = time.perf_counter()

    @event.listens_for(db_engine, "after_cursor_execute")
    def _after(conn: Any, *_args: Any) -> None:
        current[0].add("statements", time.perf_counter() - started_at.pop(id(conn)))
        current[0].statements += 1

    dialect = db_engine.dialect
    client = app.test_client()
    splits: list[tuple[float, Split]] = []

    def call(method: str, path: str, who: str, body: dict[str, Any], timed: bool) -> Any:
        current[0] = Split()
        begun = time.perf_counter()
        response = client.open(f"/api/v1{path}", method=method, json=body,
                               headers={"Authorization": f"Bearer {school.tokens[who]}"})
        total = time.perf_counter() - begun
        assert response.status_code < 300, (path, response.get_json())
        if timed:
            splits.append((total, current[0]))
        return response.get_json()

    with (_timed(dialect, "do_commit", "commit", current), _timed(advance, "_load", "engine", current),
          _timed(advance, "_run_engine", "engine", current), _timed(advance, "dumps", "engine", current),
          _timed(aftercommit, "_run_all", "after commit", current)):
        for number in range(lifecycles):
            answer = call("POST", "/orders", "requester", {
                "contact_name": "压测", "contact_phone": "13800000000", "campus_id": school.campus_id,
                "catalogue_item_id": school.item_id, "description": "time split"}, timed=False)
            for name, who, data in steps(number):
                task = next(t for t in answer["open_tasks"] if t["name"] == name)
                answer = call("POST", f"/tasks/{task['id']}/complete", who, {"data": data}, timed=number > 0)
    db_engine.dispose()
    _report(splits)


def _report(splits: list[tuple[float, Split]]) -> None:
    def p(values: list[float], q: float) -> float:  # in milliseconds
        return percentile(values, q) * 1000

    totals = [total for total, _ in splits]
    columns = {part: [split.parts[part] for _, split in splits] for part in PARTS[:-1]}
    columns["host"] = [total - sum(split.parts[part] for part in PARTS[:-1]) for total, split in splits]
    floor = [sum(split.parts[part] for part in ("statements", "commit", "engine")) for _, split in splits]
    statements = statistics.mean(split.statements for _, split in splits)
    print(f"task completion in parts ({len(splits)} completions in-process, {statements:.1f} statements each): "
          f"whole p50 {p(totals, .5):.1f} ms, p95 {p(totals, .95):.1f} ms")
    print("  " + ";  ".join(f"{part} p50 {p(values, .5):.1f} / p95 {p(values, .95):.1f} ms "
                            f"({sum(values) / sum(totals):.0%})" for part, values in columns.items()))
    print(f"  statements + commit + engine together: p50 {p(floor, .5):.1f} ms, p95 {p(floor, .95):.1f} ms")
