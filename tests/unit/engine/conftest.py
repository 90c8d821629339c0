"""Fixtures the engine tests share."""
from __future__ import annotations

import pytest


@pytest.fixture
def job(rt, people, clock):
    """A running timer_task instance assigned to the worker; returns (instance id, task id)."""
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", business_key="WO-1", school_id=people.school_id,
                   data={"worker_id": people.worker_id, "job_due": "PT12H"})
    return iid, rt.task(iid, "do_job").id
