"""The time and size budget of diagram scripts and expressions, and of the state an instance may keep.

A diagram is edited in the browser by process owners; a script such as ``while True: pass`` must not hold a
request or a worker, and ``"a" * 10**8`` must not build a 100 MB string or store it. Scripts run under a
line tracer that stops them after :data:`SECONDS` (only frames compiled from diagrams are traced, so the
host's own code runs at full speed); the operators that can make a value huge in one step (``*``, ``**``,
``<<``) go through guards that check the size first; and an instance whose saved state would exceed
:data:`MAX_STATE_BYTES` is refused.
"""
from __future__ import annotations

import ast
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from RestrictedPython.transformer import RestrictingNodeTransformer

FILENAME = "<diagram>"  # the file name every diagram snippet is compiled under; only these frames are traced
SECONDS = 2.0  # one script or expression
MAX_ITEMS = 100_000  # a string, list or tuple made by repetition
MAX_INT_BITS = 10_000  # an integer made by ** or <<
MAX_STATE_BYTES = 2_000_000  # an instance's saved state


class ScriptTooCostly(RuntimeError):
    """A diagram script ran out of its time budget or tried to build a value beyond its size budget."""


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


def guarded_mul(left: Any, right: Any) -> Any:
    """``left * right``, refused when it would repeat a sequence beyond :data:`MAX_ITEMS`."""
    for seq, times in ((left, right), (right, left)):
        if _sized(seq) and isinstance(times, int) and _sized(seq) * max(times, 0) > MAX_ITEMS:
            raise ScriptTooCostly(f"a value of more than {MAX_ITEMS} items is not allowed in diagram scripts")
    return left * right


def guarded_pow(base: Any, exponent: Any) -> Any:
    """``base ** exponent``, refused when an integer result would exceed :data:`MAX_INT_BITS`."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if abs(base).bit_length() * exponent > MAX_INT_BITS:
            raise ScriptTooCostly(f"a number of more than {MAX_INT_BITS} bits is not allowed in diagram scripts")
    return base ** exponent


def guarded_lshift(value: Any, shift: Any) -> Any:
    if isinstance(value, int) and isinstance(shift, int) and value.bit_length() + shift > MAX_INT_BITS:
        raise ScriptTooCostly(f"a number of more than {MAX_INT_BITS} bits is not allowed in diagram scripts")
    return value << shift


GUARDS = {"_mul_": guarded_mul, "_pow_": guarded_pow, "_lshift_": guarded_lshift}
_GUARDED_OPS = {ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_"}


class BudgetTransformer(RestrictingNodeTransformer):  # type: ignore[misc]  # RestrictedPython ships no type hints here
    """RestrictedPython's policy, with the size-growing operators routed through :data:`GUARDS`."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        guard = _GUARDED_OPS.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


@contextmanager
def time_budget(seconds: float = SECONDS) -> Iterator[None]:
    """Stop any diagram frame that runs past ``seconds`` from now (nested budgets keep the outer deadline)."""
    previous = sys.gettrace()
    deadline = time.monotonic() + seconds

    steps = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal steps
        steps += 1
        if steps % 256 == 0 and time.monotonic() > deadline:
            raise ScriptTooCostly(f"a diagram script ran longer than {seconds:g} s and was stopped")
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename == FILENAME:
            frame.f_trace_opcodes = True  # a loop on one line (``while True: pass``) raises no line events
            return local
        return previous(frame, event, arg) if previous is not None else None

    if previous is not None and getattr(previous, "houqin_budget", False):
        yield  # already inside a budget (an expression evaluated by a script's helper)
        return
    tracer.houqin_budget = True  # type: ignore[attr-defined]
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


def check_state_size(state: str) -> None:
    """Refuse a saved state beyond :data:`MAX_STATE_BYTES` (raises :class:`StateTooLarge`)."""
    size = len(state.encode("utf-8"))
    if size > MAX_STATE_BYTES:
        raise StateTooLarge(f"the process data would grow to {size / 1_000_000:.1f} MB, more than the "
                            f"{MAX_STATE_BYTES / 1_000_000:.0f} MB allowed; a diagram script stores too much")


class StateTooLarge(ScriptTooCostly):
    """The instance's data would exceed its size budget; nothing of the step is saved."""
