"""The restricted script environment: registered helpers work, escapes fail at run time too.

Deploy-time lint refuses what can be seen in the source (imports, dunders: see
test_deployments.py); these probes compile fine and must still be stopped when they run.
"""
from __future__ import annotations

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.scripting import ScriptRejected, compile_expression, compile_script

RUNTIME_PROBES = {
    "open": "open('/etc/passwd').read()",
    "compile": "compile('1', 'f', 'eval')",
    "globals": "globals()",
    "vars": "vars()",
    "locals": "locals()",
    "type": "type(1)",
    "getattr": "getattr(1, 'real')",
    "str.format walks attributes": "'{0.__class__.__mro__}'.format(1)",
    "str.format_map": "'{x.__class__}'.format_map({'x': 1})",
    "setattr on a helper": "setattr(notify, 'hacked', True)",
    "print": "print('leak')",
    "input": "input()",
    "memoryview": "memoryview(b'x')",
}


@pytest.fixture(scope="module")
def env():
    """The environment the bootstrap wires (real registry and helpers); no database is touched."""
    from workflows.bootstrap import bootstrap

    runtime = bootstrap(database_url="sqlite://")
    yield runtime.host.script_engine.environment
    runtime.db_engine.dispose()


@pytest.mark.parametrize("source", RUNTIME_PROBES.values(), ids=RUNTIME_PROBES.keys())
def test_probe_compiles_but_is_stopped_when_evaluated(env, source):
    compile_expression(source)  # lint cannot see these: they are ordinary calls
    with pytest.raises(Exception) as caught:
        env.evaluate(source, {})
    assert not isinstance(caught.value, ScriptRejected)


@pytest.mark.parametrize("source", RUNTIME_PROBES.values(), ids=RUNTIME_PROBES.keys())
def test_probe_is_stopped_inside_a_script_and_leaves_no_result(env, source):
    context = {"note": "kept"}
    with pytest.raises(Exception):
        env.execute(f"result = {source}", context)
    assert "result" not in context


@pytest.mark.parametrize("source", [
    "import os", "from os import path", "__import__('os')", "().__class__.__bases__[0].__subclasses__()",
    "x = notify.__globals__", "x = (i for i in ()).gi_frame.f_globals", "x = f'{note.__class__}'",
    "__builtins__['open']", "exec_ = note._private", "eval('1 + 1')", "exec('x = 1')", "breakpoint()",
])
def test_compile_time_rejections(source):
    with pytest.raises(ScriptRejected):
        compile_script(source)


def test_helpers_and_safe_builtins_work(env):
    context = {"items": [3, 1, 2]}
    env.execute("total = sum(items)\nordered = sorted(items)\nlate = rule_duration('repair.work.overdue_after')\n"
                "total += 1", context)
    assert (context["total"], context["ordered"], context["late"]) == (7, [1, 2, 3], "PT12H")
    assert "rule_duration" not in context and "__builtins__" not in context, "helpers must not leak into task data"
    assert env.evaluate("max(items) if note == 'x' else min(items)", {"items": [4, 5], "note": "x"}) == 5


def test_a_probe_in_a_diagram_is_refused_at_deploy_and_stopped_at_run_time(rt, env, tmp_path):
    from engine.errors import DeploymentError

    target = tmp_path / "pwned"
    with pytest.raises(DeploymentError) as refused:
        rt.deploy_scenario("script_step", SCRIPT_BODY=f"result = open({str(target)!r}, 'w').write('x')")
    [problem] = refused.value.problems
    assert problem.element.startswith("compute") and problem.line and "'open'" in problem.message
    with pytest.raises(NameError):  # and were it deployed some other way, the run has no ``open`` either
        env.execute(f"result = open({str(target)!r}, 'w')", {})
    assert not target.exists()


@pytest.mark.parametrize("body, named", [
    ("result = getattr(note, 'upper')()", "getattr"), ("result = vars()", "vars"), ("result = type(note)", "type"),
    ("result = eval_later(note)", "eval_later"), ("result = pow(7, 10**6)", None),
])
def test_deploy_refuses_names_outside_the_helpers_and_safe_builtins(rt, body, named):
    from engine.errors import DeploymentError

    if named is None:  # pow is a safe builtin, but bounded like **
        rt.deploy_scenario("script_step", SCRIPT_BODY=body)
        assert "more than" in (rt.instance(rt.start("script_step", data={"note": "x"})).error or "")
        return
    with pytest.raises(DeploymentError, match=repr(named)):
        rt.deploy_scenario("script_step", SCRIPT_BODY=body)


def test_string_format_escape_in_a_deployed_diagram_is_stopped(rt):
    rt.deploy_scenario("script_step", SCRIPT_BODY="result = '{0.__class__.__init__.__globals__}'.format(note)")
    iid = rt.start("script_step", data={"note": "hello"})
    inst = rt.instance(iid)
    assert inst.status == "error" and "format" in inst.error
    assert "__globals__" not in str(rt.workflow(iid).get_tasks(state=TaskState.ERROR)[0].data.get("result", ""))


def test_data_is_never_evaluated_as_code(rt, people, tmp_path):
    """A timer reads ``job_due`` from submitted data; a string of code there stays a string."""
    target = tmp_path / "pwned"
    rt.deploy_scenario("timer_task")
    audit_before = len(rt.audit())
    with pytest.raises(ValueError, match="neither an ISO 8601 duration nor an instant"):
        rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": f"__import__('os').system('touch {target}')"})
    assert not target.exists()
    assert len(rt.audit()) == audit_before and rt.tasks() == []


def test_registered_service_handler_runs_with_evaluated_parameters(rt):
    @rt.registry.service("double", "Multiply by two")
    def double(params):
        return params["number"] * 2

    rt.deploy_scenario("service_call", OPERATOR="double")
    iid = rt.start("service_call", data={"number": 21})

    inst = rt.instance(iid)
    assert inst.status == "completed", inst.error
    assert rt.data(iid)["answer"] == 42
    assert [e.task_name for e in rt.audit(iid, "step.completed")] == ["Start", "Call out", "Done"]


def test_failing_service_handler_puts_the_instance_in_error(rt):
    @rt.registry.service("explode", "Always fails")
    def explode(params):
        raise ValueError("backend said no")

    rt.deploy_scenario("service_call", OPERATOR="explode")
    iid = rt.start("service_call", data={"number": 1})

    inst = rt.instance(iid)
    assert inst.status == "error" and "backend said no" in inst.error
    [error] = rt.audit(iid, "instance.error")
    assert "service explode failed" in error.details["error"]
