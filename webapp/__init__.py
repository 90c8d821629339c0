"""Flask web app: HTML pages for staff and requesters and the JSON API. Views stay thin: parse,
check permissions, call a service, render."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from webapp.config import Settings

if TYPE_CHECKING:
    from workflows.modules.contract import ProcessModule

csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None, *, settings: Settings | None = None,
               modules: tuple[ProcessModule, ...] | None = None) -> Flask:
    """App factory. ``config`` overrides Flask settings (tests); ``settings`` overrides the environment;
    ``modules`` replaces the shipped process modules (:data:`workflows.bootstrap.MODULES`)."""
    from webapp import auth, brand, db, errors, headers, i18n, navigation, throttle
    from webapp.admin import audit, catalogue, imports, org, outbox, people, permissions, rules, schools, subscribers, webhooks
    from webapp.api import admin as admin_api
    from webapp.api import assessment as assessment_api
    from webapp.api import attendance as attendance_api
    from webapp.api import complaints as complaints_api
    from webapp.api import duty as duty_api
    from webapp.api import imports as import_api
    from webapp.api import inspections as inspections_api
    from webapp.api import reads as read_api
    from webapp.api import staff as staff_api
    from webapp.api import standards as standards_api
    from webapp.api import views as api
    from webapp.assessment import schemes as assessment_schemes
    from webapp.assessment import views as assessment
    from webapp.attendance import checkin as attendance_checkin
    from webapp.attendance import manage as attendance_manage
    from webapp.attendance import views as attendance
    from webapp.complaints import intake as complaint_intake
    from webapp.complaints import views as complaints
    from webapp.duty import phone as duty_phone
    from webapp.duty import setup as duty_setup
    from webapp.duty import views as duty
    from webapp.inbox import binding, notifications, sources
    from webapp.inbox import views as inbox
    from webapp.inspections import admin as inspection_admin
    from webapp.inspections import phone as inspection_phone
    from webapp.inspections import views as inspections
    from webapp.orders import counter, portal, rating
    from webapp.orders import views as orders
    from webapp.plans import supervision
    from webapp.plans import views as plans
    from webapp.processes import editor, instances
    from webapp.processes import views as processes
    from webapp.reports import dashboard, onescreen
    from webapp.reports import views as reports
    from webapp.sso import setup as sso_setup
    from webapp.staff import setup as staff_setup
    from webapp.staff import staffing
    from webapp.staff import views as staff
    from webapp.standards import views as standards
    from webapp.surveys import answer as survey_answer
    from webapp.surveys import builder as survey_builder
    from webapp.surveys import results as survey_results
    from webapp.surveys import views as surveys
    from workflows.bootstrap import MODULES, bootstrap

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        HOUQIN_SETTINGS=settings,
    )
    app.config.update(config or {})
    runtime = bootstrap(database_url=settings.database_url, redis_url=settings.redis_url, data_dir=settings.data_dir,
                        timer_sweep_seconds=settings.timer_sweep_seconds, periodic_seconds=settings.periodic_seconds,
                        smtp=settings.smtp(), modules=modules or MODULES, webhook_allow=settings.webhook_allow,
                        messaging=settings.messaging)
    app.extensions["houqin"] = runtime
    if runtime.celery is not None:
        app.extensions["celery"] = runtime.celery

    db.init_app(app)
    i18n.init_app(app)
    headers.init_app(app, secure_cookies=settings.secure_cookies)
    navigation.init_app(app)
    i18n.init_vocabulary(app, runtime.modules)
    app.before_request(portal.allow_photos)  # must run before CSRF reads the form
    csrf.init_app(app)
    auth.login_manager.init_app(app)
    sso_setup.init_app(app)
    pages = (brand.bp, auth.bp, inbox.bp, notifications.bp, binding.bp, orders.bp, portal.bp, counter.bp, rating.bp,
             rules.bp, outbox.bp, webhooks.bp, dashboard.bp, reports.bp, processes.bp, editor.bp, instances.bp,
             people.bp, org.bp, schools.bp, catalogue.bp, imports.bp, permissions.bp, audit.bp, plans.bp,
             supervision.bp, sources.bp, complaint_intake.bp, complaints.bp,
             subscribers.bp, standards.bp, surveys.bp, survey_builder.bp, survey_results.bp, survey_answer.bp,
             inspections.bp, inspection_phone.bp, inspection_admin.bp, staff.bp, staffing.bp, staff_setup.bp,
             attendance.bp, attendance_manage.bp, attendance_checkin.bp, duty.bp, duty_phone.bp, duty_setup.bp,
             assessment.bp, assessment_schemes.bp, onescreen.bp)
    apis = (api.bp, admin_api.bp, complaints_api.bp, read_api.bp, import_api.bp, standards_api.bp, inspections_api.bp,
            staff_api.bp, attendance_api.bp, duty_api.bp, assessment_api.bp)
    for blueprint in (*pages, *apis):
        app.register_blueprint(blueprint)
    for blueprint in apis:
        csrf.exempt(blueprint)  # token-authenticated, no cookies
    throttle.init_app(app, redis_url=settings.redis_url)  # after the blueprints: it wraps the login view

    errors.init_app(app)
    return app
