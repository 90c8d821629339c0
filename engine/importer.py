"""Accept diagrams drawn in other modelers (Camunda Modeler, bpmn.io): report what this engine cannot run,
by element name and line, and bring the rest to the engine's dialect.

Only the BPMN elements listed in :data:`SUPPORTED` may appear. Extension elements and attributes of
other vendors (``camunda:formData``, ``zeebe:taskDefinition``…) are refused by name, except pure
bookkeeping attributes that change nothing at run time. Timer texts that are bare ISO 8601 literals
(``PT1H``, as every modeler writes them) are quoted, because the engine evaluates timer texts as
expressions; ``${…}`` expressions of other engines are refused. A diagram whose processes are all marked
non-executable (bpmn.io's default) has them marked executable; colours on the drawing are kept.
"""
from __future__ import annotations

import re

from lxml import etree

from engine.diagram_names import HOUQIN
from engine.errors import DeploymentError, Problem
from engine.layout import BPMN, BPMNDI, DC, DI, add_drawing
from engine.xmlsafety import parse_untrusted

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
DMN_PREFIX = "https://www.omg.org/spec/DMN/"
SUPPORTED = frozenset("""
definitions process collaboration participant laneSet lane flowNodeRef childLaneSet documentation extensionElements
startEvent endEvent intermediateCatchEvent intermediateThrowEvent boundaryEvent
task userTask manualTask scriptTask serviceTask sendTask receiveTask businessRuleTask callActivity subProcess
exclusiveGateway parallelGateway inclusiveGateway eventBasedGateway sequenceFlow conditionExpression incoming outgoing
script timerEventDefinition timeDuration timeDate timeCycle terminateEventDefinition signalEventDefinition
messageEventDefinition errorEventDefinition escalationEventDefinition signal message error escalation
standardLoopCharacteristics multiInstanceLoopCharacteristics loopCardinality completionCondition loopCondition
textAnnotation text association group category categoryValue messageFlow
dataObject dataObjectReference dataStoreReference dataStore dataInputAssociation dataOutputAssociation sourceRef targetRef
ioSpecification dataInput dataOutput inputSet outputSet dataInputRefs dataOutputRefs property
correlationProperty correlationPropertyRetrievalExpression messagePath correlationKey correlationPropertyRef
""".split())
# process metadata other modelers write by default; it has no effect on how anything runs
IGNORED_ATTRIBUTES = frozenset({"historyTimeToLive", "isStartableInTasklist", "versionTag", "executionPlatform",
                                "executionPlatformVersion"})
OWN_NAMESPACES = frozenset({BPMN, BPMNDI, DC, DI, SPIFF, XSI, HOUQIN})  # HOUQIN: names in both languages
DRAWING = frozenset({BPMNDI, DC, DI})
TIMER_TAGS = {f"{{{BPMN}}}{name}" for name in ("timeDuration", "timeDate", "timeCycle")}
_ISO_TEXT = re.compile(r"^(R\d*/)?(P[0-9YMWDTHS.]+|\d{4}-\d\d-\d\d[T0-9:.+\-Z]*)(/P[0-9YMWDTHS.]+)?$")
_FOREIGN_EXPRESSION = re.compile(r"^[#$]\{.*\}$", re.S)


def _foreign(qname: etree.QName) -> bool:
    namespace = qname.namespace or BPMN
    return namespace not in OWN_NAMESPACES and not namespace.startswith(DMN_PREFIX)


def _prefixed(root: etree._Element, qname: etree.QName) -> str:
    prefixes: dict[str | None, str] = {ns: prefix for prefix, ns in (root.nsmap or {}).items() if prefix}
    prefix = prefixes.get(qname.namespace)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _check(root: etree._Element, filename: str) -> list[Problem]:
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        owner = element.getparent()
        where = next((a.get("id") for a in element.iterancestors() if a.get("id")), None)
        label = element.get("id") or where
        if qname.namespace == BPMN and qname.localname not in SUPPORTED:
            problems.append(Problem(filename, f"unsupported BPMN element {qname.localname}", element=label, line=element.sourceline))
        elif _foreign(qname) and (owner is None or not _foreign(etree.QName(owner))):  # reported once, at its outermost element
            problems.append(Problem(filename, f"unsupported extension {_prefixed(root, qname)}", element=label,
                                    line=element.sourceline))
        if element is root or qname.namespace in DRAWING:  # colours and other looks of the drawing are harmless
            continue
        for attribute in element.attrib:
            attr = etree.QName(attribute)
            if attr.namespace and _foreign(attr) and attr.localname not in IGNORED_ATTRIBUTES:
                problems.append(Problem(filename, f"unsupported extension attribute {_prefixed(root, attr)}",
                                        element=element.get("id"), line=element.sourceline))
        if element.tag in TIMER_TAGS or qname.localname == "conditionExpression":
            text = (element.text or "").strip()
            if _FOREIGN_EXPRESSION.match(text):
                problems.append(Problem(filename, f"expression {text} is written for another engine; write it as a Python "
                                                  "expression (e.g. rule_duration('key') or \"PT1H\")",
                                        element=where, line=element.sourceline))
    return problems


def _quote_timer_literals(root: etree._Element) -> None:
    for element in root.iter(*TIMER_TAGS):
        text = (element.text or "").strip()
        if _ISO_TEXT.match(text):
            element.text = f'"{text}"'


def _make_executable(root: etree._Element) -> None:
    """bpmn.io marks new processes non-executable; a diagram uploaded here is meant to run."""
    processes = root.findall(f"{{{BPMN}}}process")
    if processes and not any(p.get("isExecutable") == "true" for p in processes):
        for process in processes:
            process.set("isExecutable", "true")


def import_diagram(data: bytes | str, filename: str) -> str:
    """Check an uploaded ``.bpmn`` file and return it in the engine's dialect, drawn if it had no drawing.

    Raises :class:`DeploymentError` listing every unsupported element, extension and foreign expression
    (file, line, element id), or the XML problem that stopped parsing.
    """
    if not filename.endswith(".bpmn"):
        raise DeploymentError([Problem(filename, "only .bpmn files can be uploaded")])
    root = parse_untrusted(data, filename)
    if etree.QName(root).namespace != BPMN or etree.QName(root).localname != "definitions":
        raise DeploymentError([Problem(filename, f"not a BPMN 2.0 file: the root element is {etree.QName(root).localname}",
                                       line=root.sourceline)])
    problems = _check(root, filename)
    if problems:
        raise DeploymentError(problems)
    _quote_timer_literals(root)
    _make_executable(root)
    add_drawing(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
