"""Translations: every UI string has a Chinese translation, and the compiled catalogs are what the app renders.

Adding ``_("New text")`` to a view or a template without translating it in
``webapp/translations/zh_Hans_CN/LC_MESSAGES/messages.po`` fails this module. To fix it::

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k NC_:1c,2 -o webapp/translations/messages.pot .
    .venv/bin/pybabel update -i webapp/translations/messages.pot -d webapp/translations
    # translate the new entries in the zh_Hans_CN catalog, remove any "#, fuzzy" flags, then
    .venv/bin/pybabel compile -d webapp/translations

The Chinese catalog lives under ``zh_Hans_CN``, not ``zh_CN``: Flask-Babel parses the selected ``zh_CN`` into
the Babel locale ``zh_Hans_CN`` and looks for that folder (then ``zh``), so a ``zh_CN`` folder is never read.
"""
from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest
from babel import Locale
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import webapp
import webapp.config
import webapp.migrate

REPO = Path(__file__).resolve().parents[3]
BABEL_CFG = REPO / "babel.cfg"
TRANSLATIONS = REPO / "webapp" / "translations"
CHINESE = TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
ENGLISH = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
# The lazy variant is imported as ``_l``, and text written outside a request is marked with ``N_`` and ``NC_``
# (workflows/i18n.py); babel.cfg names them, repeated here for Babel releases that ignore keywords in the
# mapping file.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None, "NC_": ((1, "c"), 2)}


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parents[1].name)


def extracted_messages() -> dict[str, list[str]]:
    """msgid -> the places using it, extracted from the sources exactly as ``pybabel extract -F babel.cfg .``."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping  # Babel < 2.16
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse(f, filename=str(BABEL_CFG))
    found: dict[str, list[str]] = defaultdict(list)
    for filename, lineno, message, _comments, context in extract_from_dir(
            REPO, method_map, options_map, keywords=KEYWORDS):
        msgids = message if isinstance(message, tuple) else (message,)
        msgid = msgids[0]
        if msgid:
            found[msgid if context is None else f"{context}\x04{msgid}"].append(f"{filename}:{lineno}")
    return found


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """What ``pybabel compile -d webapp/translations`` does: each ``.po`` to a ``.mo`` beside it (atomically)."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        catalog = _read(po)
        mo = po.with_suffix(".mo")
        partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        os.replace(partial, mo)
        written.append(mo)
    return written


def test_babel_cfg_finds_the_ui_strings():
    messages = extracted_messages()
    # one from a view, one lazy form label, one from a template: all three extraction paths work
    assert {"Wrong username or password.", "Username", "Log in"} <= set(messages)
    # and only the project's own folders are read (the shipped diagrams' names too), never .venv or node_modules
    assert all(place.split("/")[0] in {"webapp", "workflows", "bpmn"} for places in messages.values() for place in places)


def test_every_ui_string_has_a_chinese_translation():
    catalog = _read(CHINESE)
    problems = []
    for msgid, places in sorted(extracted_messages().items()):
        context, _, key = msgid.rpartition("\x04")
        entry = catalog.get(key, context=context or None)
        where = ", ".join(places)
        if entry is None:
            problems.append(f"not in the catalog: {key!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {key!r} ({where})")
        elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)):
            problems.append(f"untranslated: {key!r} ({where})")
    assert not problems, "zh_Hans_CN catalog is out of date (see this module's docstring):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", [CHINESE, ENGLISH], ids=lambda p: p.parents[1].name)
def test_catalogs_are_valid(path):
    catalog = _read(path)
    assert catalog.locale == Locale.parse(path.parents[1].name)
    # placeholders such as %(reason)s must survive translation
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog.check()]
    assert not errors
    assert not [m.id for m in catalog if m.id and m.fuzzy]


def test_the_chinese_catalog_is_where_flask_babel_looks():
    from babel.support import Translations

    compile_catalogs()
    # Flask-Babel loads Translations.load(<app root>/translations, [get_locale()]) with get_locale() parsed from
    # the "zh_CN" the locale selector returns
    translations = Translations.load(str(TRANSLATIONS), [Locale.parse("zh_CN")])
    assert translations.gettext("Log in") == "登录"


@pytest.fixture
def app(tmp_path):
    compile_catalogs()
    settings = webapp.config.Settings(database_url=f"sqlite:///{tmp_path}/t.db", redis_url=None, secret_key="x",
                                      data_dir=tmp_path)
    app = webapp.create_app(config={"TESTING": True, "WTF_CSRF_ENABLED": False}, settings=settings)
    webapp.migrate.upgrade_to_head(app.extensions["houqin"].db_engine)
    assert Path(app.root_path, "translations") == TRANSLATIONS
    assert app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations") == "translations"
    yield app
    app.extensions["houqin"].db_engine.dispose()


def test_login_page_is_chinese_by_default(app):
    page = app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "<h1>登录</h1>" in page
    assert "<title>登录 · 智慧后勤服务平台</title>" in page
    assert "用户名" in page and "密码" in page
    assert "Log in" not in page


def test_login_page_in_english_on_request(app):
    client = app.test_client()
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Log in</h1>" in page
    assert "Username" in page and "Password" in page
    assert "登录" not in page
    # the choice is remembered for the next pages
    assert "<h1>Log in</h1>" in client.get("/login").get_data(as_text=True)
    assert "<h1>登录</h1>" in client.get("/login?lang=zh_CN").get_data(as_text=True)


def test_validation_messages_follow_the_locale(app):
    client = app.test_client()
    page = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "该字段是必填字段。" in page  # WTForms' own Chinese catalog
    page = client.post("/login?lang=en", data={"username": "nobody", "password": "wrong"}).get_data(as_text=True)
    assert "Wrong username or password." in page
    page = client.post("/login?lang=zh_CN", data={"username": "nobody", "password": "wrong"}).get_data(as_text=True)
    assert "用户名或密码错误。" in page


def test_every_translation_formats_like_its_msgid():
    """A stray ``%`` in a translation (``90% 分位``) only breaks when the page renders; catch it here."""
    import re

    broken = []
    for message in _read(CHINESE):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = set(re.findall(r"%\((\w+)\)", " ".join(i for i in ids if i)))
        if not names:
            continue
        values = {name: 1 for name in names}
        for text in message.string if isinstance(message.string, tuple) else (message.string,):
            try:
                text % values
            except (ValueError, KeyError, TypeError) as err:
                broken.append(f"{message.id!r}: {text!r} ({err})")
    assert not broken, "\n".join(broken)


def test_text_written_outside_a_request_comes_from_the_same_catalog():
    from workflows.i18n import translate
    from workflows.notifications.titles import title
    from workflows.reports.labels import word

    compile_catalogs()
    assert title("repair.escalated", {"colour": "red", "order": "BX1"}, None, "zh_CN") == "工单 BX1 已进入红色催办，请督促处理。"
    assert title("repair.escalated", {"colour": "red", "order": "BX1"}, None, "en") == "Order BX1 is red: please chase it."
    # the same English word, two meanings: a report's column heading has its own context
    assert (word("default", "zh_CN"), translate("Default", "zh_CN")) == ("默认好评", "默认值")
