"""Wire the engine, rules, forms and domain together; called by ``create_app`` and the worker alike.

Nothing is wired at import time: every process (web, Celery worker, beat, CLI, tests) calls
:func:`bootstrap` once with its settings and receives a :class:`Runtime`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from celery import Celery
from sqlalchemy.engine import Engine

import rules.helpers
from engine import events, migration_jobs
from engine.celery_app import CeleryDispatcher, make_celery
from engine.db import Base, make_engine, make_session_factory
from engine.dispatch import InlineDispatcher
from engine.host import Host
from engine.outbox import register_builtins
from engine.registry import Registry
from forms import registry as form_registry
from forms.schema import FormDefinition, check_sources, load_all
from forms.sources import SourceTable
from rules.store import RuleStore
from workflows.assessment import module as assessment_module
from workflows.assessment import registration as assessment_registration
from workflows.attendance import module as attendance_module
from workflows.catalogue.sources import SOURCES as PLACE_SOURCES
from workflows.complaints import module as complaint_module
from workflows.dashboard import registration as dashboard_registration
from workflows.delegation import module as delegation_module
from workflows.duty import module as duty_module
from workflows.hooks.enums import CHANNEL as HOOK_CHANNEL
from workflows.hooks.sender import HookSender
from workflows.inspections import module as inspection_module
from workflows.modules.contract import ProcessModule
from workflows.modules.registry import Modules
from workflows.modules.vocabulary import ENGINE_ACTIONS
from workflows.notifications import personal
from workflows.notifications.apps import Messaging
from workflows.notifications.channels import EmailSender, SmtpSettings, WebhookSender
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.service import inapp_sender
from workflows.people.enums import Role
from workflows.people.permissions import TASK_POLICY
from workflows.people.school_rules import SchoolRowRecords
from workflows.people.sources import SOURCES as PEOPLE_SOURCES
from workflows.plans import module as plan_module
from workflows.repair import module as repair_module
from workflows.reports import registration as report_registration
from workflows.reports.making import ReportMaking
from workflows.staff import module as staff_module
from workflows.surveys import module as survey_module


def import_models() -> type[Base]:
    """Import every module that declares tables, so ``Base.metadata`` is complete (Alembic, tests)."""
    import engine.drafts  # noqa: F401
    import engine.models  # noqa: F401
    import rules.models  # noqa: F401
    import workflows.assessment.models  # noqa: F401
    import workflows.attendance.models  # noqa: F401
    import workflows.catalogue.models  # noqa: F401
    import workflows.complaints.models  # noqa: F401
    import workflows.dashboard.models  # noqa: F401
    import workflows.delegation.models  # noqa: F401
    import workflows.duty.models  # noqa: F401
    import workflows.hooks.models  # noqa: F401
    import workflows.inspections.models  # noqa: F401
    import workflows.notifications.models  # noqa: F401
    import workflows.people.models  # noqa: F401
    import workflows.plans.models  # noqa: F401
    import workflows.repair.models  # noqa: F401
    import workflows.reports.models  # noqa: F401
    import workflows.staff.models  # noqa: F401
    import workflows.standards.models  # noqa: F401
    import workflows.surveys.models  # noqa: F401

    return Base


# The process modules of this deployment: one line per module (see ARCHITECTURE.md, "Adding a process").
MODULES: tuple[ProcessModule, ...] = (
    repair_module.MODULE,
    plan_module.MODULE,
    delegation_module.MODULE,
    complaint_module.MODULE,
    survey_module.MODULE,
    inspection_module.MODULE,
    staff_module.MODULE,
    attendance_module.MODULE,
    duty_module.MODULE,
    assessment_module.MODULE,
)


def build_modules(modules: tuple[ProcessModule, ...] = MODULES) -> Modules:
    """Index the modules with the vocabulary they all share (the engine's audit actions, people and places)."""
    return Modules.of(modules, shared_sources={**PEOPLE_SOURCES, **PLACE_SOURCES}, shared_actions=ENGINE_ACTIONS)


class _DomainApp(Protocol):
    """The Celery app with what the domain's tasks read from it (Celery itself declares no such thing)."""

    houqin_rules: RuleStore
    houqin_report_making: ReportMaking


@dataclass
class Runtime:
    host: Host
    db_engine: Engine
    forms: dict[str, FormDefinition]
    rules: RuleStore
    celery: Celery | None
    uploads_dir: Path
    modules: Modules
    messengers: personal.Messengers
    report_making: ReportMaking

    @property
    def reports_dir(self) -> Path:
        return self.report_making.folder

    @property
    def form_sources(self) -> SourceTable:
        return self.modules.sources


def build_registry(rule_store: RuleStore, form_defs: dict[str, FormDefinition], making: ReportMaking, modules: Modules,
                   smtp: SmtpSettings | None = None, webhook_allow: frozenset[str] = frozenset(),
                   messengers: personal.Messengers | None = None) -> Registry:
    registry = Registry(task_policy=TASK_POLICY)
    register_builtins(registry)
    migration_jobs.register(registry)
    registry.keys("role", lambda name: name in set(Role), lambda: [role.value for role in Role])
    rules.helpers.register(registry, rule_store)
    form_registry.register(registry, form_defs)
    for module in modules.modules:
        if module.register is not None:
            module.register(registry, rule_store)
    assessment_registration.register(registry, rule_store, modules.indicators)  # the indicators of every module
    dashboard_registration.register(registry)
    report_registration.register(registry, making)
    messengers = messengers or personal.Messengers(Messaging(), email=smtp is not None)
    registry.channel("inapp", inapp_sender(messengers.order))
    if smtp is not None:
        registry.channel(PersonalChannel.email, EmailSender(smtp))
    for channel in (PersonalChannel.wecom, PersonalChannel.wechat, PersonalChannel.sms):
        deliverer = messengers.deliverer(channel)
        if deliverer is not None:
            registry.channel(channel, personal.PersonalSender(channel, deliverer, messengers.messaging.public_url))
    registry.channel("webhook", WebhookSender(webhook_allow))
    registry.channel(HOOK_CHANNEL, HookSender(webhook_allow))
    return registry


def bootstrap(*, database_url: str, redis_url: str | None = None, data_dir: Path = Path("var"),
              timer_sweep_seconds: float = 15.0, lookahead_seconds: float = 300.0, periodic_seconds: float = 600.0,
              smtp: SmtpSettings | None = None, modules: tuple[ProcessModule, ...] = MODULES,
              webhook_allow: frozenset[str] = frozenset(), messaging: Messaging | None = None) -> Runtime:
    """Build the runtime. With ``redis_url`` after-commit work goes to Celery, else it runs inline.
    With ``smtp`` and the accounts in ``messaging`` (WeCom, WeChat, SMS) in-app notifications also reach each
    recipient by one personal message, along the fallback order. Webhooks go only to public addresses, except to
    the hosts (``host`` or ``host:port``) in ``webhook_allow``."""
    import_models()
    db_engine = make_engine(database_url)
    rule_store = RuleStore.with_shipped_defaults(roles=set(Role), records=SchoolRowRecords())
    form_defs = load_all()
    indexed = build_modules(modules)
    check_sources(form_defs, indexed.sources)
    reports_dir = Path(data_dir) / "reports"
    making = ReportMaking(reports_dir, indexed, rule_store)
    messengers = personal.build(messaging or Messaging(), redis_url=redis_url, email=smtp is not None)
    registry = build_registry(rule_store, form_defs, making, indexed, smtp, webhook_allow, messengers)
    queued = CeleryDispatcher() if redis_url else None
    host = Host(registry, make_session_factory(db_engine), queued or InlineDispatcher())
    events.register_redelivery(host)
    celery = None
    if queued is not None and redis_url:
        celery = make_celery(host, redis_url=redis_url, timer_sweep_seconds=timer_sweep_seconds,
                             lookahead_seconds=lookahead_seconds, periodic_seconds=periodic_seconds,
                             include=["engine.tasks", "rules.tasks", "workflows.reports.tasks"])
        queued.sends_through(celery)
        cast(_DomainApp, celery).houqin_rules = rule_store  # for rules.tasks (re-arming open orders after a rule change)
        cast(_DomainApp, celery).houqin_report_making = making  # for workflows.reports.tasks
    return Runtime(host=host, db_engine=db_engine, forms=form_defs, rules=rule_store, celery=celery,
                   uploads_dir=Path(data_dir) / "uploads", modules=indexed,
                   messengers=messengers, report_making=making)
