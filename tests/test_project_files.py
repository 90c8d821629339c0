"""The production and CLI entry points: compose file shape and `houqin deploy` error reporting."""
from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from webapp.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_compose_runs_every_service_with_health_checks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "migrate"} <= services.keys()
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and env["REDIS_URL"].startswith("redis://")
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert {"pgdata", "redisdata", "uploads"} <= compose["volumes"].keys()
    assert "webapp.worker" in " ".join(services["worker"]["command"])


def test_cli_deploy_refuses_a_bad_diagram_with_file_line_and_element(tmp_path, monkeypatch):
    monkeypatch.setenv("HOUQIN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    bad = tmp_path / "bad"
    bad.mkdir()
    source = (ROOT / "bpmn" / "job_ticket" / "job_ticket.bpmn").read_text()
    (bad / "job.bpmn").write_text(source.replace("rule_duration('repair.work.overdue_after')</bpmn:timeDuration>", "PT1H</bpmn:timeDuration>"))
    runner = CliRunner()
    assert runner.invoke(cli, ["init-db"]).exit_code == 0
    result = runner.invoke(cli, ["deploy", str(bad)])
    assert result.exit_code == 1
    assert "job.bpmn:" in result.output and "job_overdue" in result.output and "must be quoted" in result.output
    ok = runner.invoke(cli, ["deploy"])
    assert ok.exit_code == 0, ok.output
    assert "job_ticket v1: deployed" in ok.output
    again = runner.invoke(cli, ["deploy"])
    assert "job_ticket v1: unchanged" in again.output
