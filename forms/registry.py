"""Register the ``form`` key check so deploy-time lint refuses diagrams naming unknown forms."""
from __future__ import annotations

from engine.registry import Registry
from forms.schema import FormDefinition


def register(registry: Registry, definitions: dict[str, FormDefinition]) -> None:
    registry.keys("form", lambda key: key in definitions, lambda: sorted(definitions))
