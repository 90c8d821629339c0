"""Who is acting: a plain value the domain builds and every engine entry point receives.

A leaf module (it imports nothing of the engine), so the wiring in :mod:`engine.host` and the routines that
take an actor never import each other in a circle.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """Who is acting. ``grants`` holds (role, org_unit_id) pairs; a None unit means every unit of the actor's
    school (never another school's: :mod:`engine.policy` checks the school before any grant).

    The domain builds actors (expanding unit hierarchies into grants); the engine only asks :meth:`may`.
    ``school_id`` None means platform-wide (system jobs, platform admins).
    """

    id: int | None
    name: str
    school_id: int | None = None
    grants: frozenset[tuple[str, int | None]] = field(default_factory=frozenset)

    def may(self, role: str | None, org_unit_id: int | None) -> bool:
        """Holds ``role`` in ``org_unit_id`` (or for the whole school). Says nothing about the school itself."""
        if role is None:
            return False
        return (role, None) in self.grants or (org_unit_id is not None and (role, org_unit_id) in self.grants)

    def takes(self, role: str | None, org_unit_id: int | None) -> bool:
        """May take a task offered to ``role`` in ``org_unit_id``: holds the role there (or school-wide); a task
        offered to no unit is open to everyone holding the role anywhere in the school, as a message to the role
        without a unit reaches them all."""
        if org_unit_id is None:
            return role is not None and any(held == role for held, _unit in self.grants)
        return self.may(role, org_unit_id)

    def in_school(self, school_id: int | None) -> bool:
        """May act on something of ``school_id``: a platform actor on anything, a school's actor on its own."""
        return self.school_id is None or school_id == self.school_id

    @property
    def label(self) -> str:
        return self.name if self.id is None else f"{self.name}#{self.id}"


SYSTEM = Actor(id=None, name="system")
