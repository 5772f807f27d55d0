"""Twilio's webhooks: an inbound SMS or WhatsApp message (answered with TwiML), and statuses."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from bot.channels.twilio_client import STATUS_PATH
from bot.channels.twilio_sms import (
    PayloadError,
    inbound_message,
    status_report,
    twiml,
    valid_signature,
)
from bot.config.settings import Settings
from bot.services.inbound.handle import handle_inbound
from bot.services.message_status import record_status
from bot.web.context import runtime, settings

log = logging.getLogger(__name__)
bp = Blueprint("twilio_sms", __name__)


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
    if not valid_signature(config.twilio_auth_token, signed_url(config), request.form, signature):
        abort(403, "invalid X-Twilio-Signature")


@bp.post("/webhooks/twilio/sms")
def inbound_sms() -> Response:
    """Receive one SMS (or WhatsApp message) from Twilio and answer with TwiML."""
    config = settings()
    verify_signature(config)
    rt = runtime()
    try:
        message = inbound_message(request.form, config.default_region, rt.clock())
    except PayloadError as exc:
        abort(400, str(exc))
    return Response(twiml(handle_inbound(rt, message)), mimetype="text/xml")


@bp.post(STATUS_PATH)
def message_status() -> Response:
    """Record Twilio's report of how an outbound message fared; Twilio ignores the answer."""
    verify_signature(settings())
    try:
        report = status_report(request.form)
    except PayloadError as exc:
        abort(400, str(exc))
    record_status(runtime(), report)
    return Response(status=204)
