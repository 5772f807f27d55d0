"""Quiet hours in every zone a number may be in, and the agency's: never a text at dawn."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import at
from tests.integration.scheduling.helpers import report, run, sent_to, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

EARLIER = timedelta(hours=3)


def _number(area: str) -> str:
    """Return a fresh fictional number in a US area code."""
    return f"+1{area}555{secrets.randbelow(10**4):04d}"


def test_a_first_text_to_alaska_waits_for_morning_in_all_of_alaska(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    clock.now = at("2026-11-04T15:00:00+00:00")  # 10:00 in New York, 06:00 Anchorage, 05:00 Adak
    number = _number("907")
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.status == "scheduled"
    assert started.scheduled_for == at("2026-11-04T19:00:00+00:00")  # 09:00 in Adak
    assert run(rt) == []
    clock.now = at("2026-11-04T19:00:00+00:00")
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1


def test_a_text_for_north_idaho_held_until_pacific_morning_when_the_worker_is_late(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    clock.now = at("2026-11-04T20:00:00+00:00")  # 15:00 New York, 13:00 Boise, 12:00 LA
    number = _number("208")
    started = trigger(rt, number)
    assert started.scheduled_for == at("2026-11-04T22:00:00+00:00")
    clock.now = at("2026-11-05T15:30:00+00:00")  # the worker was down: 08:30 Boise, 07:30 LA
    assert run(rt) == ["deferred"]
    assert sent_to(twilio, number) == []
    clock.now = at("2026-11-05T17:00:00+00:00")  # 09:00 in Los Angeles
    assert run(rt) == ["sent"]
    assert report(rt, started.id)["status"] == "active"


def test_a_mobile_that_may_be_anywhere_in_australia_is_refused(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    # Perth or Cocos, Sydney or Lord Howe, and New York are never all awake at once.
    started = trigger(rt, "+61412345678", occurred_at=clock.now - EARLIER)
    assert (started.status, started.reason) == ("refused", "no_allowed_hour")
    clock.advance(days=2)
    assert run(rt) == []
    assert twilio.sent == []
