"""Quiet hours across every zone a resident may be in: a text goes out only when all are awake."""

from __future__ import annotations

import time as clock
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.rules import (
    RefusalReason,
    Refuse,
    Send,
    decide_send,
    next_allowed,
    reminder_times,
)
from tests.unit.scheduling_fixtures import DEFAULT, NIGHT, NOBODY, NY, at, shown

ANCHORAGE = ZoneInfo("America/Anchorage")
ADAK = ZoneInfo("America/Adak")
BOISE = ZoneInfo("America/Boise")
LA = ZoneInfo("America/Los_Angeles")
SYDNEY = ZoneInfo("Australia/Sydney")
PERTH = ZoneInfo("Australia/Perth")
ALASKA = (NY, ANCHORAGE, ADAK)  # a +1 907 number, for a New York agency
IDAHO = (NY, BOISE, LA)  # a +1 208 number


@pytest.mark.parametrize(
    ("zones", "moment", "expected", "label"),
    [
        # 10:00 in New York is 05:00 in Anchorage and 04:00 in Adak: wait for Adak's 09:00.
        (ALASKA, at(NY, "2026-11-04 10:00"), at(ADAK, "2026-11-04 09:00"), "Alaska at dawn"),
        # 19:00 in New York is 15:00 in Anchorage: NY's evening closes the window at 20:00.
        (ALASKA, at(NY, "2026-11-04 19:00"), at(NY, "2026-11-04 19:00"), "open"),
        (ALASKA, at(NY, "2026-11-04 20:00"), at(ADAK, "2026-11-05 09:00"), "NY closed"),
        # 11:00 in New York is 08:00 in Los Angeles (north Idaho): 09:00 Pacific.
        (IDAHO, at(NY, "2026-11-04 11:00"), at(LA, "2026-11-04 09:00"), "Idaho panhandle"),
        # Sydney (summer) and New York overlap 09:00-11:00 in Sydney (17:00-19:00 in NY).
        ((NY, SYDNEY), at(NY, "2026-11-04 12:00"), at(NY, "2026-11-04 17:00"), "Sydney"),
    ],
)
def test_the_first_moment_every_zone_is_outside_quiet_hours(
    zones: tuple[ZoneInfo, ...], moment: object, expected: object, label: str
) -> None:
    found = next_allowed(moment, NIGHT, zones)  # type: ignore[arg-type]
    assert found == expected, label
    assert found is not None
    for zone in zones:
        assert not NIGHT.covers(found.astimezone(zone).time()), shown(found, zone)
        # …and a minute earlier one of them was still quiet (it is the first such moment).
    if found != moment:
        before = found - timedelta(minutes=1)
        assert any(NIGHT.covers(before.astimezone(zone).time()) for zone in zones)


def test_one_zone_in_a_list_is_that_zone() -> None:
    moment = at(NY, "2026-11-04 06:00")
    assert next_allowed(moment, NIGHT, [NY]) == next_allowed(moment, NIGHT, NY)
    assert next_allowed(moment, None, ALASKA) == moment


def test_zones_that_never_share_an_allowed_hour_give_none_at_once() -> None:
    # New York, Sydney and Perth: NY∩Sydney is 17:00-19:00 NY, when Perth sleeps (06:00-08:00).
    started = clock.perf_counter()
    assert next_allowed(at(NY, "2026-11-04 12:00"), NIGHT, (NY, SYDNEY, PERTH)) is None
    assert clock.perf_counter() - started < 1.0


def test_a_survey_to_zones_with_no_shared_hour_is_refused() -> None:
    now = at(NY, "2026-11-04 12:00")
    decision = decide_send(now, now, None, NOBODY, DEFAULT, (NY, SYDNEY, PERTH))
    assert isinstance(decision, Refuse)
    assert decision.reason is RefusalReason.NO_ALLOWED_HOUR


def test_a_survey_to_alaska_waits_for_alaskas_morning() -> None:
    contact = at(NY, "2026-11-04 06:00")  # 01:00 in Anchorage; + 2 h = 08:00 NY
    assert decide_send(contact, contact, None, NOBODY, DEFAULT, ALASKA) == Send(
        at(ADAK, "2026-11-04 09:00")
    )


def test_no_reminders_where_no_hour_is_shared() -> None:
    started = at(NY, "2026-11-04 12:00")
    assert reminder_times(started, DEFAULT, (NY, SYDNEY, PERTH)) == []
    assert reminder_times(started, DEFAULT, ALASKA) == [at(NY, "2026-11-05 14:00")]
