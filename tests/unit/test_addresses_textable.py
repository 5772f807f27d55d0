"""Numbers a survey may be texted to: a full number, never a local one or a made-up area code."""

from __future__ import annotations

import pytest

from bot.services.addresses import AddressError, normalise_address, normalise_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(212) 555-0123", "+12125550123"),
        ("212.555.0123", "+12125550123"),
        ("+44 20 7183 8750", "+442071838750"),
        ("+1 555 010 0777", "+15550100777"),  # the fiction range agencies test with
    ],
)
def test_full_numbers_are_textable(raw: str, e164: str) -> None:
    assert normalise_address("sms", raw) == e164


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("555-0100", "no area code"),
        ("+1 (000) 555-0142", "area code that does not exist"),
        ("+1 123 555 0142", "area code that does not exist"),
        ("12", "not a"),
    ],
)
def test_incomplete_numbers_are_refused_with_the_reason(raw: str, reason: str) -> None:
    with pytest.raises(AddressError, match=reason):
        normalise_address("sms", raw)


def test_what_a_provider_sends_us_is_read_leniently() -> None:
    # Inbound From numbers are the provider's: read them, don't second-guess them.
    assert normalise_phone("+10005550142") == "+10005550142"
