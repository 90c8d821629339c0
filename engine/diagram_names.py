"""Names in diagrams in both languages, kept with the diagram.

An element's ``name`` attribute holds its English name: for a shipped diagram that is the catalog msgid the Babel
extractor reads (``webapp/bpmn_messages.py``). Its Chinese name sits beside it in a Houqin attribute, so a diagram
a school drew itself shows its names in the reader's language without any catalog entry::

    <bpmn:userTask id="review" name="Review the request" houqin:nameZh="审核报修">

Lanes are left out: a lane's name is the role its tasks are offered to, not words for people.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree

from engine.deployments import FLOW_NODES
from engine.layout import BPMN
from engine.xmlsafety import parse_untrusted

HOUQIN = "http://houqin.org/bpmn/schema/1.0"
LANGUAGES = {"zh_CN": "nameZh"}  # locale → the attribute holding the name in it; English is ``name`` itself
NAMED = frozenset({"process", "participant", "sequenceFlow", *FLOW_NODES})

Names = dict[str, dict[str, str]]  # an English name → {locale: the same name in that locale}


def _named(root: etree._Element) -> list[etree._Element]:
    return [element for element in root.iter() if isinstance(element.tag, str) and element.get("name")
            and etree.QName(element).namespace == BPMN and etree.QName(element).localname in NAMED]


def translations(sources: Mapping[str, str]) -> Names:
    """Every name the diagrams in ``sources`` carry in another language, by their ``name``."""
    found: Names = {}
    for filename, text in sorted(sources.items()):
        if not filename.endswith(".bpmn"):
            continue
        for element in _named(parse_untrusted(text, filename)):
            for locale, attribute in LANGUAGES.items():
                other = (element.get(f"{{{HOUQIN}}}{attribute}") or "").strip()
                if other:
                    found.setdefault(element.get("name", ""), {})[locale] = other
    return found


def with_translations(xml: str, translate: Callable[[str, str], str | None]) -> str:
    """``xml`` with each named element that lacks its name in a language given the one ``translate(name, locale)``
    knows (the catalog, for a shipped diagram); the text is returned unchanged when nothing was missing."""
    root = parse_untrusted(xml, "diagram.bpmn")
    added = False
    for element in _named(root):
        for locale, attribute in LANGUAGES.items():
            qualified = f"{{{HOUQIN}}}{attribute}"
            if element.get(qualified):
                continue
            other = translate(element.get("name", ""), locale)
            if other:
                element.set(qualified, other)
                added = True
    if not added:
        return xml
    etree.cleanup_namespaces(root, top_nsmap={"houqin": HOUQIN})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
