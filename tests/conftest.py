"""Shared fixtures: database URLs for SQLite and the real PostgreSQL, a real Redis, the app."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.backing_services import REDIS_URL, postgres_schema, require_service
from tests.standins import TwilioStandIn, twilio_standin
from tests.support import (
    ACCOUNT_SID,
    ADDRESS_HASH_KEY,
    AUTH_TOKEN,
    DATA_KEY,
    FROM_NUMBER,
    IMMEDIATE_POLICY,
    PUBLIC_BASE_URL,
    FakeClock,
)

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from bot.bootstrap import Definitions
    from bot.config.settings import Settings

# App fixtures import the application lazily, so the pure unit tests never load it.


def pytest_configure(config: pytest.Config) -> None:
    """Give every runtime the tests start from the environment (CLI, servers) the test keys."""
    os.environ.setdefault("DATA_KEY", DATA_KEY)
    os.environ.setdefault("ADDRESS_HASH_KEY", ADDRESS_HASH_KEY)


# scrypt as the product hashes (werkzeug's format, the cost read back from the hash), at a
# test-only cost (werkzeug allows n down to about 100 at r=8): the real one (32 MiB,
# n=2**15) took half the time of the staff-page tests.
TEST_PASSWORD_METHOD = "scrypt:256:8:1"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Hash every password of the run at the test-only scrypt cost (checking reads it back)."""
    from werkzeug.security import generate_password_hash

    from bot.services import accounts

    def hash_password(password: str) -> str:
        return generate_password_hash(password, method=TEST_PASSWORD_METHOD)

    patch = pytest.MonkeyPatch()
    patch.setattr(accounts, "hash_password", hash_password)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """Yield a URL to a fresh schema on the real PostgreSQL (dropped afterwards)."""
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Yield a database URL: a SQLite file, then the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parley.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a database no other test uses: a new SQLite file, then a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parley.db'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture()
def redis_url() -> Iterator[str]:
    """Yield a URL to a dedicated database of the real Redis, flushed before and after."""
    require_service("Redis", "127.0.0.1", 6379)
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()


@pytest.fixture()
def clock() -> FakeClock:
    """Return a clock the test moves by hand."""
    return FakeClock()


@pytest.fixture()
def twilio() -> Iterator[TwilioStandIn]:
    """Serve a local stand-in of Twilio's REST API."""
    with twilio_standin() as standin:
        yield standin


@pytest.fixture()
def make_settings(twilio: TwilioStandIn) -> Callable[[str], Settings]:
    """Return a builder of settings for a database URL, with Twilio pointed at the stand-in."""

    from bot.config.settings import Settings

    def build(database_url: str) -> Settings:
        return Settings(
            database_url=database_url,
            public_base_url=PUBLIC_BASE_URL,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from_number=FROM_NUMBER,
            twilio_api_base_url=twilio.url,
            agency_name="Springfield Police",
            complaints_contact="springfield.gov/complaints",
            help_contact="555-0100",
            # Surveys go out at once and the sweep runs only when a test asks: tests of the
            # send rules and the scheduler set their own policy and move the clock.
            send_policy=IMMEDIATE_POLICY,
            sms_segments_per_second=1000.0,
            sweep_seconds=None,
            data_keys=(DATA_KEY,),
            address_hash_key=ADDRESS_HASH_KEY,
        )

    return build


def _fingerprint(directory: Path) -> tuple[object, ...]:
    """Name a directory's files with their sizes and change times: a changed file misses."""
    if not directory.is_dir():
        return (directory,)
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return (directory.resolve(), *((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@pytest.fixture(scope="session")
def definitions() -> Callable[[Settings], Definitions]:
    """Return a loader that parses each flows and locales directory once per test run.

    Parsing every flow and locale file and indexing their words costs a runtime about a
    quarter of a second; the web tests build hundreds of runtimes on the same files.
    """
    from bot.bootstrap import load_definitions

    parsed: dict[tuple[object, ...], Definitions] = {}

    def load(settings: Settings) -> Definitions:
        key = (_fingerprint(settings.flows_dir), _fingerprint(settings.locales_dir))
        if key not in parsed:
            parsed[key] = load_definitions(settings)
        return parsed[key]

    return load


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Settings], Settings]:
    """Return a preparer that starts a new SQLite file as a copy of one migrated per run.

    Running every migration costs a runtime about a third of a second, and hundreds of tests
    each start on a new file. The schema is the one `upgrade` makes: a copy of its result,
    opened without migrating again (tests/integration/test_migrations.py runs the migrations).
    """
    import sqlite3

    from sqlalchemy.engine import make_url

    from storage.db import make_engine, upgrade

    template = tmp_path_factory.mktemp("schema") / "migrated.db"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()

    seen: set[str] = set()

    def prepare(settings: Settings) -> Settings:
        url = make_url(settings.database_url)
        if url.get_backend_name() != "sqlite":
            # A PostgreSQL schema this run has migrated once is at the head already.
            if settings.database_url in seen:
                return settings.with_overrides(migrate_on_start=False)
            if settings.migrate_on_start:
                seen.add(settings.database_url)
            return settings
        path = Path(url.database or "")
        if not url.database or url.database == ":memory:" or path.exists():
            return settings
        path.parent.mkdir(parents=True, exist_ok=True)
        # The backup API copies a consistent database, whatever its journal mode.
        with sqlite3.connect(template) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        source.close()
        copy.close()
        return settings.with_overrides(migrate_on_start=False)

    return prepare


@pytest.fixture()
def make_app(
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    definitions: Callable[[Settings], Definitions],
    migrated: Callable[[Settings], Settings],
) -> Iterator[Callable[..., Flask]]:
    """Return a builder of wired apps on a database URL (settings overridable); close them after."""
    from bot import create_app
    from bot.bootstrap import bootstrap

    built: list[Flask] = []

    def build(database_url: str, **overrides: Any) -> Flask:
        settings = migrated(make_settings(database_url).with_overrides(**overrides))
        rt = bootstrap(settings, clock=clock, definitions=definitions(settings))
        app = create_app(settings, rt)
        app.config["TESTING"] = True
        built.append(app)
        return app

    yield build
    for app in built:
        app.extensions["parley.runtime"].close()


@pytest.fixture()
def app(make_app: Callable[[str], Flask], tmp_path: Path) -> Flask:
    """Return the app on a SQLite file."""
    return make_app(f"sqlite:///{tmp_path / 'app.db'}")


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """Return a test client of the SQLite app."""
    return app.test_client()


@pytest.fixture()
def api_token(app: Flask) -> str:
    """Create a live API token on the app's database, allowed to start surveys and read answers."""
    from bot.services.tokens import SCOPES, create_token

    rt = app.extensions["parley.runtime"]
    return create_token(rt.uow, "test", rt.clock(), SCOPES)
