"""Lay out diagrams that carry no drawing (BPMNDiagram), so the editor and the instance viewer can show them.

Shipped diagrams are written by hand and uploads from other tools may lack a drawing. The layout is
layered: each flow node goes in the column after its furthest predecessor (loops ignored), one band per
lane, stacked within a band; boundary events sit side by side on the lower edge of their task (widened for
three or more), and each one's label sits on the turn of its outgoing flow, to the right of every flow that
leaves the same task, so neither labels nor lines cover each other; subprocesses are drawn collapsed with
their own plane to drill into. Diagrams that already have a drawing are left untouched.
"""
from __future__ import annotations

from typing import Any, cast

from lxml import etree

from engine.xmlsafety import parse_untrusted

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
ACTIVITIES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity", "subProcess", "transaction"}
COLUMN, ROW, MARGIN, LANE_LABEL = 160, 120, 40, 30
EVENT, EVENT_STEP, LABEL_W, LABEL_H = 36, 40, 64, 40  # boundary events: size, spacing; their labels' box


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _attr(element: etree._Element, name: str) -> str:
    """An id or a reference the drawing is built from. Absent (a malformed diagram), it is None as it always was,
    and drops out of the look-ups by id below; deploying such a diagram reports it."""
    return cast(str, element.get(name))


def _size(kind: str) -> tuple[float, float]:
    if kind in EVENTS or kind == "boundaryEvent":
        return 36, 36
    if kind in GATEWAYS:
        return 50, 50
    return 100, 80


def has_drawing(root: etree._Element) -> bool:
    return root.find(f"{{{BPMNDI}}}BPMNDiagram") is not None


class _Plane:
    """Shapes and edges of one plane, written as BPMNDI elements."""

    def __init__(self, root: etree._Element, element_id: str, name: str) -> None:
        self.diagram = etree.SubElement(root, f"{{{BPMNDI}}}BPMNDiagram", id=f"Diagram_{name}",
                                        nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI})
        self.plane = etree.SubElement(self.diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"Plane_{name}", bpmnElement=element_id)
        self.bounds: dict[str, tuple[float, float, float, float]] = {}

    def shape(self, element_id: str, x: float, y: float, w: float, h: float, **attrs: Any) -> None:
        shape = etree.SubElement(self.plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id, **attrs)
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=str(int(x)), y=str(int(y)), width=str(int(w)), height=str(int(h)))
        self.bounds[element_id] = (x, y, w, h)

    def label(self, element_id: str, x: float, y: float, w: float, h: float) -> None:
        shape = self.plane.find(f"{{{BPMNDI}}}BPMNShape[@bpmnElement='{element_id}']")
        if shape is None:
            raise LookupError(f"{element_id} has no shape to label")
        label = etree.SubElement(shape, f"{{{BPMNDI}}}BPMNLabel")
        etree.SubElement(label, f"{{{DC}}}Bounds", x=str(int(x)), y=str(int(y)), width=str(int(w)), height=str(int(h)))

    def edge(self, element_id: str, points: list[tuple[float, float]]) -> None:
        edge = etree.SubElement(self.plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{element_id}_di", bpmnElement=element_id)
        for x, y in points:
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=str(int(x)), y=str(int(y)))


def _columns(nodes: list[str], flows: list[tuple[str, str]], boundary_of: dict[str, str]) -> dict[str, int]:
    """Longest-path layer of each node, with back edges (loops) found by depth-first search ignored."""
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for source, target in flows:
        source = boundary_of.get(source, source)
        if source in succ and target in succ:
            succ[source].append(target)
    targets = {t for s in succ for t in succ[s]}
    order, state, back = [], {}, set()

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in succ[node]:
            if state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                visit(nxt)
        state[node] = 2
        order.append(node)

    for start in [n for n in nodes if n not in targets] + nodes:
        if start not in state:
            visit(start)
    column = {n: 0 for n in nodes}
    for node in reversed(order):
        for nxt in succ[node]:
            if (node, nxt) not in back:
                column[nxt] = max(column[nxt], column[node] + 1)
    return column


