"""What retention takes out of typed answers (phone numbers), and the cap's day, rounded up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.retention import REMOVED, own_digits, round_up_to_day, scrub_numbers


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("call me at 555-867-5309 please", f"call me at {REMOVED} please"),
        ("my cell +1 (555) 012-3456.", f"my cell {REMOVED}."),
        ("uk: +44 20 7946 0958", f"uk: {REMOVED}"),
        ("ring ５５５-８６７-５３０９ now", f"ring {REMOVED} now"),
        ("two: 5550123456 and 555 010 9999", f"two: {REMOVED} and {REMOVED}"),
    ],
)
def test_phone_numbers_in_the_agencys_region_and_abroad_are_removed(
    text: str, scrubbed: str
) -> None:
    assert scrub_numbers(text, "US") == scrubbed


@pytest.mark.parametrize(
    "text",
    ["5", "10", "I waited 45 minutes", "incident 24-001234", "on 12/03/2024 at 10:30", ""],
)
def test_scores_dates_and_short_figures_are_left_as_they_are(text: str) -> None:
    assert scrub_numbers(text, "US") == text


def test_the_residents_own_number_goes_however_it_is_typed() -> None:
    # A visitor's UK number typed in its national form: not a number in the agency's region.
    own = own_digits("+447700900123", "US")
    assert own == ("7700900123",)
    assert scrub_numbers("ring 07700 900123 pls", "US") == "ring 07700 900123 pls"
    assert scrub_numbers("ring 07700 900123 pls", "US", own) == f"ring {REMOVED} pls"
    # A Telegram chat id is no phone number at all.
    chat = own_digits("1234567890123", "US")
    assert scrub_numbers("id 1234567890123", "US", chat) == f"id {REMOVED}"


def test_short_addresses_are_not_hunted_for() -> None:
    assert own_digits("12345", "US") == ()
    assert own_digits(None, "US") == ()


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 11, 2, 15, 0, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)),
        (datetime(2026, 11, 2, 0, 0, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 59, 59, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_the_cap_remembers_the_survey_day_rounded_up_to_utc_midnight(
    moment: datetime, day: datetime
) -> None:
    assert round_up_to_day(moment) == day
    assert round_up_to_day(moment.astimezone()) == day
