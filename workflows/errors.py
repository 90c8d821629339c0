"""Errors of the domain services that the pages show next to the input at fault."""
from __future__ import annotations


class FieldError(ValueError):
    """A refused input; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
