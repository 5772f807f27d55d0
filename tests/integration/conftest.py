"""Fixtures shared by the integration tests: a runtime on the test database."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine

from storage.db import make_engine, upgrade
from tests.integration.scheduling.conftest import DEFAULTS
from tests.support import FakeClock

if TYPE_CHECKING:
    from bot.bootstrap import Definitions
    from bot.config.settings import Settings
    from bot.services.runtime import Runtime


@pytest.fixture()
def rt(
    database_url: str,
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    definitions: Callable[[Settings], Definitions],
) -> Iterator[Runtime]:
    """Wire a runtime on the test database and clock, Twilio pointed at the stand-in."""
    from bot.bootstrap import bootstrap

    settings = make_settings(database_url)
    runtime = bootstrap(settings, clock=clock, definitions=definitions(settings))
    yield runtime
    runtime.close()


@pytest.fixture()
def start(
    own_database_url: str,
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    flows_dir: Path,
) -> Iterator[Callable[[], Runtime]]:
    """Return a starter of the app on the test's own database: each call is a (re)start.

    It starts on the `flows_dir` the module gives: the flow files the test publishes from.
    """
    from bot.bootstrap import bootstrap

    started: list[Runtime] = []
    settings = make_settings(own_database_url).with_overrides(
        send_policy=DEFAULTS,
        flows_dir=flows_dir,
        twilio_from_number=f"+1555{secrets.randbelow(10**7):07d}",
    )

    def restart() -> Runtime:
        for rt in started:
            rt.close()
        started.clear()
        started.append(bootstrap(settings, clock=clock))
        return started[0]

    yield restart
    for rt in started:
        rt.close()


@pytest.fixture()
def engine(own_database_url: str) -> Iterator[Engine]:
    """Open the test's own database, migrated."""
    engine = make_engine(own_database_url)
    upgrade(engine)
    yield engine
    engine.dispose()
