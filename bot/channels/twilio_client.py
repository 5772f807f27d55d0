"""What Twilio's SMS and WhatsApp adapters share: the REST client, the callback, the prefix."""

from __future__ import annotations

import logging

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.config.settings import Settings

STATUS_PATH = "/webhooks/twilio/status"
# How Twilio writes a WhatsApp number in From and To, on webhooks and REST calls alike.
WHATSAPP_PREFIX = "whatsapp:"


def rest_client(config: Settings) -> Client:
    """Build Twilio's REST client, with a request timeout the client lacks by default."""
    # The client logs every request's URL at INFO, and a lookup of sent messages puts the
    # resident's number in it (To=+1555…): only its warnings may reach a log.
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    client = Client(
        config.twilio_account_sid,
        config.twilio_auth_token,
        http_client=TwilioHttpClient(timeout=config.twilio_timeout_seconds),
    )
    if config.twilio_api_base_url:
        client.api.base_url = config.twilio_api_base_url
    return client


def status_callback(config: Settings) -> str | None:
    """Return where Twilio reports delivery; without a public origin, ask for no callbacks."""
    base = config.public_base_url.rstrip("/")
    return base + STATUS_PATH if base else None
