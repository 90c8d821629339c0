"""Generated schools with a long repair history, written straight into the database in bulk.

Benchmarks and large demos need hundreds of thousands of orders; driving each through the engine would take
hours. Closed orders are rows (order, rating, callbacks, rectifications, colour changes, timeline) drawn from the
same lives as the demo history (:mod:`workflows.demo_lives`), received mostly in working hours and on weekdays,
each ended before now. Open orders must sit in real inboxes: a few per school are driven through the engine to each waiting
step (review, take the job, do the repair), and the rest are copies of those with their own order, worker and task
ids, so every inbox row belongs to a genuine waiting workflow. PostgreSQL is written with COPY, SQLite with
multi-row inserts, one transaction per chunk so a long run keeps what it has written.
"""
from __future__ import annotations

import json
import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from engine.clock import now
from engine.db import unit_of_work
from engine.host import Host
from engine.models import HumanTask, ProcessInstance
from workflows.acting import complete_as
from workflows.demo import create_school
from workflows.demo_history import ROW_TABLES, numbered, order_row, outcome_rows
from workflows.demo_lives import Story, draw, draw_ended, receipt_times
from workflows.demo_people import PASSWORD, Staff, school_people, staff
from workflows.demo_tasks import do_oldest
from workflows.people.enums import Role
from workflows.people.models import School, User
from workflows.people.service import actor_for, create_user
from workflows.people.timezone import school_zone
from workflows.repair.models import WorkOrder
from workflows.repair.service import create_order

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime

STAGES = {"repair_review": 0.4, "repair_accept": 0.2, "repair_complete": 0.4}  # the form open orders wait at, by share
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Volume:
    """How much to generate: ``orders`` in all, shared evenly between ``schools``, received over ``days``."""

    schools: int = 1
    orders: int = 10_000
    days: int = 365
    open_share: float = 0.03
    workers_per_team: int = 6
    requesters: int = 2000
    seed: int = 1
    chunk: int = 20_000
    timeline: bool = True  # the audit rows of each closed order's steps (most of the rows written)


