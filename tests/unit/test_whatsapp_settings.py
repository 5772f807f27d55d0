"""WhatsApp's settings and Twilio's `whatsapp:` numbers, read without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.channels.twilio_sms import PayloadError, inbound_message, status_report
from bot.config.settings import Settings
from bot.config.whatsapp import template_for
from bot.services.addresses import Channel

ENV = {
    "WHATSAPP_FROM": "whatsapp:+15005550007",
    "WHATSAPP_TEMPLATE_SID": "HXdefault",
    "WHATSAPP_TEMPLATE_SID_ES": "HXes",
    "WHATSAPP_TEMPLATE_SID_ZH_HANT": "HXzhhant",
    "WHATSAPP_TEMPLATE_SID_FR": "  ",
}


def test_settings_read_the_number_and_a_template_per_language() -> None:
    settings = Settings.from_env(ENV)
    assert settings.whatsapp_from == "+15005550007"
    assert settings.whatsapp_templates == {"": "HXdefault", "es": "HXes", "zh-hant": "HXzhhant"}


@pytest.mark.parametrize(
    ("language", "template"),
    [("es", "HXes"), ("es-MX", "HXes"), ("zh-Hant", "HXzhhant"), ("fr", "HXdefault")],
)
def test_a_language_takes_its_own_template_its_base_languages_or_the_default(
    language: str, template: str
) -> None:
    templates = Settings.from_env(ENV).whatsapp_templates
    assert template_for(templates, language) == template


def test_without_a_default_an_unlisted_language_has_no_template() -> None:
    assert template_for({"es": "HXes"}, "en") is None


def test_a_whatsapp_sender_is_the_whatsapp_channel_at_its_e164_number() -> None:
    form = {"MessageSid": "SM1", "From": "whatsapp:+1 (555) 010-0123", "Body": "hi"}
    message = inbound_message(form, "US", datetime.now(UTC))
    assert (message.channel, message.address) == (Channel.WHATSAPP, "+15550100123")
    sms = inbound_message({**form, "From": "+15550100123"}, "US", datetime.now(UTC))
    assert (sms.channel, sms.address) == (Channel.SMS, "+15550100123")


def test_a_whatsapp_sender_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(PayloadError, match="From"):
        inbound_message({"MessageSid": "SM1", "From": "whatsapp:nobody"}, "US", datetime.now(UTC))


def test_a_status_callback_names_the_channel_from_its_numbers() -> None:
    form = {"MessageSid": "SM1", "MessageStatus": "read", "From": "whatsapp:+15005550007"}
    assert status_report(form).channel == Channel.WHATSAPP
    assert status_report({**form, "From": "+15005550006"}).channel == Channel.SMS
