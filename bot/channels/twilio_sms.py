"""Twilio SMS: the signed inbound webhook (TwiML replies) and the REST sender."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.addresses import AddressError, normalise_phone
from bot.channels.common import clean_text
from bot.config import Settings
from bot.ports import DeliveryError, InboundMessage
from bot.services.inbound import handle_inbound
from bot.web.context import runtime, settings

log = logging.getLogger(__name__)
bp = Blueprint("twilio_sms", __name__)

# Provider errors that will never succeed on retry: 21610 the number replied STOP to us,
# 21211/21614 the number is invalid or cannot receive SMS.
PERMANENT_ERRORS = frozenset({21610, 21211, 21614, 21408, 21612})


class TwilioSender:
    """Send SMS through the Twilio REST API (or a stand-in at TWILIO_API_BASE_URL)."""

    def __init__(self, client: Client, from_number: str) -> None:
        self._client = client
        self._from = from_number

    @classmethod
    def from_settings(cls, config: Settings) -> TwilioSender:
        """Build a sender from settings, with a request timeout the client lacks by default."""
        client = Client(
            config.twilio_account_sid,
            config.twilio_auth_token,
            http_client=TwilioHttpClient(timeout=10),
        )
        if config.twilio_api_base_url:
            client.api.base_url = config.twilio_api_base_url
        return cls(client, config.twilio_from_number)

    def send(self, address: str, body: str) -> str | None:
        """Send one SMS; raise DeliveryError with Twilio's error code when it fails."""
        try:
            message = self._client.messages.create(to=address, from_=self._from, body=body)
        except TwilioRestException as exc:
            permanent = exc.code in PERMANENT_ERRORS
            raise DeliveryError(str(exc.msg), str(exc.code or exc.status), permanent) from exc
        except (TwilioException, OSError) as exc:
            raise DeliveryError(f"Twilio unreachable: {type(exc).__name__}") from exc
        sid: str | None = message.sid
        return sid


def signed_url(config: Settings) -> str:
    """Rebuild the URL Twilio signed: the public base URL when set (behind a proxy)."""
    if config.public_base_url:
        query = request.query_string.decode("latin-1")
        return config.public_base_url + request.path + (f"?{query}" if query else "")
    return request.url


def verify_signature(config: Settings) -> None:
    """Answer 403 unless the request carries Twilio's valid signature."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not config.twilio_auth_token:
        log.warning("TWILIO_AUTH_TOKEN is not set: refusing an unverifiable webhook")
        abort(403, "webhook signing is not configured")
    if not signature:
        abort(403, "missing X-Twilio-Signature")
    validator = RequestValidator(config.twilio_auth_token)
    if not validator.validate(signed_url(config), request.form, signature):
        abort(403, "invalid X-Twilio-Signature")


def twiml(replies: list[str]) -> Response:
    """Wrap replies in a TwiML document."""
    document = MessagingResponse()
    for reply in replies:
        document.message(reply)
    return Response(str(document), mimetype="text/xml")


@bp.post("/webhooks/twilio/sms")
def inbound_sms() -> Response:
    """Receive one SMS from Twilio and answer with TwiML."""
    config = settings()
    verify_signature(config)
    sid = request.form.get("MessageSid") or request.form.get("SmsSid")
    sender = request.form.get("From")
    if not sid or not sender:
        abort(400, "MessageSid and From are required")
    try:
        address = normalise_phone(sender, config.default_region)
    except AddressError as exc:
        abort(400, f"From: {exc}")
    rt = runtime()
    message = InboundMessage(
        channel="sms",
        address=address,
        text=clean_text(request.form.get("Body", "")),
        provider_message_id=sid,
        received_at=rt.clock(),
        provider_keyword=request.form.get("OptOutType"),
    )
    return twiml(handle_inbound(rt, message))
