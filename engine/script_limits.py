"""The time and size budget of diagram scripts and expressions, and of the state an instance may keep.

A diagram is edited in the browser by process owners; a script such as ``while True: pass`` must not hold a
request or a worker, and ``"a" * 10**8`` must not build a 100 MB string or store it. A watchdog thread stops
a script after :data:`SECONDS` (at a point in the diagram's own code, never inside a host helper); the
operators that can make a value huge in one step (``*``, ``**``, ``<<``) go through guards that check the size
first; and an instance whose saved state would exceed :data:`MAX_STATE_BYTES` is refused.
"""
from __future__ import annotations

import ast
import ctypes
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from RestrictedPython.transformer import RestrictingNodeTransformer

from engine.errors import StateTooLarge

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


class BudgetTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy, with the size-growing operators routed through :data:`GUARDS`."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        node = self.node_contents_visit(node)
        guard = _GUARDED_OPS.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.fix_missing_locations(ast.copy_location(call, node))


class ScriptTimedOut(ScriptTooCostly):
    """Raised inside a diagram script that ran past its budget (by :class:`_Watchdog`, with no arguments)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or f"a diagram script ran longer than {SECONDS:g} s and was stopped")


class _Watchdog:
    """One daemon thread that stops diagram scripts running past their deadline.

    Costs nothing while scripts run (no tracing): the thread sleeps until the earliest deadline, then raises
    :class:`ScriptTimedOut` in a late thread, but only while that thread is executing diagram code (its current
    frame was compiled from a diagram); inside a host helper it waits for the script to return to its own code,
    so the host's work (a database flush) is never cut in half.
    """

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._deadlines: dict[int, float] = {}
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None

    @contextmanager
    def budget(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        with self._lock:
            if ident in self._deadlines:  # nested (an expression evaluated within a script): the outer deadline holds
                outer = True
            else:
                outer = False
                self._deadlines[ident] = time.monotonic() + seconds
                self._start()
                self._lock.notify()
        try:
            yield
        finally:
            if not outer:
                with self._lock:
                    del self._deadlines[ident]
                    if ident in self._fired:  # raised too late to land: do not let it surface in host code
                        self._fired.discard(ident)
                        _raise_in(ident, None)

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="houqin-script-watchdog", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        with self._lock:
            while True:
                pending = {i: d for i, d in self._deadlines.items() if i not in self._fired}
                if not pending:
                    self._lock.wait()
                    continue
                now = time.monotonic()
                for ident, deadline in pending.items():
                    frame = sys._current_frames().get(ident) if deadline <= now else None
                    if frame is not None and frame.f_code.co_filename == FILENAME:
                        self._fired.add(ident)
                        _raise_in(ident, ScriptTimedOut)
                waits = [d - now for i, d in pending.items() if d > now]
                self._lock.wait(min(waits) if waits and len(waits) == len(pending) else 0.01)


def _raise_in(ident: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exc) if exc else None)


_WATCHDOG = _Watchdog()


def time_budget(seconds: float | None = None) -> AbstractContextManager[None]:
    """Stop the diagram code run inside this block once it has taken ``seconds`` (default :data:`SECONDS`)."""
    return _WATCHDOG.budget(SECONDS if seconds is None else seconds)


def check_state_size(state: str) -> None:
    """Refuse a saved state beyond :data:`MAX_STATE_BYTES` (raises :class:`~engine.errors.StateTooLarge`)."""
    size = len(state.encode("utf-8"))
    if size > MAX_STATE_BYTES:
        raise StateTooLarge(f"the process data would grow to {size / 1_000_000:.1f} MB, more than the "
                            f"{MAX_STATE_BYTES / 1_000_000:.0f} MB allowed; a diagram script stores too much")
