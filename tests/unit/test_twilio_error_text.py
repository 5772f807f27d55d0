"""Twilio's refusals are kept for staff without the resident's number they quote."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from bot.channels.twilio_sms import delivery_error, without_numbers


@pytest.mark.parametrize(
    "number", ["+15550104477", "+44 7700 900123", "(555) 010-4477", "whatsapp:+15550104477"]
)
def test_a_refusal_quoting_the_number_is_kept_without_it(number: str) -> None:
    refusal = TwilioRestException(
        400, "https://api.twilio.com", f"The 'To' number {number} is not a valid phone number."
    )
    refusal.code = 21211

    error = delivery_error(refusal)

    assert "[number]" in str(error) and "0104477" not in str(error) and "900123" not in str(error)
    assert error.code == "21211" and error.permanent


def test_error_codes_and_short_figures_stay() -> None:
    text = "Error 21610: attempt to send to unsubscribed recipient, retry in 30 s"

    assert without_numbers(text) == text


def test_telegram_errors_lose_the_chat_ids_they_quote() -> None:
    from telegram.error import BadRequest, ChatMigrated

    from bot.channels.telegram import delivery_error as telegram_error

    migrated = telegram_error(ChatMigrated(-1001234567890))
    refused = telegram_error(BadRequest("Bad Request: chat 987654321 is deactivated"))

    for error in (migrated, refused):
        assert "1234567890" not in str(error) and "987654321" not in str(error), error
        assert "[number]" in str(error)
