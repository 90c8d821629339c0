"""Parse untrusted diagram XML without entity expansion, external loads or huge trees.

Uploaded diagrams come from process owners' browsers; a DOCTYPE is never needed in BPMN/DMN, so
any document that declares one (the carrier of XXE and billion-laughs attacks) is refused outright.
"""
from __future__ import annotations

from lxml import etree

from engine.errors import DeploymentError, Problem

MAX_DIAGRAM_BYTES = 2 * 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=False
)


def parse_untrusted(data: bytes | str, filename: str) -> etree._Element:
    """Return the root element or raise :class:`DeploymentError` naming the file and line."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DIAGRAM_BYTES:
        raise DeploymentError([Problem(filename, f"file is {len(raw)} bytes; the limit is {MAX_DIAGRAM_BYTES}")])
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as err:
        raise DeploymentError([Problem(filename, f"not well-formed XML: {err.msg}", line=err.lineno)]) from err
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DeploymentError([Problem(filename, "DOCTYPE and entity declarations are not allowed in diagrams", line=1)])
    return root
