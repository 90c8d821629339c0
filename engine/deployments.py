"""Deploy BPMN/DMN sources as versioned definitions and serve parsed specs from a cache.

A deployment is all-or-nothing: sources are parsed with the Spiff parser and its XSD validator,
linted against the registry, and only then stored. The same content deployed twice is a no-op
(keyed by content hash), so start-up can redeploy ``bpmn/`` every time at no cost.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.errors import DeploymentError, NotFound, Problem
from engine.lint import lint_specs
from engine.models import ProcessDefinition
from engine.registry import Registry
from engine.xmlsafety import parse_untrusted

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec

SUFFIXES = (".bpmn", ".dmn")
CONTAINERS = {"process", "subProcess", "transaction"}
FLOW_NODES = {"task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity", "subProcess", "transaction", "startEvent", "endEvent",
              "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway",
              "parallelGateway", "inclusiveGateway", "eventBasedGateway"}


@dataclass(frozen=True)
class ParsedBundle:
    process_key: str
    name: str
    spec: BpmnProcessSpec
    subprocess_specs: dict[str, BpmnProcessSpec]


def content_hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(files[name].encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _parse(files: dict[str, str], *,
           validate: bool) -> tuple[SpiffBpmnParser, dict[str, tuple[str, int | None]], dict[str, str | None]]:
    """Parse every file; return the parser, bpmn id → (file, line), and flow node id → its container's id."""
    parser = SpiffBpmnParser(validator=VALIDATOR if validate else None)
    lines: dict[str, tuple[str, int | None]] = {}
    flow_nodes: dict[str, str | None] = {}
    for filename in sorted(files):
        if not filename.endswith(SUFFIXES):
            raise DeploymentError([Problem(filename, "only .bpmn and .dmn files can be deployed")])
        root = parse_untrusted(files[filename], filename)
        for element in root.iter():
            element_id = element.get("id") if isinstance(element.tag, str) else None
            if element_id:
                lines.setdefault(element_id, (filename, element.sourceline))
                container = element.getparent()
                if container is not None and etree.QName(container).localname in CONTAINERS and \
                        etree.QName(element).localname in FLOW_NODES:
                    flow_nodes[element_id] = container.get("id")
        try:
            if filename.endswith(".dmn"):
                parser.add_dmn_xml(root, filename)
            else:
                parser.add_bpmn_xml(root, filename)
        except ValidationException as err:
            raise DeploymentError([_problem_from(err, filename)]) from err
    return parser, lines, flow_nodes


def _problem_from(err: ValidationException, filename: str) -> Problem:
    element = getattr(err, "id", "") or None
    if element and getattr(err, "name", ""):
        element = f"{element} ({err.name})"
    line = getattr(err, "line_number", None) or getattr(err, "sourceline", None)
    message = str(err.args[0]) if err.args else str(err)
    return Problem(getattr(err, "file_name", "") or filename, message, element=element, line=int(line) if line else None)


def parse_bundle(files: dict[str, str], registry: Registry, *, primary: str | None = None, validate: bool = True) -> ParsedBundle:
    """Parse and lint ``files``; raise :class:`DeploymentError` listing every problem found."""
    if not files:
        raise DeploymentError([Problem("-", "no diagram files given")])
    parser, lines, flow_nodes = _parse(files, validate=validate)
    candidates = parser.get_process_ids()
    process_key = primary or (candidates[0] if len(candidates) == 1 else None)
    if process_key is None:
        names = ", ".join(candidates) or "none"
        raise DeploymentError([Problem(", ".join(sorted(files)), f"cannot tell the main process; executable processes: {names}")])
    try:
        spec = parser.get_spec(process_key)
        subprocess_specs = parser.get_subprocess_specs(process_key)
    except ValidationException as err:
        raise DeploymentError([_problem_from(err, sorted(files)[0])]) from err
    if validate:
        problems = lint_specs([spec, *subprocess_specs.values()], registry, lines, flow_nodes)
        if problems:
            raise DeploymentError(problems)
    return ParsedBundle(process_key, spec.description or process_key, spec, subprocess_specs)


def in_scope(school_id: int | None) -> ColumnElement[bool]:
    """Definitions of one scope: a school's own versions, or the platform's (``school_id`` None)."""
    column = ProcessDefinition.school_id
    return column.is_(None) if school_id is None else column == school_id


