"""A runtime wired for scheduling tests: real storage, the Twilio stand-in, a clock tests move."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

from bot.scheduling.model import SendPolicy
from tests.support import FakeClock

if TYPE_CHECKING:
    from bot.bootstrap import Definitions
    from bot.config.settings import Settings
    from bot.services.runtime import Runtime

# The defaults (2 h delay, 20:00-09:00 quiet, 30-day cap, 1 reminder after 24 h,
# expiry after 72 h), with residents of unknown numbers in New York.
DEFAULTS = SendPolicy(default_timezone="America/New_York")


def new_york() -> str:
    """Return a fresh fictional number with a New York area code (212-555-xxxx)."""
    return f"+1212555{secrets.randbelow(10**4):04d}"


def los_angeles() -> str:
    """Return a fresh fictional number with a Los Angeles area code (213-555-xxxx)."""
    return f"+1213555{secrets.randbelow(10**4):04d}"


@pytest.fixture()
def database_url(own_database_url: str) -> str:
    """Use an empty database of this test's own: the sweep sees every due item in it."""
    return own_database_url


@pytest.fixture()
def build_rt(
    database_url: str,
    make_settings: Callable[[str], Settings],
    clock: FakeClock,
    definitions: Callable[[Settings], Definitions],
) -> Iterator[Callable[..., Runtime]]:
    """Return a builder of runtimes with a send policy and settings overrides."""
    from bot.bootstrap import bootstrap

    built: list[Runtime] = []

    def build(policy: SendPolicy = DEFAULTS, **overrides: Any) -> Runtime:
        # A sending number of its own: pacing slots are shared through the database.
        overrides.setdefault("twilio_from_number", f"+1555{secrets.randbelow(10**7):07d}")
        settings = make_settings(database_url).with_overrides(send_policy=policy, **overrides)
        rt = bootstrap(settings, clock=clock, definitions=definitions(settings))
        built.append(rt)
        return rt

    yield build
    for rt in built:
        rt.close()


def incident() -> str:
    """Return a fresh incident number."""
    return f"2026-{secrets.token_hex(4)}"


def at(text: str) -> datetime:
    """Read an aware ISO 8601 instant."""
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment
