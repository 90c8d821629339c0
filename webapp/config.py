"""Settings read once from the environment, with the embedded default when unset."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from webapp.sso import providers as sso_providers
from workflows.notifications.apps import Messaging
from workflows.notifications.targets import parse_allow

if TYPE_CHECKING:
    from workflows.notifications.channels import SmtpSettings

DEFAULT_DATA_DIR = Path(os.environ.get("HOUQIN_DATA_DIR", Path.cwd() / "var"))


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    secret_key: str
    data_dir: Path
    timer_sweep_seconds: float = 15.0
    periodic_seconds: float = 600.0  # Celery beat: domain jobs such as generating plan occurrences
    embedded_scheduler_seconds: float = 5.0
    default_locale: str = "zh_CN"
    smtp_host: str | None = None  # e-mail notifications are sent only when set
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "houqin@localhost"
    smtp_starttls: bool = False
    secure_cookies: bool = False  # served over HTTPS: session and remember-me cookies only travel encrypted
    # hosts (``host`` or ``host:port``) webhooks may reach although they are not public internet addresses
    webhook_allow: frozenset[str] = frozenset()
    # personal messages: the WeCom app, WeChat official account, SMS account, fallback order, public address
    messaging: Messaging = Messaging()
    # single sign-on: each school's CAS server or OpenID provider (HOUQIN_SSO, webapp/sso/providers.py)
    sso: tuple[sso_providers.Provider, ...] = ()

    def smtp(self) -> SmtpSettings | None:
        """The SMTP server for e-mail notifications, or None when ``SMTP_HOST`` is unset."""
        from workflows.notifications.channels import SmtpSettings

        if not self.smtp_host:
            return None
        return SmtpSettings(host=self.smtp_host, port=self.smtp_port, user=self.smtp_user, password=self.smtp_password,
                            sender=self.smtp_from, starttls=self.smtp_starttls)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("HOUQIN_DATA_DIR", DEFAULT_DATA_DIR))
        return cls(
            database_url=env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'houqin.db'}",
            redis_url=env.get("REDIS_URL") or None,
            secret_key=env.get("SECRET_KEY") or _local_secret(data_dir),
            data_dir=data_dir,
            timer_sweep_seconds=float(env.get("HOUQIN_TIMER_SWEEP_SECONDS", 15)),
            periodic_seconds=float(env.get("HOUQIN_PERIODIC_SECONDS", 600)),
            embedded_scheduler_seconds=float(env.get("HOUQIN_SCHEDULER_SECONDS", 5)),
            smtp_host=env.get("SMTP_HOST") or None,
            smtp_port=int(env.get("SMTP_PORT") or 25),
            smtp_user=env.get("SMTP_USER") or None,
            smtp_password=env.get("SMTP_PASSWORD") or None,
            smtp_from=env.get("SMTP_FROM") or "houqin@localhost",
            smtp_starttls=_flag(env.get("SMTP_STARTTLS")),
            secure_cookies=_flag(env.get("HOUQIN_SECURE_COOKIES")),
            webhook_allow=parse_allow(env.get("HOUQIN_WEBHOOK_ALLOW")),
            messaging=Messaging.from_env(env),
            sso=sso_providers.from_env(env),
        )


def _local_secret(data_dir: Path) -> str:
    """A per-installation secret for the embedded mode, created once and kept in the data dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")