def deploy(session: Session, *, files: dict[str, str], registry: Registry, deployed_by: str | None = None,
           comment: str | None = None, primary: str | None = None, activate: bool = True,
           reactivate: bool = True, school_id: int | None = None) -> tuple[ProcessDefinition, bool]:
    """Validate and store ``files`` as the next version; return (definition, created).

    ``school_id`` deploys a version of that school only (its new instances start from it); None deploys a platform
    version. Deploying content identical to an existing version of the same process and scope re-activates that
    version (unless ``reactivate`` is false) instead of creating a copy. Raises :class:`DeploymentError` and stores
    nothing on any problem.
    """
    bundle = parse_bundle(files, registry, primary=primary)
    digest = content_hash(files)
    existing = session.scalar(
        select(ProcessDefinition).where(ProcessDefinition.process_key == bundle.process_key,
                                        ProcessDefinition.content_hash == digest, in_scope(school_id))
    )
    if existing is not None:
        if activate and reactivate and not existing.active:
            make_active(session, existing, actor=deployed_by)
        return existing, False
    latest = session.scalar(select(func.max(ProcessDefinition.version)).where(ProcessDefinition.process_key == bundle.process_key))
    definition = ProcessDefinition(
        process_key=bundle.process_key, version=(latest or 0) + 1, name=bundle.name, content_hash=digest,
        sources=dict(files), active=False, deployed_by=deployed_by, comment=comment, school_id=school_id,
    )
    session.add(definition)
    session.flush()
    record(session, action=AuditAction.DEFINITION_DEPLOYED, actor=deployed_by, school_id=school_id,
           details={"process_key": definition.process_key, "version": definition.version, "hash": digest[:12], "comment": comment})
    if activate:
        make_active(session, definition, actor=deployed_by)
    return definition, True


def make_active(session: Session, definition: ProcessDefinition, *, actor: str | None) -> None:
    """Make ``definition`` the version its scope's new instances start from (the platform's, or its school's);
    running ones keep theirs. Audited."""
    session.execute(
        update(ProcessDefinition).where(ProcessDefinition.process_key == definition.process_key,
                                        in_scope(definition.school_id)).values(active=False)
    )
    definition.active = True
    session.flush()
    record(session, action=AuditAction.DEFINITION_ACTIVATED, actor=actor, school_id=definition.school_id,
           details={"process_key": definition.process_key, "version": definition.version})


def read_bundle_dir(path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Read one ``bpmn/<process>/`` folder: its diagram files and optional ``process.json`` metadata."""
    meta_path = path / "process.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir()) if p.suffix in SUFFIXES}
    return files, meta


def bundle_dirs(root: Path) -> list[Path]:
    """Every folder under ``root`` that holds diagrams (``root`` itself if it holds them directly)."""
    if any(p.suffix in SUFFIXES for p in root.iterdir()):
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and any(c.suffix in SUFFIXES for c in p.iterdir()))


def deploy_path(session: Session, path: Path, *, registry: Registry,
                deployed_by: str | None = None) -> list[tuple[ProcessDefinition, bool]]:
    """Deploy every bundle folder under ``path``; unchanged bundles are left as they are.

    A folder whose content is an older version leaves the active one alone: start-up must not undo a
    version that a process owner deployed from the editor since.
    """
    results = []
    for folder in bundle_dirs(path):
        files, meta = read_bundle_dir(folder)
        results.append(deploy(session, files=files, registry=registry, deployed_by=deployed_by,
                              comment=meta.get("comment", f"deployed from {folder.name}/"), primary=meta.get("process_id"),
                              reactivate=False))
    return results


class SpecCache:
    """Parsed specs per definition id; each version is parsed once per process."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._specs: dict[int, ParsedBundle] = {}
        self._lock = threading.Lock()

    def get(self, definition: ProcessDefinition) -> ParsedBundle:
        bundle = self._specs.get(definition.id)
        if bundle is None:
            bundle = parse_bundle(definition.sources, self.registry, primary=definition.process_key, validate=False)
            with self._lock:
                self._specs[definition.id] = bundle
        return bundle

    def by_id(self, session: Session | None, definition_id: int) -> ParsedBundle:
        """The parsed spec of a stored definition; its row (and sources) is read only on a cache miss."""
        bundle = self._specs.get(definition_id)
        if bundle is not None:
            return bundle
        if session is None:  # a detached instance whose version was never parsed here
            raise RuntimeError(f"definition {definition_id} is not cached and there is no session to read it")
        return self.get(session.get_one(ProcessDefinition, definition_id))


def active_definition(session: Session, process_key: str, school_id: int | None = None) -> ProcessDefinition:
    """The version a new instance of ``school_id`` starts from: the school's own active version, else the
    platform's."""
    found = session.scalars(
        select(ProcessDefinition).where(ProcessDefinition.process_key == process_key, ProcessDefinition.active.is_(True),
                                        or_(ProcessDefinition.school_id.is_(None), ProcessDefinition.school_id == school_id))
    ).all()
    definition = next((d for d in found if d.school_id is not None), None) or next(iter(found), None)
    if definition is None:
        raise NotFound(f"no active deployment of process {process_key!r}")
    return definition