@dataclass
class Generated:
    schools: list[str] = field(default_factory=list)
    orders: int = 0
    open_orders: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def generate(runtime: Runtime, *, volume: Volume = Volume(), progress: Callable[[str], None] = lambda _m: None) -> Generated:
    """Generate ``volume`` into the runtime's database; return what was written. New schools are added next to
    existing ones (codes ``gen0001``, ``gen0002``, ...), so running it twice doubles the data."""
    started = time.perf_counter()
    host = runtime.host
    rng = random.Random(volume.seed)
    done = Generated()
    with unit_of_work(host.session_factory) as session:
        first = (session.scalar(select(func.count(School.id)).where(School.code.like("gen%"))) or 0) + 1
    per_school = [volume.orders // volume.schools + (n < volume.orders % volume.schools) for n in range(volume.schools)]
    for n, orders in enumerate(per_school, start=first):
        code = f"gen{n:04d}"
        who = _school(host, code, volume)
        opened = round(orders * volume.open_share)
        _closed_history(runtime, rng, who, orders - opened, volume, done)
        _open_orders(runtime, rng, who, opened, done)
        done.schools.append(code)
        progress(f"{code}: {orders} orders ({opened} open) after {time.perf_counter() - started:.0f} s")
    done.seconds = time.perf_counter() - started
    return done


STAFF_LOGINS = {Role.auditor: "auditor", Role.repair_centre: "repair", Role.clerk: "clerk",  # who acts on orders,
                Role.deputy_leader: "deputy", Role.main_leader: "leader"}  # named as the demo's users are


def _school(host: Host, code: str, volume: Volume) -> Staff:
    """A new school with its auditor, repair centre, chasers, workers and requesters."""
    with unit_of_work(host.session_factory) as session:
        setup = create_school(session, code=code, name=f"生成学院 {code}")
        for role, login in STAFF_LOGINS.items():
            create_user(session, username=f"{code}-{login}", password=PASSWORD, display_name=f"{code} {login}",
                        school_id=setup.school_id, roles=[(role, setup.company_id)])
        requesters, workers = school_people(session, setup.school_id, workers_per_team=volume.workers_per_team,
                                            requesters=volume.requesters, prefix=f"{code}-r")
        return staff(session, setup.school_id, requesters, workers)


# --- closed history --------------------------------------------------------------------------------------------

def _closed_history(runtime: Runtime, rng: random.Random, who: Staff, count: int, volume: Volume, done: Generated) -> None:
    host = runtime.host
    until = now()
    with unit_of_work(host.session_factory) as session:
        zone = school_zone(session, who.school_id)
        rules = runtime.rules.book(session, who.school_id)
    times = receipt_times(rng, end=until - timedelta(days=1), days=volume.days, count=count, zone=zone)
    numbers = numbered(times, {}, zone)
    for start in range(0, len(numbers), volume.chunk):
        with unit_of_work(host.session_factory) as session:
            chunk = list(zip(times[start:start + volume.chunk], numbers[start:start + volume.chunk], strict=True))
            lives = [draw_ended(rng, who, rules, created, until=until) for created, _number in chunk]
            orders = [order_row(life, number) for life, (_created, number) in zip(lives, chunk, strict=True)]
            ids = reserve_ids(session, WorkOrder, len(orders))
            rows: dict[str, list[dict]] = {key: [] for key in ROW_TABLES}
            for life, order, order_id in zip(lives, orders, ids, strict=True):
                order["id"] = order_id
                outcome_rows(life, order_id, order["number"], who, rules, rows)
            write_rows(session, WorkOrder, orders)
            for key, table in ROW_TABLES.items():
                if key == "audit" and not volume.timeline:
                    continue
                write_rows(session, table, rows[key])
                done.rows[key] = done.rows.get(key, 0) + len(rows[key])
        done.orders += len(orders)


# --- open orders: real waiting workflows -------------------------------------------------------------------------

def _open_orders(runtime: Runtime, rng: random.Random, who: Staff, count: int, done: Generated) -> None:
    """Drive one order per team to each waiting step through the engine, then copy those ``count`` times."""
    if not count:
        return
    templates = [(stage, _template(runtime, rng, who, team, stage)) for team in who.workers for stage in STAGES]
    stage_weights = [STAGES[stage] for stage, _order in templates]
    picks = rng.choices(templates, weights=stage_weights, k=count - len(templates))
    at = now()
    for start in range(0, len(picks), 5000):
        with unit_of_work(runtime.host.session_factory) as session:
            _copies(session, rng, who, picks[start:start + 5000], at)
    done.orders += count
    done.open_orders += count


def _template(runtime: Runtime, rng: random.Random, who: Staff, team: int, stage: str) -> int:
    """An order of ``team``'s catalogue taken through the engine, one transaction per step as people would,
    until it waits at the task of form ``stage``; its id."""
    host = runtime.host
    with unit_of_work(host.session_factory) as session:
        life = draw(rng, who, runtime.rules.book(session, who.school_id), now(), until=now(),
                    story=Story(ago=timedelta(), waits_for=stage), items=[i for i in who.items if i.default_team_id == team])
        order = create_order(session, host, school_id=who.school_id, intake=life.intake, uploads_dir=runtime.uploads_dir)
        number, order_id = order.number, order.id
    for step in life.steps:
        with unit_of_work(host.session_factory) as session:
            if not do_oldest(session, partial(complete_as, runtime), school_id=who.school_id, business_key=number,
                             which=HumanTask.form_key == step.form_key,
                             doer=actor_for(session, session.get_one(User, step.user_id)), data=step.data):
                raise LookupError(f"order {number} has no {step.form_key} task waiting for its person")
    return order_id


def _copies(session: Session, rng: random.Random, who: Staff, picks: list[tuple[str, int]], at: datetime) -> None:
    """Copies of template orders: each its own order row, instance (fresh task ids, its own order and worker
    in the workflow data) and inbox rows."""
    templates = {order_id: _template_rows(session, order_id) for order_id in {order_id for _stage, order_id in picks}}
    order_ids = reserve_ids(session, WorkOrder, len(picks))
    instance_ids = reserve_ids(session, ProcessInstance, len(picks))
    per_day: dict[str, int] = {}
    tasks: list[dict[str, Any]]
    orders, instances, tasks = [], [], []
    created_times = sorted(at - timedelta(seconds=rng.uniform(60, 3 * 86400)) for _ in picks)
    numbers = numbered(created_times, per_day, school_zone(session, who.school_id))
    for (_stage, template_id), order_id, instance_id, created, number in zip(
            picks, order_ids, instance_ids, created_times, numbers, strict=True):
        order, instance, task_rows = templates[template_id]
        worker = rng.choice(who.workers[order["team_id"]]).id if order["worker_id"] else None
        rebind = {"order_id": order_id, "worker_id": worker} if worker else {"order_id": order_id}
        requester = rng.choice(who.requesters)
        orders.append({**order, "id": order_id, "number": f"G{number}", "created_at": created, "worker_id": worker,
                       "instance_id": instance_id, "requester_id": requester.id,
                       "contact_name": requester.display_name, "contact_phone": requester.phone})
        state, task_ids = copy_state(instance["state"], rebind)
        instances.append({**instance, "id": instance_id, "business_key": f"G{number}", "state": state,
                          "started_at": created, "updated_at": created})
        tasks.extend({**row, "id": task_ids[row["id"]], "instance_id": instance_id, "business_key": f"G{number}",
                      "assignee_id": worker if row["assignee_id"] else None, "created_at": created}
                     for row in task_rows)
    write_rows(session, WorkOrder, orders)
    write_rows(session, ProcessInstance, instances)
    write_rows(session, HumanTask, tasks)


def _template_rows(session: Session, order_id: int) -> tuple[dict, dict, list[dict]]:
    order = session.get_one(WorkOrder, order_id)
    instance = session.get_one(ProcessInstance, order.instance_id)
    tasks = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    return _columns(order), _columns(instance), [_columns(task) for task in tasks]


def _columns(row: Any) -> dict:
    return {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs}


def copy_state(state: str, rebind: dict[str, int] | None = None) -> tuple[str, dict[str, str]]:
    """A workflow state with fresh task and subprocess ids (as a separately started instance would have) and
    ``rebind`` applied to every data value under those keys; also the mapping old id → new one."""
    ids: dict[str, str] = {}
    fresh = UUID.sub(lambda m: ids.setdefault(m.group(0), str(uuid.uuid4())), state)
    return (json.dumps(_rebound(json.loads(fresh), rebind), separators=(",", ":")) if rebind else fresh), ids


def _rebound(node: Any, rebind: dict[str, int]) -> Any:
    if isinstance(node, dict):
        return {key: rebind[key] if key in rebind and isinstance(value, int) else _rebound(value, rebind)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_rebound(value, rebind) for value in node]
    return node


# --- bulk writing -----------------------------------------------------------------------------------------------

def reserve_ids(session: Session, model: type[Any], count: int) -> list[int]:
    """``count`` primary keys for rows written later with explicit ids (COPY returns none)."""
    if not count:
        return []
    table = model.__table__.name
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                                         "FROM generate_series(1, :n)"), {"n": count}))
    first = (session.scalar(select(func.max(model.__table__.c.id))) or 0) + 1
    return list(range(first, first + count))


def write_rows(session: Session, model: type[Any], rows: list[dict]) -> None:
    """Insert ``rows`` (dicts of column values) into ``model``'s table: COPY on PostgreSQL, else executemany."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(model), rows)
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))
    json_columns = {c.key for c in model.__table__.columns if c.type.__class__.__name__ == "JSON"}
    driver = session.connection().connection.driver_connection
    if driver is None:
        raise RuntimeError("the database connection is closed")
    cursor = driver.cursor()
    with cursor.copy(f"COPY {model.__table__.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row.get(c), ensure_ascii=False) if c in json_columns else row.get(c) for c in columns])

