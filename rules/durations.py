"""Human durations ("15m", "12h", "3d") to and from ``timedelta`` and ISO 8601 ("PT15M")."""
from __future__ import annotations

import re
from datetime import timedelta

_HUMAN = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def split(text: str) -> tuple[int, str]:
    """(amount, unit letter) of a human duration; raise ValueError unless it is positive."""
    match = _HUMAN.match(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a duration like 15m, 12h or 3d")
    amount, unit = int(match.group(1)), match.group(2)
    if amount <= 0:
        raise ValueError(f"{text!r} must be positive")
    return amount, unit


def parse(text: str) -> timedelta:
    amount, unit = split(text)
    return timedelta(**{_UNITS[unit]: amount})


def to_iso(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else ("" if days else "T0S"))
