"""A resident's time zone from their number: one zone gets it, anything else the default."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.timezones import resident_timezone


@pytest.mark.parametrize(
    ("address", "zone"),
    [
        ("+12125550199", "America/New_York"),
        ("+12135550123", "America/Los_Angeles"),
        ("+18085550123", "Pacific/Honolulu"),
        ("+63288881234", "Asia/Manila"),
        ("+639171234567", "Asia/Manila"),
        ("+13125550100", "America/Chicago"),
        ("+12121234567", "America/New_York"),  # invalid exchange, but a New York area code
    ],
)
def test_a_number_with_one_zone_gets_it(address: str, zone: str) -> None:
    assert resident_timezone(address, ZoneInfo("Europe/Paris")).key == zone


@pytest.mark.parametrize(
    "address",
    ["+447911123456", "+15555550100", "123456789", "", "not a number", "+999", "+1"],
)
def test_other_addresses_get_the_agency_default(address: str) -> None:
    default = ZoneInfo("America/Denver")
    assert resident_timezone(address, default) is default