def _layout_container(plane: _Plane, container: etree._Element, lanes: list[tuple[str, set[str]]], top: float, left: float,
                      root: etree._Element) -> tuple[float, float]:
    """Place the flow nodes of ``container`` (a process or subprocess); return the drawn width and height."""
    children = [c for c in container if isinstance(c.tag, str) and c.get("id")]
    kinds = {_attr(c, "id"): _local(c) for c in children}
    nodes = [_attr(c, "id") for c in children if kinds[_attr(c, "id")] in EVENTS | GATEWAYS | ACTIVITIES]
    boundary = {_attr(c, "id"): _attr(c, "attachedToRef") for c in children if kinds[_attr(c, "id")] == "boundaryEvent"}
    flows = [(_attr(c, "sourceRef"), _attr(c, "targetRef"), _attr(c, "id")) for c in children if kinds[_attr(c, "id")] == "sequenceFlow"]
    column = _columns(nodes, [(s, t) for s, t, _ in flows], boundary)
    bands = lanes or [("", set(nodes))]
    lane_of = {n: next((i for i, (_, refs) in enumerate(bands) if n in refs), len(bands) - 1) for n in nodes}
    rows: dict[str, int] = {}
    used: dict[tuple[int, int], int] = {}
    for node in sorted(nodes, key=lambda n: (column[n], nodes.index(n))):
        key = (lane_of[node], column[node])
        rows[node] = used.get(key, 0)
        used[key] = rows[node] + 1
    band_rows = [max([rows[n] + 1 for n in nodes if lane_of[n] == i] or [1]) for i in range(len(bands))]
    band_top = [top + sum(band_rows[:i]) * ROW for i in range(len(bands))]
    width = (max(column.values(), default=0) + 1) * COLUMN + MARGIN
    attached: dict[str, list[str]] = {}
    for event, host in boundary.items():
        attached.setdefault(host, []).append(event)
    for node in nodes:
        kind = kinds[node]
        w, h = _size(kind)
        w = max(w, EVENT_STEP * len(attached.get(node, ())) + 20)  # room for its boundary events side by side
        cx = left + MARGIN + column[node] * COLUMN + 50
        cy = band_top[lane_of[node]] + rows[node] * ROW + ROW / 2
        attrs = {"isExpanded": "false"} if kind in ("subProcess", "transaction") else {}
        plane.shape(node, cx - w / 2, cy - h / 2, w, h, **attrs)
    for host, events in attached.items():
        if host not in plane.bounds:
            continue
        x, y, w, h = plane.bounds[host]
        for slot, event in enumerate(events):
            plane.shape(event, x + 30 + slot * EVENT_STEP - EVENT / 2, y + h - EVENT / 2, EVENT, EVENT)
    for source, target, flow_id in flows:
        if source in plane.bounds and target in plane.bounds:
            points = _route(plane.bounds[source], plane.bounds[target], source in boundary)
            plane.edge(flow_id, points)
            if source in boundary and source in plane.bounds:
                _label_on_turn(plane, source, attached[boundary[source]], points)
    for child in children:
        if kinds[_attr(child, "id")] in ("subProcess", "transaction"):
            sub_plane = _Plane(root, _attr(child, "id"), _attr(child, "id"))
            _layout_container(sub_plane, child, [], 0, 0, root)
    return width, sum(band_rows) * ROW


def _label_on_turn(plane: _Plane, event: str, siblings: list[str], points: list[tuple[float, float]]) -> None:
    """The event's label where its flow turns toward the target, right of every sibling's flow: above the turn
    when the flow goes down to its target, below it when the flow first steps down and then back up."""
    if plane.plane.find(f"{{{BPMNDI}}}BPMNShape[@bpmnElement='{event}']/{{{BPMNDI}}}BPMNLabel") is not None:
        return  # labelled by its first flow already
    last_x, _y, last_w, _h = plane.bounds[siblings[-1]]
    turn_y = points[1][1]
    y = turn_y - LABEL_H - 2 if len(points) == 3 else turn_y + 2
    plane.label(event, last_x + last_w / 2 + 4, y, LABEL_W, LABEL_H)


