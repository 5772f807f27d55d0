"""Fixtures shared by the integration tests: a runtime on the test database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

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
