"""Names in both languages kept in the diagram: read back, filled in from a catalog where missing (never over a
name the diagram carries, never on a lane, whose name is its role), and accepted by the upload check."""
from __future__ import annotations

from engine.diagram_names import HOUQIN, translations, with_translations
from engine.importer import import_diagram

DIAGRAM = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:houqin="{HOUQIN}" id="d">
  <bpmn:process id="p" name="Key hand-over" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="clerk"><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s" name="Asked" />
    <bpmn:userTask id="t" name="Issue the key" houqin:nameZh="发放钥匙" />
    <bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t" />
  </bpmn:process>
</bpmn:definitions>
"""
CATALOG = {"Key hand-over": "钥匙交接", "Issue the key": "发钥匙", "clerk": "服务大厅受理员"}


def _catalog(name: str, locale: str) -> str | None:
    return CATALOG.get(name) if locale == "zh_CN" else None


def test_the_diagrams_own_names_are_read_by_their_english_name():
    assert translations({"k.bpmn": DIAGRAM, "notes.dmn": "<x/>"}) == {"Issue the key": {"zh_CN": "发放钥匙"}}


def test_missing_names_are_filled_from_the_catalog_and_the_diagrams_own_are_kept():
    filled = with_translations(DIAGRAM, _catalog)
    assert translations({"k.bpmn": filled}) == {"Key hand-over": {"zh_CN": "钥匙交接"},
                                                "Issue the key": {"zh_CN": "发放钥匙"}}
    assert '<bpmn:lane id="l" name="clerk">' in filled
    assert with_translations(filled, _catalog) == filled  # nothing left to fill: the same text


def test_an_upload_carrying_both_languages_is_accepted():
    assert 'houqin:nameZh="发放钥匙"' in import_diagram(DIAGRAM, "k.bpmn")