def _route(source: tuple[float, float, float, float], target: tuple[float, float, float, float],
           from_boundary: bool) -> list[tuple[float, float]]:
    sx, sy, sw, sh = source
    tx, ty, tw, th = target
    end = (tx, ty + th / 2)
    if from_boundary:
        start = (sx + sw / 2, sy + sh)
        return [start, (start[0], end[1]), end] if end[1] > start[1] else [start, (start[0], start[1] + 20),
                                                                           (end[0] - 20, start[1] + 20), (end[0] - 20, end[1]), end]
    start = (sx + sw, sy + sh / 2)
    if tx <= sx:  # a loop back: go round underneath
        low = max(sy + sh, ty + th) + 25
        return [(sx + sw / 2, sy + sh), (sx + sw / 2, low), (tx + tw / 2, low), (tx + tw / 2, ty + th)]
    if abs(start[1] - end[1]) < 1:
        return [start, end]
    middle = (start[0] + end[0]) / 2
    return [start, (middle, start[1]), (middle, end[1]), end]


def _lanes(process: etree._Element) -> list[tuple[str, set[str]]]:
    lanes = process.findall(f"{{{BPMN}}}laneSet/{{{BPMN}}}lane")
    return [(_attr(lane, "id"), {ref.text.strip() for ref in lane.findall(f"{{{BPMN}}}flowNodeRef") if ref.text}) for lane in lanes]


def add_drawing(root: etree._Element) -> bool:
    """Add a drawing to a parsed ``definitions`` element that has none; return whether one was added."""
    if has_drawing(root):
        return False
    processes = {_attr(p, "id"): p for p in root.findall(f"{{{BPMN}}}process")}
    collaboration = root.find(f"{{{BPMN}}}collaboration")
    participants = collaboration.findall(f"{{{BPMN}}}participant") if collaboration is not None else []
    if participants and collaboration is not None:  # participants come from the collaboration
        plane = _Plane(root, _attr(collaboration, "id"), _attr(collaboration, "id"))
        top, frame_ids = 0.0, set()
        for participant in participants:
            process = processes.pop(_attr(participant, "processRef"), None)
            if process is None:
                continue
            lanes = _lanes(process)
            frame_ids |= {_attr(participant, "id")} | {lane_id for lane_id, _ in lanes}
            width, height = _layout_container(plane, process, lanes, top, LANE_LABEL, root)
            plane.shape(_attr(participant, "id"), 0, top, width + LANE_LABEL * 2, height, isHorizontal="true")
            lane_top = top
            for lane_id, refs in lanes:
                rows = max([int((plane.bounds[r][1] - lane_top) // ROW) + 1 for r in refs if r in plane.bounds] or [1])
                plane.shape(lane_id, LANE_LABEL, lane_top, width + LANE_LABEL, rows * ROW, isHorizontal="true")
                lane_top += rows * ROW
            top += height + MARGIN
        # pools and lanes first, so they are drawn beneath the flow nodes they contain
        for shape in [s for s in plane.plane if s.get("bpmnElement") in frame_ids][::-1]:
            plane.plane.remove(shape)
            plane.plane.insert(0, shape)
    for process in processes.values():
        plane = _Plane(root, _attr(process, "id"), _attr(process, "id"))
        _layout_container(plane, process, [], 0, 0, root)
    return True


def with_drawing(xml: str) -> str:
    """``xml`` with a drawing added if it had none (the text is returned unchanged otherwise)."""
    root = parse_untrusted(xml, "diagram.bpmn")
    if not add_drawing(root):
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")
