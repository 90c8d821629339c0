"""The demo's orders still under way, replayed through the engine at the moments their steps happened.

An open order must be a genuine waiting workflow: its tasks in the right inboxes, its reminders, colours and
chase tasks made by the engine's own timers from the diagram in force. So each one is reported, reviewed,
dispatched, taken, done, rated … by the demo's people through the routines the pages use, each at its own past
moment, and its timers are woken at the instants they fall due, up to now. The engine reads the time through
:func:`engine.clock.now`, but SpiffWorkflow calls ``datetime.now`` itself, so the clock is moved with
time-machine: nothing else makes the whole engine believe it is then. This module and the demo's complaints
(:mod:`workflows.demo_complaints`) are the only ones outside the tests that move the clock; both fire timers
through :func:`workflows.demo_clock.wake_due`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import time_machine

from engine.db import unit_of_work
from engine.host import Host
from engine.models import HumanTask, ProcessInstance
from workflows.acting import complete_as
from workflows.demo_clock import wake_due
from workflows.demo_lives import Life, Step
from workflows.demo_tasks import do_oldest
from workflows.people.models import User
from workflows.people.service import actor_for
from workflows.repair.service import create_order

if TYPE_CHECKING:
    from workflows.bootstrap import Runtime


@dataclass
class Replayed:
    """What a replay did: the steps done, and the steps left undone (``number form_key``)."""

    done: int = 0
    left: list[str] = field(default_factory=list)


def replay(runtime: Runtime, lives: Sequence[Life], *, until: datetime) -> Replayed:
    """Drive each life through the engine up to ``until`` (oldest first)."""
    replayed = Replayed()
    for life in sorted(lives, key=lambda life: life.received):
        with time_machine.travel(life.received, tick=False) as clock:
            with unit_of_work(runtime.host.session_factory) as session:
                order = create_order(session, runtime.host, school_id=life.school_id, intake=life.intake,
                                     uploads_dir=runtime.uploads_dir)
                number, instance_id = order.number, order.instance_id
            assert instance_id is not None  # create_order starts the order's process
            for step in life.steps:
                if step.at > until:
                    break
                _wake_until(runtime.host, clock, instance_id, step.at)
                clock.move_to(step.at)
                if _do(runtime, life.school_id, number, step):
                    replayed.done += 1
                else:
                    replayed.left.append(f"{number} {step.form_key}")
            _wake_until(runtime.host, clock, instance_id, until)
    return replayed


def _do(runtime: Runtime, school_id: int, number: str, step: Step) -> bool:
    """The step's person completes the order's oldest open task of the step's form. A task the diagram in force
    does not have waiting then (a chase that ended with the job), or that the task policy does not give that
    person, is left undone, as it would be on the pages; False then."""
    with unit_of_work(runtime.host.session_factory) as session:
        return do_oldest(session, partial(complete_as, runtime), school_id=school_id, business_key=number,
                         which=HumanTask.form_key == step.form_key,
                         doer=actor_for(session, session.get_one(User, step.user_id)), data=step.data)


def _wake_until(host: Host, clock: time_machine.Traveller, instance_id: int, until: datetime) -> None:
    with unit_of_work(host.session_factory) as session:
        wake_due(session, host, clock, until, ProcessInstance.id == instance_id)
