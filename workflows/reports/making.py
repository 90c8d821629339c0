"""What making a report needs besides its database rows: the folder its files go to, and the other businesses'
figures (the process modules' own, as the leaders' one screen shows them) with the rules they count by."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rules.store import RuleStore
from workflows.modules.registry import Modules


@dataclass(frozen=True)
class ReportMaking:
    folder: Path
    modules: Modules
    rules: RuleStore
