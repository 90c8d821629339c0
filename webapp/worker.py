"""Celery entry point: ``celery -A webapp.worker worker`` / ``celery -A webapp.worker beat``."""
from webapp import create_app

flask_app = create_app()
celery = flask_app.extensions.get("celery")
if celery is None:
    raise SystemExit("REDIS_URL is not set; Celery needs Redis")
