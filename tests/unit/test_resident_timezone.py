"""A resident's time zones from their number: every zone it may be in, and the agency's."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.services.timezones import resident_timezones

AGENCY = ZoneInfo("America/New_York")
AUSTRALIA = {
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Eucla",
    "Australia/Lord_Howe",
    "Australia/Perth",
    "Australia/Sydney",
    "Indian/Christmas",
    "Indian/Cocos",
}


@pytest.mark.parametrize(
    ("address", "zones"),
    [
        ("+12125550199", {"America/New_York"}),
        ("+12135550123", {"America/Los_Angeles"}),
        ("+18085550123", {"Pacific/Honolulu"}),
        ("+63288881234", {"Asia/Manila"}),
        ("+13125550100", {"America/Chicago"}),
        ("+12121234567", {"America/New_York"}),  # invalid exchange, but a New York area code
        # Alaska's area code spans two zones; Idaho's too (the north keeps Pacific time).
        ("+19075550123", {"America/Anchorage", "America/Adak"}),
        ("+12085550123", {"America/Boise", "America/Los_Angeles"}),
        ("+61298765432", {"Australia/Sydney"}),
        ("+61412345678", AUSTRALIA),  # a mobile may be anywhere in Australia
        (
            "+447911123456",
            {"Europe/London", "Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey"},
        ),
    ],
)
def test_every_zone_a_number_may_be_in_and_the_agencys(address: str, zones: set[str]) -> None:
    found = resident_timezones(address, AGENCY)
    assert found[0] is AGENCY
    assert {zone.key for zone in found} == zones | {AGENCY.key}
    assert len(found) == len({zone.key for zone in found})  # each zone once


@pytest.mark.parametrize(
    "address",
    ["+15555550100", "123456789", "", "not a number", "+999", "+1", "telegram:12345"],
)
def test_an_address_that_says_nothing_gets_the_agency_zone_alone(address: str) -> None:
    default = ZoneInfo("America/Denver")
    assert resident_timezones(address, default) == (default,)
