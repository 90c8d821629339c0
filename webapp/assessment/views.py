"""Assessment campaigns and results: the list and starting one by hand (``/assessment``), a campaign's page where
assessors record findings with evidence and the unit accepts or appeals (``/assessment/<number>``), and the
published results with rankings and trends (``/assessment/results``, also the drill-down of the dashboard's unit
score cards). Every page reads only the signed-in user's school; a campaign asks ``may_view``."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.models import HumanTask
from webapp import db
from webapp.assessment.forms import AcceptForm, AppealForm, FindingsForm, SelectChoice, StartForm
from webapp.auth import roles_required
from webapp.i18n import locale_code
from webapp.kept_files import keep_uploads, send_kept
from webapp.shared import WholeMonths, figure_scope, school_id
from workflows.assessment import results, schemes
from workflows.assessment.enums import CampaignKind, CampaignStatus
from workflows.assessment.labels import GRADE_WORDS, KIND_WORDS, STATUS_WORDS
from workflows.assessment.models import Campaign, SchemeVersion
from workflows.assessment.readmodel import VIEW_ROLES, campaign_dict, may_view
from workflows.assessment.service import CampaignError, accept, appeal, by_number, items_of, open_campaign, record_findings
from workflows.i18n import translate
from workflows.people.enums import Role
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import actor_for, role_names

bp = Blueprint("assessment", __name__)
ASSESSOR_ROLES = (Role.supervisor, Role.admin)
MAX_FILES, MAX_MB = 6, 8
RESULT_MONTHS = 13  # the results list's default: this month and the twelve before it, a year of monthly campaigns whole


def _words() -> dict:
    locale = locale_code()
    return {name: {k: translate(v, locale) for k, v in table.items()}
            for name, table in (("grade", GRADE_WORDS), ("kind", KIND_WORDS), ("status", STATUS_WORDS))}


def _viewable(number: str) -> Campaign:
    session = db.session()
    campaign = by_number(session, school_id=school_id(), number=number)
    if campaign is None:
        abort(404)
    if not may_view(session, current_user, campaign, db.runtime().rules):
        abort(403)
    return campaign


def _rule_role(campaign: Campaign, key: str) -> str:
    return str(db.runtime().rules.book(db.session(), campaign.school_id).value(key))


@bp.get("/assessment")
@roles_required(*VIEW_ROLES)
def index() -> ResponseReturnValue:
    session = db.session()
    rows = session.scalars(select(Campaign).where(Campaign.school_id == school_id())
                           .order_by(Campaign.created_at.desc(), Campaign.id.desc()).limit(200)).all()
    form = StartForm()
    form.scheme.choices = [SelectChoice(v.code, f"{v.code} {v.name}") for v in schemes.schemes(session, school_id=school_id())
                          if v.active]
    return render_template("assessment/index.html", rows=rows, words=_words(), form=form,
                           may_start=bool(role_names(current_user) & set(ASSESSOR_ROLES)))


@bp.post("/assessment")
@roles_required(*ASSESSOR_ROLES)
def start() -> ResponseReturnValue:
    session = db.session()
    form = StartForm()
    scheme = schemes.current_of(session, school_id=school_id(), code=form.scheme.data or "")
    if not form.validate() or scheme is None or form.first.data is None or form.last.data is None:
        flash(_("Choose a scheme, a kind and the period's first and last days."), "error")
        return redirect(url_for("assessment.index"))
    try:
        campaign = open_campaign(session, db.runtime().host, scheme=scheme, kind=form.kind.data, first=form.first.data,
                                 last=form.last.data, title=form.title.data or "", started_by=current_user)
        session.commit()
    except CampaignError as err:
        session.rollback()
        flash(_("The campaign was not started: %(why)s", why=err.said(locale_code())), "error")
        return redirect(url_for("assessment.index"))
    return redirect(url_for("assessment.campaign", number=campaign.number))


def _page(campaign: Campaign, findings: FindingsForm | None = None, appeal_form: AppealForm | None = None,
          status: int = 200) -> ResponseReturnValue:
    session, roles = db.session(), role_names(current_user)
    actor = actor_for(session, current_user)
    scoring = campaign.status == CampaignStatus.scoring and _rule_role(campaign, "assessment.assessor.role") in roles
    answering = (campaign.status == CampaignStatus.confirming
                 and actor.may(_rule_role(campaign, "assessment.unit.role"), campaign.unit_id))
    appeal_form = appeal_form or AppealForm()
    items = items_of(session, campaign)
    appeal_form.item.choices = [SelectChoice(i["key"], i["name"]) for i in items]
    scheme = session.get(SchemeVersion, campaign.scheme_id)
    events = db.runtime().modules.timeline(session, module_name="assessment", school_id=campaign.school_id,
                                           key=campaign.number, locale=locale_code())
    open_tasks = session.scalars(select(HumanTask).where(HumanTask.school_id == campaign.school_id,
                                                         HumanTask.business_key == campaign.number)).all()
    mine = [t for t in open_tasks if TASK_POLICY.rights(actor, t).complete]
    return render_template("assessment/campaign.html", campaign=campaign, items=items, scheme=scheme,
                           view=campaign_dict(session, campaign, locale_code()), words=_words(), scoring=scoring,
                           answering=answering, findings_form=findings or FindingsForm(), appeal_form=appeal_form,
                           accept_form=AcceptForm(), events=events, tasks=mine), status


@bp.get("/assessment/<number>")
@login_required
def campaign(number: str) -> ResponseReturnValue:
    return _page(_viewable(number))


@bp.post("/assessment/<number>/findings")
@login_required
def findings(number: str) -> ResponseReturnValue:
    campaign = _viewable(number)
    session = db.session()
    if _rule_role(campaign, "assessment.assessor.role") not in role_names(current_user):
        abort(403)
    form = FindingsForm()
    if not form.validate():
        return _page(campaign, findings=form, status=400)
    kept = keep_uploads(form.evidence, db.runtime().uploads_dir / str(campaign.school_id), max_files=MAX_FILES, max_mb=MAX_MB)
    if kept is None:
        flash(" ".join(form.evidence.errors), "error")
        return _page(campaign, findings=form, status=400)
    counts = [{"rule": name.removeprefix("count-"), "count": request.form.get(name) or 0,
               "note": request.form.get(f"note-{name.removeprefix('count-')}", "")}
              for name in request.form if name.startswith("count-")]
    try:
        record_findings(session, campaign=campaign, user=current_user, item_key=form.item.data or "", findings=counts,
                        evidence=kept, note=form.note.data or "")
        session.commit()
    except CampaignError as err:
        session.rollback()
        flash(err.said(locale_code()), "error")
        return _page(by_number(db.session(), school_id=school_id(), number=number) or abort(404), findings=form, status=400)
    flash(_("Findings saved."), "ok")
    return redirect(url_for("assessment.campaign", number=number))


@bp.post("/assessment/<number>/appeal")
@login_required
def appeal_item(number: str) -> ResponseReturnValue:
    campaign = _viewable(number)
    session = db.session()
    form = AppealForm()
    form.item.choices = [SelectChoice(i["key"], i["name"]) for i in items_of(session, campaign)]
    if not form.validate():
        return _page(campaign, appeal_form=form, status=400)
    kept = keep_uploads(form.evidence, db.runtime().uploads_dir / str(campaign.school_id), max_files=MAX_FILES, max_mb=MAX_MB)
    if kept is None:
        return _page(campaign, appeal_form=form, status=400)
    if not actor_for(session, current_user).may(_rule_role(campaign, "assessment.unit.role"), campaign.unit_id):
        abort(403)
    try:
        appeal(session, db.runtime().host, campaign=campaign, user=current_user, item_key=form.item.data or "",
               reason=form.reason.data or "", evidence=kept)
        session.commit()
    except CampaignError as err:
        session.rollback()
        flash(_("The appeal was not filed: %(why)s", why=err.said(locale_code())), "error")
        return redirect(url_for("assessment.campaign", number=number))
    flash(_("Appeal filed: the leader decides it."), "ok")
    return redirect(url_for("assessment.campaign", number=number))


@bp.post("/assessment/<number>/accept")
@login_required
def accept_result(number: str) -> ResponseReturnValue:
    campaign = _viewable(number)
    session = db.session()
    form = AcceptForm()
    if not form.validate() or not actor_for(session, current_user).may(_rule_role(campaign, "assessment.unit.role"),
                                                                         campaign.unit_id):
        abort(403)
    try:
        accept(session, db.runtime().host, campaign=campaign, user=current_user, note=form.note.data or "")
        session.commit()
    except CampaignError as err:
        session.rollback()
        flash(err.said(locale_code()), "error")
    return redirect(url_for("assessment.campaign", number=number))


@bp.get("/assessment/<number>/files/<stored>")
@login_required
def evidence(number: str, stored: str) -> ResponseReturnValue:
    campaign = _viewable(number)
    files = [f for item in items_of(db.session(), campaign) for holder in (item["score"], item["appeal"]) if holder
             for f in holder.evidence]
    return send_kept(db.runtime().uploads_dir / str(campaign.school_id),
                     next((f for f in files if isinstance(f, dict) and f.get("stored") == stored), None))


@bp.get("/assessment/results", endpoint="results")
@roles_required(*VIEW_ROLES)
def results_page() -> ResponseReturnValue:
    """Published results ranked (or any card's campaigns, ``show``), the newest ranking and the units' trends."""
    session = db.session()
    scope = figure_scope(results.CONDITIONS, request.args.get("show", "assessment_published"), recent=WholeMonths(RESULT_MONTHS))
    rows = results.drilldown(session, school_id=school_id(), key=scope.show, start=scope.start, end=scope.end)
    kind = request.args.get("kind", CampaignKind.monthly)
    if kind not in (CampaignKind.monthly, CampaignKind.quarterly):
        abort(404)
    period, ranking = results.latest_ranking(session, school_id=school_id(), kind=kind)
    return render_template("assessment/results.html", rows=rows, **scope.page(), period=period, ranking=ranking,
                           trends=results.trends(session, school_id=school_id(), kind=kind), kind=kind, words=_words())
