"""Reach the real PostgreSQL and Redis: skip on a laptop without them, fail in CI."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _reachable(host: str, port: int) -> bool:
    """Say whether a TCP port answers within a second."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def missing_service(reason: str, name: str) -> None:
    """Skip on a laptop, fail in CI, for a service that is not there."""
    _missing(reason, name)


def _missing(reason: str, name: str) -> None:
    """Skip on a laptop, fail in CI: CI must exercise the real thing."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; CI must exercise the real {name}", pytrace=False)
    pytest.skip(reason)


def require_service(name: str, host: str, port: int) -> None:
    """Skip (laptop) or fail (CI) when a real service is not reachable."""
    if not _reachable(host, port):
        _missing(f"{name} not reachable on {host}:{port}", name)


CHROMIUM = "/usr/bin/chromium"


def require_browser() -> None:
    """Skip (laptop) or fail (CI) without Debian's chromium and the playwright package."""
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"{CHROMIUM} is missing (scripts/setup-browser installs it)", "browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing(
            "the playwright package is missing (pip install -r requirements-dev.txt)", "browser"
        )


@contextmanager
def postgres_schema() -> Iterator[str]:
    """Create a throwaway schema on the real PostgreSQL and yield a URL that uses it."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import sqlalchemy as sa

    schema = f"parley_test_{secrets.token_hex(4)}"
    # NullPool: no connection outlives its block, so none is left open for the GC to find.
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
