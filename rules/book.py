"""A rule book: the flattened, validated rules and the diagram helpers that read them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from rules import durations

DEFAULTS = Path(__file__).with_name("defaults.yaml")
_DURATION_LEAVES = ("after", "every", "_after", "_every", "_for")


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def _is_duration_key(key: str) -> bool:
    return key.rsplit(".", 1)[-1].endswith(_DURATION_LEAVES)


@dataclass(frozen=True)
class RuleBook:
    values: dict[str, Any]

    @classmethod
    def from_yaml(cls, path: Path = DEFAULTS) -> RuleBook:
        book = cls(_flatten(yaml.safe_load(path.read_text(encoding="utf-8"))))
        book.validate()
        return book

    def validate(self) -> None:
        for key, value in self.values.items():
            if _is_duration_key(key):
                durations.parse(value)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def value(self, key: str) -> Any:
        if key not in self.values:
            raise KeyError(f"unknown rule {key!r}")
        return self.values[key]

    def duration(self, key: str) -> timedelta:
        return durations.parse(self.value(key))

    def iso(self, key: str) -> str:
        return durations.to_iso(self.duration(key))
