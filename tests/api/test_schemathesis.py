"""Every operation of openapi.yaml called with inputs generated from its own description (schemathesis), with
valid tokens of several roles: none may answer with a server error. A few examples per operation keep it quick;
the bad-input tests elsewhere go deep where it matters."""
from __future__ import annotations

import schemathesis  # a test dependency: missing, the suite fails here rather than skipping the whole API's check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.db import unit_of_work
from workflows.demo_plans import seed_plans

EXAMPLES = 8
CALLERS = ("clerk", "supervisor", "schoolboss", "admin", "requester", "worker")


def test_no_operation_answers_with_a_server_error(api):
    runtime = api.app.extensions["houqin"]
    with unit_of_work(api.session_factory) as session:
        seed_plans(session, runtime.host, runtime.rules, school_id=api.school_id())
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api.app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22  # every documented operation

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), caller=st.sampled_from(CALLERS))
        def call(case, caller):
            response = case.call(headers={"Authorization": f"Bearer {api.tokens[caller]}"})
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} as {caller}: {response.status_code}")

        call()
    assert failures == []
