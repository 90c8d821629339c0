"""Exceptions the engine raises to its callers; each carries a message fit for a person."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a diagram, located so that an editor can point at it."""

    file: str
    message: str
    element: str | None = None
    line: int | None = None
    code: str = ""  # a stable name for the kind of problem, so a page can word it in the reader's language
    params: tuple[tuple[str, str], ...] = ()  # what that wording needs (the key, the helper …)

    @property
    def where(self) -> str:
        """``file:line [element]``: where the problem is."""
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.element:
            where += f" [{self.element}]"
        return where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class EngineError(Exception):
    """Base class; ``code`` is a stable machine-readable identifier for APIs."""

    code = "engine_error"


class DeploymentError(EngineError):
    code = "invalid_diagram"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class NotFound(EngineError):
    code = "not_found"


class TaskNotReady(EngineError):
    """The task was completed, cancelled or moved on since the caller last looked."""

    code = "task_not_ready"


class NotAllowed(EngineError):
    code = "forbidden"


class ConcurrentUpdate(EngineError):
    """Another writer changed the instance between our read and our write; nothing was saved."""

    code = "conflict"


class InstanceLocked(EngineError):
    """Background path only: another worker holds the instance right now."""

    code = "locked"


class StateTooLarge(EngineError):
    """A step would make the instance's saved data larger than its budget; nothing of the step is saved."""

    code = "state_too_large"
