"""The words of the rule sets, as stored strings."""
from enum import StrEnum


class RuleAction(StrEnum):
    """The audit action of the rule sets: a new version saved (or an old one restored)."""

    saved = "rules.saved"
