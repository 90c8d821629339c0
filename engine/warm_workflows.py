"""Workflows this process saved last, kept in memory so that the next step of the same instance skips rebuilding
its workflow from the stored JSON.

Steps of one instance often follow each other within seconds (an auditor reviews an order and dispatches it, a
worker accepts a job and finishes it, a client drives an order through the API), and rebuilding the object graph
from JSON is a fifth of what the engine spends on a step. A workflow is kept only once the transaction that saved
it has committed, under the exact state string it was saved as and the definition it runs; it is handed out only
to an advance that locked the instance and found that same state and definition stored, so anything that changed
the instance since (another process, a migration, a repair by hand) is a miss and the stored JSON is read as
before. Handing out removes it: a step that fails leaves nothing half-run behind. The stored JSON stays the only
truth; this is a cache of its parse, bounded in size, per process.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

CAPACITY = 64  # instances per process: a workflow takes about three times its saved JSON in memory (tens of KB)


class WarmWorkflows:
    """Saved workflows by instance id, least recently saved dropped first; safe to share between threads."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[int, tuple[int, str, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, instance_id: int, definition_id: int, state: str, workflow: BpmnWorkflow) -> None:
        """Remember ``workflow`` as the parse of ``state``; call only once that state is committed."""
        with self._lock:
            self._kept[instance_id] = (definition_id, state, workflow)
            self._kept.move_to_end(instance_id)
            while len(self._kept) > self._capacity:
                self._kept.popitem(last=False)

    def take(self, instance_id: int, definition_id: int, state: str) -> BpmnWorkflow | None:
        """The kept workflow if it is the parse of ``state`` under ``definition_id``, else None; either way the
        entry is gone (the caller is about to change the instance)."""
        with self._lock:
            kept = self._kept.pop(instance_id, None)
        if kept is None or kept[0] != definition_id or kept[1] != state:
            return None
        return kept[2]
