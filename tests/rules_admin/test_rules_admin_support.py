"""The pieces around the pages: the Celery task, the Celery wiring, and the translations of the pages' strings."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po
from sqlalchemy import select
from zh_catalog import ZH

from engine.celery_app import make_celery
from rules import rearm
from rules.models import RearmJob

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def rules_admin_msgids() -> set:
    files = [("python", ROOT / "webapp" / "admin" / name) for name in ("rules.py", "rules_forms.py", "rules_edit_form.py",
                                                                         "rules_explain.py")]
    files += [("python", ROOT / "webapp" / "rule_labels.py")]
    files += [("jinja2", p) for p in sorted((ROOT / "webapp" / "templates" / "rules_admin").glob("*.html"))]
    found = set()
    for method, path in files:
        options = {"extensions": "jinja2.ext.i18n"} if method == "jinja2" else None
        for _lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                       options=options):
            found.add(message)
    return found


def test_every_rules_admin_string_has_a_chinese_translation():
    with (ROOT / "webapp/translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = [m for m in rules_admin_msgids() | {"Rules"} if m not in ZH and m not in translated
               and (m[0] if isinstance(m, tuple) else m) not in translated]
    assert not missing, f"add these to tests/rules_admin/zh_catalog.py (and the zh_Hans_CN catalog): {missing}"


def test_make_celery_includes_the_rules_tasks_when_asked():
    default = make_celery(None, redis_url="memory://")
    assert list(default.conf.include) == ["engine.tasks"]
    both = make_celery(None, redis_url="memory://", include=["engine.tasks", "rules.tasks"])
    assert list(both.conf.include) == ["engine.tasks", "rules.tasks"]


def test_the_celery_task_runs_the_job_on_the_runtimes_store(site):
    from rules.tasks import rules_rearm

    number = site.accepted_order()
    site.wait(days=6)
    with site.session() as session:
        before = site.runtime.rules.book(session, site.school_id)
        row = site.runtime.rules.save(session, school_id=site.school_id, author="admin", comment="x",
                                      content={"school": {"repair.escalation.yellow.after": "5d"}})
        after = site.runtime.rules.check(row.content)
        job_id = rearm.start_job(session, school_id=site.school_id, version=row.version,
                                 keys=rearm.changed_keys(before, after), author="admin").id
    app = make_celery(site.host, redis_url="memory://", eager=True, include=["engine.tasks", "rules.tasks"])
    app.conf.result_backend = "cache+memory://"
    app.houqin_rules = site.runtime.rules
    result = app.tasks[rules_rearm.name].apply(args=[job_id])
    assert result.get()["status"] == "done" and result.get()["changed"] == 1
    with site.session() as session:
        assert session.scalar(select(RearmJob.status).where(RearmJob.id == job_id)) == "done"
    assert site.order(number).colour in ("green", "yellow")  # re-armed; the next tick fires it
