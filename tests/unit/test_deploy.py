"""deploy/: the units and the compose file start commands that exist, with the settings needed."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ROOT = DEPLOY.parent
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    """Read a systemd unit (keys are case-sensitive)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def _runs_parley(argv: list[str]) -> None:
    """Check that a command line starts Parley's web server or one of its CLI commands."""
    program = Path(argv[0]).name
    if program == "gunicorn":
        config = argv[argv.index("-c") + 1]
        assert (ROOT / config).is_file() and argv[-1] == "wsgi:app"
        assert (ROOT / "wsgi.py").is_file()
        return
    assert program in ("python", "python3") and argv[1:3] == ["-m", "bot"], argv
    group = main.commands[argv[3]]
    if len(argv) > 4:
        assert argv[4] in group.commands  # type: ignore[attr-defined]


def test_there_is_a_unit_per_process() -> None:
    assert {p.name for p in UNITS} == {
        "parley-migrate.service",
        "parley-web.service",
        "parley-worker@.service",
    }


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_runs_a_parley_command_as_its_own_user_with_the_settings(path: Path) -> None:
    service = _unit(path)["Service"]

    _runs_parley(shlex.split(service["ExecStart"]))
    assert service["User"] == "parley" and service["WorkingDirectory"] == "/opt/parley"
    assert service["EnvironmentFile"] == "/etc/parley/parley.env"


def test_web_and_workers_wait_for_the_migration_and_restart_on_failure() -> None:
    for name in ("parley-web.service", "parley-worker@.service"):
        unit = _unit(DEPLOY / "systemd" / name)
        assert "parley-migrate.service" in unit["Unit"]["After"]
        assert unit["Service"]["Restart"] == "on-failure"
        assert "PROMETHEUS_MULTIPROC_DIR=/run/parley/metrics" in unit["Service"]["Environment"]


def test_compose_runs_postgres_redis_a_migration_web_and_workers() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]

    assert set(services) == {"postgres", "redis", "migrate", "web", "worker"}
    for name in ("migrate", "web", "worker"):
        _runs_parley(services[name]["command"])
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["MIGRATE_ON_START"] == "false"
    # RQ's jobs and locks must never be evicted silently.
    redis = services["redis"]["command"]
    assert redis[redis.index("--maxmemory-policy") + 1] == "noeviction"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])


def test_the_example_settings_name_every_key_production_requires() -> None:
    example = (DEPLOY / "parley.env.example").read_text()
    for name in ("DATA_KEY", "ADDRESS_HASH_KEY", "SECRET_KEY", "PUBLIC_BASE_URL", "LOG_FORMAT"):
        assert f"\n{name}=" in example
    dockerignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert ".venv" in dockerignore and "instance" in dockerignore
