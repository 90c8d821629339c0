"""Markdown instructions on forms, rendered to a small, safe HTML subset.

Definitions are files in the repository today, but a form text may one day come from an editor in the
browser: whatever the markdown holds (raw HTML, ``<script>``, ``onerror=``, ``javascript:`` links) leaves
here as text, lists, emphasis, code and links to http(s), mailto and tel only.
"""
from __future__ import annotations

from functools import lru_cache

import markdown as _markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "pre", "blockquote",
                "h3", "h4", "h5", "h6", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title"}


@lru_cache(maxsize=512)
def render(text: str | None) -> str:
    """Sanitised HTML for ``text`` (markdown); safe to insert in a page unescaped."""
    html = _markdown.markdown(text or "", output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer").strip()
