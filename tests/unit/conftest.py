"""Fixtures of the unit tests that run services on the fake database (tests/fakes.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from bot.config.settings import Settings
from bot.services.runtime import Runtime
from tests.fakes import FakeDatabase, fake_runtime
from tests.support import FakeClock

if TYPE_CHECKING:
    from bot.bootstrap import Definitions


@pytest.fixture()
def database() -> FakeDatabase:
    """Return an empty in-memory database."""
    return FakeDatabase()


@pytest.fixture()
def rt(
    database: FakeDatabase, definitions: Callable[[Settings], Definitions], clock: FakeClock
) -> Runtime:
    """Wire a runtime on the fake database with the shipped flows and locales."""
    settings = Settings(agency_name="Springfield Police", help_contact="555-0100")
    return fake_runtime(database, definitions(settings), settings, clock)
