"""Instance-only JSON: the workflow state without the spec, which lives once per definition.

The stock serializer embeds the whole spec in every blob (more than half its size); here the
converter writes only the instance part and rebuilds the workflow around cached spec objects.
The shared registry is not thread-safe while encoding, so each thread gets its own serializer.
"""
from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any
from uuid import UUID as _uuid

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.serializer.helpers.dictionary import DictionaryConverter
    from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec

SERIALIZER_VERSION = VERSION


class InstanceOnlyConverter(BpmnWorkflowConverter):  # type: ignore[misc]  # SpiffWorkflow ships no type hints
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any], spec: BpmnProcessSpec | None = None,
                  subprocess_specs: dict[str, BpmnProcessSpec] | None = None) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], _uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_local = threading.local()


def _serializer() -> BpmnWorkflowSerializer:
    ser = getattr(_local, "serializer", None)
    if ser is None:
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = InstanceOnlyConverter
        ser = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
        _local.serializer = ser
    return ser


def dumps(workflow: BpmnWorkflow) -> str:
    ser = _serializer()
    ser.registry._encoder_mode = True
    try:
        return json.dumps(ser.to_dict(workflow), cls=ser._encoder_cls, separators=(",", ":"))
    finally:
        ser.registry._encoder_mode = False


def loads(state: str, spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]) -> BpmnWorkflow:
    ser = _serializer()
    return ser.from_dict(json.loads(state), spec=spec, subprocess_specs=subprocess_specs)


def spec_registry() -> DictionaryConverter:
    """The serializer's converter registry, which the library's spec diff uses to compare task specs."""
    return _serializer().registry
