"""Admin pages for the escalation and reminder rules: the rule set in force, editing it with a preview of what
the change does to open orders, history and restore, the working calendar, and "which rule applies to this order".

Admins change every duration, threshold and recipient here without code. A submitted change is checked by
:meth:`rules.store.RuleStore.check` (its problem codes become messages beside the fields), then previewed: the
readable diff, the open orders it would change and those that would change colour or get a reminder at once.
The proposed content travels to the confirm step in a signed hidden field, so what is saved is exactly what was
previewed. Re-arming open orders runs as a background job (Celery ``houqin.rules_rearm``, or a thread in the
embedded mode) whose progress page polls a small JSON endpoint.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import select

from rules import rearm
from rules.book import parent_category
from rules.models import RearmJob, RuleSet
from rules.store import RulesRefused, RuleStore, current_version, diff
from webapp import db
from webapp.admin.rules_edit_form import (
    attach_problems,
    content_from,
    error_summary,
    form_rows,
    initial_data,
    rules_form_class,
)
from webapp.admin.rules_explain import explained, subject_of
from webapp.admin.rules_forms import (
    ADMIN,
    CONFIRM_MAX_AGE,
    GROUPS,
    CalendarForm,
    ConfirmForm,
    RestoreForm,
    calendar_content,
    category_map,
    confirm_serializer,
    current_book,
    escalation_preview,
    group_of,
    normalised,
    ordered_keys,
    preview_start,
    readable_diff,
    show_value,
    store,
)
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.rule_labels import key_label
from webapp.shared import format_when, school_id

if TYPE_CHECKING:
    from engine.host import Host

log = logging.getLogger(__name__)

bp = Blueprint("rules_admin", __name__, url_prefix="/admin/rules")


# --- preview and confirm -----------------------------------------------------------------------

def render_preview(content: dict[str, Any], comment: str, *, restored_from: int | None = None,
                   confirm: ConfirmForm | None = None) -> str:
    """The preview step: readable diff, open orders that would change, and the confirm form (signed content)."""
    session, sid = db.session(), school_id()
    current = current_book()
    proposed = store().check(content)
    names = category_map()
    changes = readable_diff(current.content(), content, names)
    affected, rows = rearm.preview(db.runtime().host, session, school_id=sid, current=current, proposed=proposed)
    keys = rearm.changed_keys(current, proposed)
    if confirm is None:
        token = confirm_serializer().dumps({"school_id": sid, "base_version": current.version, "content": content,
                                     "comment": comment, "restored_from": restored_from})
        confirm = ConfirmForm(formdata=None, token=token)
    return render_template("rules_admin/preview.html", changes=changes, affected=affected, rows=rows,
                           due_now=[r for r in rows if r.due_now], keys=sorted(keys), key_label=key_label,
                           open_count=rearm.open_count(session, sid), comment=comment, restored_from=restored_from,
                           form=confirm, format_when=format_when)


def load_token(token: str) -> dict[str, Any]:
    try:
        payload = confirm_serializer().loads(token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        abort(400, description=_("The confirmation was altered or has expired; nothing was saved."))
    if payload.get("school_id") != school_id():
        abort(400, description=_("The confirmation was altered or has expired; nothing was saved."))
    return payload


def start_background(job_id: int) -> None:
    """Run a re-arm job: on a Celery worker when there is one, else on a daemon thread (embedded mode)."""
    runtime = db.runtime()
    if runtime.celery is not None:
        runtime.celery.send_task("houqin.rules_rearm", args=[job_id])
        return
    threading.Thread(target=_run_job_quietly, args=(runtime.host, runtime.rules, job_id), daemon=True,
                     name=f"houqin-rules-rearm-{job_id}").start()


def _run_job_quietly(host: Host, rule_store: RuleStore, job_id: int) -> None:
    try:
        rearm.run_job(host, rule_store, job_id)
    except Exception:  # the job keeps its cursor; running it again resumes there
        log.exception("re-arming after a rule change failed (job %s)", job_id)


# --- views -------------------------------------------------------------------------------------

@bp.get("/")
@roles_required(ADMIN)
def index() -> ResponseReturnValue:
    session, sid = db.session(), school_id()
    book = current_book()
    names = category_map()
    groups = {prefix: {"title": title, "rows": []} for prefix, title in GROUPS}
    other = {"title": _l("Other rules"), "rows": []}
    for key in ordered_keys(book):
        overrides = [(names.get(code, code), show_value(key, layer[key]))
                     for code, layer in sorted(book.categories.items()) if key in layer]
        groups.get(group_of(key), other)["rows"].append({
            "key": key, "label": key_label(key), "working_days": key in book.working_days,
            "school": show_value(key, book.school[key]) if key in book.school else None,
            "default": show_value(key, book.defaults[key]), "overrides": overrides})
    latest = store().history(session, sid)[:1]
    return render_template("rules_admin/index.html", groups=[g for g in [*groups.values(), other] if g["rows"]],
                           version=latest[0] if latest else None, jobs=rearm.latest_jobs(session, sid, limit=5),
                           calendar=book.calendar)


@bp.route("/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit() -> ResponseReturnValue:
    book = current_book()
    names = category_map()
    codes = list(names)
    form_class = rules_form_class(book.defaults, codes)
    if request.method == "POST":
        form = form_class()
        category = form.category.data if form.category.data in codes else None
    else:
        chosen = request.args.get("category")
        with_overrides = [c for c in codes if c in book.categories]
        category = chosen if chosen in codes else next(iter(with_overrides or codes), None)
        form = form_class(formdata=None, data=initial_data(book, category))
    general: list[str] = []
    if request.method == "POST":
        form_ok = form.validate_on_submit()  # its own mistakes, then the rule checks: every one is shown at once
        content = content_from(form, book)
        try:
            store().check(content)
        except RulesRefused as refused:
            general = attach_problems(form, refused.problems, category, book.defaults, names)
        else:
            if form_ok and not diff(book.content(), normalised(content)):
                general = [_("Nothing to save: these are the rules in force.")]
            elif form_ok:
                return render_preview(content, (form.comment.data or "").strip())
    # the bar lists the categories, and the service items that have overrides or are being edited
    shown = {code: name for code, name in names.items()
             if parent_category(code) is None or code in book.categories or code == category}
    parent = parent_category(category) if category else None
    rows = form_rows(form, book)
    return render_template("rules_admin/edit.html", form=form, groups=rows, category=category,
                           categories=shown, overrides=book.categories,
                           summary=error_summary(form, rows, general, names.get(category) if category else None),
                           item_of=names.get(parent) if parent else None)


@bp.post("/confirm")
@roles_required(ADMIN)
def confirm() -> ResponseReturnValue:
    form = ConfirmForm()
    payload = load_token(form.token.data or "")
    if not form.validate_on_submit():
        try:
            return render_preview(payload["content"], payload["comment"], restored_from=payload.get("restored_from"),
                                  confirm=form)
        except RulesRefused:
            abort(400)
    session, sid = db.session(), school_id()
    rule_store = store()
    current = rule_store.book(session, sid)
    if current_version(session, sid) != payload["base_version"]:
        flash(_("The rules were changed by someone else after your preview; nothing was saved. "
                "Please check them again."), "error")
        return redirect(url_for(".index"))
    try:
        if payload.get("restored_from"):
            row = rule_store.restore(session, school_id=sid, version=payload["restored_from"],
                                     author=current_user.username)
        else:
            row = rule_store.save(session, school_id=sid, content=payload["content"], author=current_user.username,
                                  comment=payload["comment"])
        proposed = rule_store.check(row.content)
    except (RulesRefused, LookupError):
        session.rollback()
        flash(_("These rules can no longer be saved; nothing was saved. Please check them again."), "error")
        return redirect(url_for(".index"))
    keys = rearm.changed_keys(current, proposed)
    job_id = None
    if form.open_orders.data == "rearm" and keys:
        job_id = rearm.start_job(session, school_id=sid, version=row.version, keys=keys,
                                 author=current_user.username).id
    session.commit()
    flash(_("Saved as version %(version)d.", version=row.version), "success")
    if job_id is None:
        if form.open_orders.data == "rearm":
            flash(_("No waiting deadline depends on the changed rules: there is nothing to re-arm."), "success")
        return redirect(url_for(".index"))
    start_background(job_id)
    return redirect(url_for(".job", job_id=job_id))


@bp.get("/jobs/<int:job_id>")
@roles_required(ADMIN)
def job(job_id: int) -> ResponseReturnValue:
    row = _job_of_school(job_id)
    return render_template("rules_admin/job.html", job=row, progress=rearm.progress(db.session(), job_id),
                           key_label=key_label)


@bp.get("/jobs/<int:job_id>.json")
@roles_required(ADMIN)
def job_json(job_id: int) -> ResponseReturnValue:
    _job_of_school(job_id)
    return jsonify(rearm.progress(db.session(), job_id))


def _job_of_school(job_id: int) -> RearmJob:
    row = db.session().get(RearmJob, job_id)
    if row is None or row.school_id != school_id():
        abort(404)
    return row


@bp.get("/history")
@roles_required(ADMIN)
def history() -> ResponseReturnValue:
    rule_store = store()
    versions = rule_store.history(db.session(), school_id())
    names = category_map()
    entries = []
    for index, row in enumerate(versions):
        before = versions[index + 1].content if index + 1 < len(versions) else rule_store.default_book.content()
        entries.append({"row": row, "changes": readable_diff(before, row.content, names),
                        "current": index == 0})
    return render_template("rules_admin/history.html", entries=entries, form=RestoreForm(), format_when=format_when)


@bp.post("/history/<int:version>/restore")
@roles_required(ADMIN)
def restore(version: int) -> ResponseReturnValue:
    form = RestoreForm()
    if not form.validate_on_submit():
        abort(400)
    old = db.session().scalar(select(RuleSet).where(RuleSet.school_id == school_id(), RuleSet.version == version))
    if old is None:
        abort(404)
    try:
        return render_preview(old.content, _("Restore version %(version)d", version=version), restored_from=version)
    except RulesRefused:
        flash(_("Version %(version)d cannot be restored: it does not pass today's rule checks.", version=version),
              "error")
        return redirect(url_for(".history"))


@bp.route("/calendar", methods=["GET", "POST"])
@roles_required(ADMIN)
def calendar() -> ResponseReturnValue:
    session, sid = db.session(), school_id()
    book = current_book()
    names = category_map()
    category = request.values.get("category") if request.values.get("category") in names else None
    cal = book.calendar
    if request.method == "POST":
        form = CalendarForm()
    else:
        form = CalendarForm(formdata=None, data={
            "opens": cal.opens.strftime("%H:%M"), "closes": cal.closes.strftime("%H:%M"),
            "holidays": "\n".join(sorted(d.isoformat() for d in cal.holidays)),
            "makeup_days": "\n".join(sorted(d.isoformat() for d in cal.makeup_days))})
    proposed = None
    if request.method == "POST" and form.validate_on_submit():
        new_calendar = calendar_content(form, book)
        if new_calendar is not None:
            content = {**book.content(), "calendar": new_calendar}
            proposed = store().check(content)
            if request.form.get("action") == "save":
                comment = (form.comment.data or "").strip()
                if not comment:
                    form.comment.errors = [*form.comment.errors, _("Say why you are changing the calendar.")]
                elif not diff(book.content(), content):
                    flash(_("Nothing to save: this is the calendar in force."), "error")
                else:
                    row = store().save(session, school_id=sid, content=content, author=current_user.username,
                                       comment=comment)
                    session.commit()
                    flash(_("Saved as version %(version)d.", version=row.version), "success")
                    return redirect(url_for(".calendar", start=form.start.data or None, category=category))
    start = preview_start(form, cal.timezone)
    if not form.start.data:
        form.start.data = start.strftime("%Y-%m-%dT%H:%M")
    return render_template("rules_admin/calendar.html", form=form, calendar=cal, category=category, categories=names,
                           start=format_when(start, cal.timezone),
                           rows=escalation_preview(book, proposed, start, category), proposed=proposed is not None)


# --- which rule applies ------------------------------------------------------------------------

@bp.get("/explain")
@roles_required(ADMIN)
def explain() -> ResponseReturnValue:
    session, sid = db.session(), school_id()
    number = (request.args.get("number") or "").strip()[:40]
    subject = None
    names = category_map()
    if number:
        subject = subject_of(session, db.runtime().modules, school_id=sid, number=number, locale=locale_code())
        if subject is None:
            flash(_("There is no order, plan occurrence or delegated task numbered %(number)s in your school.", number=number), "error")
    return render_template("rules_admin/explain.html", number=number, subject=subject,
                           rows=explained(current_book(), subject, names) if subject else [],
                           category=names.get(subject.category, subject.category) if subject and subject.category else None,
                           locale=locale_code())
