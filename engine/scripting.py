"""Restricted script environment for diagram scripts, conditions and timer expressions.

SpiffWorkflow evaluates every expression with plain ``eval``/``exec``; a diagram could import
``os`` or escape through ``().__class__.__subclasses__()``. Here every snippet is compiled with
RestrictedPython's ``compile_restricted_*`` (which rejects dunder access at compile time) and run
with guarded builtins, no ``__import__``, no ``open``, and only the helpers the domain registered, within the
time and size budget of :mod:`engine.script_limits`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from types import CodeType
from typing import TYPE_CHECKING, Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import full_write_guard, guarded_iter_unpack_sequence, guarded_unpack_sequence, safer_getattr
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine import context as advance_context
from engine import script_limits
from engine.registry import Registry

if TYPE_CHECKING:
    from SpiffWorkflow.task import Task

_EXTRA_BUILTINS = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("min", "max", "sum", "any", "all", "enumerate", "dict", "list", "sorted", "reversed", "map", "filter", "round", "abs")
}


# names a diagram may never use, even where a library's "safe" builtins would offer them: they reach files, code,
# attributes by computed name, or the interpreter itself
UNSAFE_NAMES = frozenset({
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr", "vars", "type", "globals", "locals",
    "__import__", "__build_class__", "input", "breakpoint", "dir", "help", "memoryview", "object", "super",
    "classmethod", "staticmethod", "property", "exit", "quit", "print",
})


def script_builtins() -> frozenset[str]:
    """The builtin names diagram code may use."""
    return frozenset(name for name in _base_globals()["__builtins__"] if not name.startswith("_"))


class ScriptRejected(SyntaxError):
    """The snippet uses something diagrams may not (imports, dunders, exec…)."""


def _base_globals() -> dict[str, Any]:
    builtins = dict(safe_builtins)
    builtins.update(limited_builtins)
    builtins.update(_EXTRA_BUILTINS)
    for name in UNSAFE_NAMES:
        builtins.pop(name, None)
    builtins["pow"] = script_limits.guarded_pow
    return {
        "__builtins__": builtins,
        "_getattr_": safer_getattr,
        "_getitem_": default_guarded_getitem,
        "_getiter_": default_guarded_getiter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_print_": None,
        "_inplacevar_": _inplacevar,
        **script_limits.GUARDS,
    }


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    ops = {"+=": lambda: x + y, "-=": lambda: x - y, "*=": lambda: script_limits.guarded_mul(x, y), "/=": lambda: x / y,
           "//=": lambda: x // y, "%=": lambda: x % y}
    if op not in ops:
        raise ScriptRejected(f"operator {op} is not allowed in diagram scripts")
    return ops[op]()


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> CodeType:
    result = compile_restricted_eval(source.strip(), filename=script_limits.FILENAME, policy=script_limits.BudgetTransformer)
    if result.errors or result.code is None:  # no code comes without errors
        raise ScriptRejected("; ".join(result.errors))
    return result.code


@lru_cache(maxsize=2048)
def compile_script(source: str) -> CodeType:
    if "import" in source:
        import ast

        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                raise ScriptRejected(f"Line {node.lineno}: import is not allowed in diagram scripts")
    result = compile_restricted_exec(source, filename=script_limits.FILENAME, policy=script_limits.BudgetTransformer)
    if result.errors or result.code is None:  # no code comes without errors
        raise ScriptRejected("; ".join(result.errors))
    return result.code


class RestrictedEnvironment(TaskDataEnvironment):  # type: ignore[misc]  # SpiffWorkflow ships no type hints
    """Evaluates against ``helpers ∪ task data`` using restricted byte code."""

    def __init__(self, helpers: dict[str, Any]) -> None:
        super().__init__(helpers)
        self._base = _base_globals()

    def evaluate(self, expression: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> Any:
        scope = dict(self._base)
        scope.update(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        with advance_context.evaluating(context), script_limits.time_budget():
            return eval(compile_expression(expression), scope)

    def execute(self, script: str, context: dict[str, Any], external_context: dict[str, Any] | None = None) -> bool:
        self.check_for_overwrite(context, external_context or {})
        code = compile_script(script)
        context.update(self._base)
        context.update(self.globals)
        context.update(external_context or {})
        try:
            with advance_context.evaluating(context), script_limits.time_budget():
                exec(code, context)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
            for key in self._base:
                context.pop(key, None)
        return True


class HostScriptEngine(PythonScriptEngine):  # type: ignore[misc]  # SpiffWorkflow ships no type hints
    """Script engine bound to one registry: restricted evaluation plus registered service handlers."""

    def __init__(self, registry: Registry) -> None:
        super().__init__(environment=RestrictedEnvironment(registry.script_globals()))
        self.registry = registry

    def call_service(self, task: Task, operation_name: str | None = None, operation_params: dict[str, Any] | None = None,
                     **_kw: Any) -> str:
        handler = self.registry.services.get(operation_name) if operation_name is not None else None
        if handler is None:
            raise WorkflowTaskException(f"unknown service handler {operation_name!r}", task=task)
        params = {name: p["value"] for name, p in (operation_params or {}).items()}
        try:
            result = handler.func(params)
        except Exception as err:
            raise WorkflowTaskException(f"service {operation_name} failed: {err}", task=task, exception=err) from err
        return json.dumps(result)
