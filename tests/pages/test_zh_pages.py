"""Every page each demo role can reach, read in Chinese: no English sentence of the catalogue and no untranslated
diagram name shows through.

The crawl starts at the inbox and follows the app's own links (GET, same site, HTML answers), with an order in
every stage, a work plan and a delegated task on the pages. The catalogue's English msgids (diagram names included,
through the BPMN extractor) whose Chinese differs are what must not appear in a page's visible text or in the
labels a screen reader or tooltip shows.
"""
from __future__ import annotations

import html
import re
from collections import deque
from pathlib import Path

from babel.messages.pofile import read_po
from websupport import enter_plan_and_delegate

from workflows.demo import DEMO_USERS

CATALOG = Path(__file__).resolve().parents[2] / "webapp/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
MAX_PAGES = 120  # per role; the crawl keeps one page per path and query-free variant beyond a few
SKIP = re.compile(r"^/(static|api|logout|r/)|\.(xlsx|pdf|svg|png|jpg|csv|bpmn|json)(\?|$)|/download|/export|[?&]page=\d{2,}")
ATTRS = re.compile(r'\b(?:title|placeholder|alt|aria-label)="([^"]*)"')


def _english_messages() -> list[str]:
    """English msgids of at least two words whose Chinese is different, split at placeholders into the longest
    literal run (a placeholder's value is not the catalogue's to translate)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    found = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else message.string[0]
        if not string or string == msgid:
            continue
        literal = max(re.split(r"%\([a-z_]+\)[sdf]|%[sd]|<[^>]+>", msgid), key=len).strip(" .:,;()")
        if len(re.findall(r"[A-Za-z]{2,}", literal)) >= 2:
            found.add(literal)
    return sorted(found, key=len, reverse=True)


def _visible_text(page: str) -> str:
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    labels = " | ".join(ATTRS.findall(body))
    return html.unescape(re.sub(r"<[^>]+>", " | ", body) + " | " + labels)


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(/[^"#]*)', page)]


def _crawl(client, start: str = "/") -> tuple[dict[str, str], list[str]]:
    """(url -> HTML, or "" for answers that are no page) and the urls that answered a server error."""
    pages: dict[str, str] = {}
    failed: list[str] = []
    seen_paths: dict[str, int] = {}
    queue = deque([start])
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        path = url.split("?", 1)[0]
        if url in pages or SKIP.search(url) or seen_paths.get(path, 0) >= 3:
            continue
        response = client.get(url)
        seen_paths[path] = seen_paths.get(path, 0) + 1
        if response.status_code >= 500:
            failed.append(url)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            pages[url] = ""
            continue
        text = response.get_data(as_text=True)
        pages[url] = text
        queue.extend(link for link in _links(text) if link not in pages)
    return pages, failed


def test_no_english_catalogue_sentence_on_any_page_a_role_reaches_in_chinese(site):
    number = site.done_job()
    site.do(number, "rate", "requester", overall="1", quality="1", efficiency="2", attitude="1", comment="还在漏")
    site.report("宿舍门锁坏了", item_code="C01")
    enter_plan_and_delegate(site)
    english = _english_messages()
    assert len(english) > 300  # the catalogue was read

    leaks: dict[str, set[str]] = {}
    errors: set[str] = set()
    for username, _name, _role in DEMO_USERS:
        client = site.client(username)
        client.page("/?lang=zh_CN")
        crawled, failed = _crawl(client)
        errors.update(f"{username} {url}" for url in failed)
        for url, page in crawled.items():
            text = _visible_text(page)
            for sentence in english:
                if sentence in text:
                    leaks.setdefault(sentence, set()).add(f"{username} {url}")
    report = "\n".join(f"{sentence!r}: {', '.join(sorted(where)[:3])}" for sentence, where in sorted(leaks.items()))
    assert not errors and not leaks, f"server errors: {sorted(errors)}\nEnglish on Chinese pages:\n{report}"
