"""Twilio SMS (and WhatsApp's webhooks): reading forms (no Flask here), TwiML, the REST sender."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime, timedelta

import requests
from twilio.base import values
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse
from urllib3.exceptions import NewConnectionError

from bot.channels.twilio_client import WHATSAPP_PREFIX, rest_client, status_callback
from bot.config.settings import Settings
from bot.i18n.controls import clean_text, has_controls
from bot.i18n.sms import segments
from bot.ports import DeliveryError, InboundMessage
from bot.scheduling.states import DeliveryFailure, MessageStatus
from bot.services.addresses import AddressError, Channel, normalise_phone, without_numbers
from bot.services.message_status import StatusReport

log = logging.getLogger(__name__)

# Twilio's code for "the recipient replied STOP to this number": a send is refused for good,
# and a status callback carrying it means they opted out with the carrier or with Twilio. Either
# way they are treated as opted out here too.
OPTED_OUT_CODE = 21610
CARRIER_OPT_OUT = str(OPTED_OUT_CODE)
# Refusals that will never succeed on retry: 21211/21614 the number is invalid or cannot
# receive SMS, 21408 its region is not enabled, 21612 no route to it. Others (30004 blocked,
# 30005 unknown number, 30006 landline or unreachable carrier) come by status callback and
# are only recorded on the message.
PERMANENT_ERRORS = frozenset({21211, 21614, 21408, 21612})
# Every MessageStatus Twilio sends (anything else is not from Twilio), in Parley's words.
TWILIO_STATUSES = {
    "queued": MessageStatus.QUEUED,
    "sending": MessageStatus.SENDING,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "read": MessageStatus.READ,
    "accepted": MessageStatus.ACCEPTED,
    "scheduled": MessageStatus.SCHEDULED,
    "canceled": MessageStatus.CANCELLED,
    # Only inbound messages are received: a report of one never changes an outbound message.
    "receiving": MessageStatus.RECEIVED,
    "received": MessageStatus.RECEIVED,
}
_ERROR_CODE = re.compile(r"[0-9]{1,10}")
# Our clock and Twilio's may disagree by this much when matching a message we may have sent.
CLOCK_SKEW = timedelta(minutes=5)
# A resident gets few texts from us: their latest messages are enough to find one in doubt.
LOOKUP_PAGE = 50
# The longest value accepted in each field Parley reads: Twilio's SIDs are 34 characters, a
# number at most 15 digits (plus a prefix such as `whatsapp:`), a message at most 1,600
# characters, NumMedia at most 10. Longer is not from Twilio, and must never reach a column.
# (ErrorCode is read as at most 10 digits.)
FIELD_LIMITS = {
    "MessageSid": 64,
    "SmsSid": 64,
    "From": 64,
    "To": 64,
    "Body": 1600,
    "OptOutType": 16,
    "NumMedia": 4,
    "MessageStatus": 32,
}


class TwilioSender:
    """Send SMS through the Twilio REST API (or a stand-in at TWILIO_API_BASE_URL)."""

    def __init__(
        self, client: Client, from_number: str, status_callback: str | None = None
    ) -> None:
        self._client = client
        self._from = from_number
        self._status_callback = status_callback

    @property
    def identity(self) -> str:
        """Name the number (or Messaging Service) this sender sends from: the pacing key."""
        return self._from

    def cost(self, body: str) -> int:
        """Return how many SMS segments `body` takes: carriers pace a number by segments."""
        return segments(body)

    @classmethod
    def from_settings(cls, config: Settings) -> TwilioSender:
        """Build a sender from settings, with a request timeout the client lacks by default."""
        return cls(rest_client(config), config.twilio_from_number, status_callback(config))

    def _to(self, address: str) -> str:
        """Write a resident's address as Twilio's `To` (SMS: the E.164 number itself)."""
        return address

    def send(self, address: str, body: str) -> str | None:
        """Send one SMS; raise DeliveryError saying what Twilio's refusal means when it fails."""
        return self._create(address, body=body)

    def _create(self, address: str, **content: str) -> str | None:
        """Create one message with `content` (a body, or a template); return its SID."""
        callback = self._status_callback or values.unset
        # A Messaging Service (MG…) picks the sending number from its pool itself.
        service = self._from.startswith("MG")
        try:
            message = self._client.messages.create(
                to=self._to(address),
                from_=values.unset if service else self._from,
                messaging_service_sid=self._from if service else values.unset,
                status_callback=callback,
                **content,
            )
        except TwilioRestException as exc:
            raise delivery_error(exc) from exc
        except (TwilioException, OSError) as exc:
            raise DeliveryError(
                f"Twilio unreachable: {type(exc).__name__}", uncertain=not never_sent(exc)
            ) from exc
        sid: str | None = message.sid
        return sid

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Return the SID of `body` sent to `address` since `since`, if Twilio took it.

        Twilio has no idempotency key for messages: To, From, the exact body and the time are
        what identify ours (a resident never gets the same text twice within minutes).
        """
        return next((sid for sid, sent in self._sent_since(address, since) if sent == body), None)

    def _sent_since(self, address: str, since: datetime) -> list[tuple[str, str | None]]:
        """List the SID and body of each message Twilio took from us for `address` since `since`."""
        service = self._from.startswith("MG")
        try:
            found = self._client.messages.list(
                to=self._to(address),
                from_=values.unset if service else self._from,
                limit=LOOKUP_PAGE,
            )
        except TwilioRestException as exc:
            raise DeliveryError(without_numbers(exc.msg), str(exc.code or exc.status)) from exc
        except (TwilioException, OSError) as exc:
            raise DeliveryError(f"Twilio unreachable: {type(exc).__name__}") from exc
        earliest = since - CLOCK_SKEW
        return [
            (str(m.sid), m.body)
            for m in found
            if (m.messaging_service_sid if service else m.from_) == self._from
            and m.date_created
            and m.date_created >= earliest
        ]


# A phone number as Twilio writes one in an error: E.164, or digits with spaces and dashes.
def never_sent(exc: Exception) -> bool:
    """Say whether a failed request certainly never reached Twilio (safe to send again).

    Refused connections, unknown hosts, connect timeouts and TLS failures happen before the
    request is written; a read timeout or a reset after writing leaves it unknown.
    """
    if isinstance(exc, requests.exceptions.ConnectTimeout | requests.exceptions.SSLError):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError)
    return False


def delivery_error(exc: TwilioRestException) -> DeliveryError:
    """Read a refused send into a DeliveryError whose kind says what the refusal means.

    Rate limiting (429) and Twilio's own outages (5xx) pass, whatever code they carry; a 5xx
    may come after Twilio took the message, so it is looked up before any resend. (Twilio's
    client keeps no response headers on its errors, so there is no Retry-After to pass on:
    the delivery backoff applies.)
    """
    code, text = str(exc.code or exc.status), without_numbers(exc.msg)
    if exc.status == 429 or exc.status >= 500:
        return DeliveryError(text, code, uncertain=exc.status >= 500)
    return DeliveryError(text, code, failure_kind(exc.code))


def failure_kind(code: int | None) -> DeliveryFailure:
    """Say what a Twilio error code on a refused send means for sending it again."""
    if code == OPTED_OUT_CODE:
        return DeliveryFailure.OPTED_OUT
    if code in PERMANENT_ERRORS:
        return DeliveryFailure.PERMANENT
    return DeliveryFailure.TRANSIENT


class PayloadError(ValueError):
    """A webhook's form is not what Twilio sends; str() names the field and the reason."""


def valid_signature(auth_token: str, url: str, form: Mapping[str, str], signature: str) -> bool:
    """Say whether `signature` is Twilio's signature of `url` and `form` with `auth_token`."""
    return bool(RequestValidator(auth_token).validate(url, form, signature))


def check_fields(form: Mapping[str, str]) -> None:
    """Refuse, naming it, the first field Parley reads that Twilio would never send so.

    Too long for its column, or an identifier with a control character (PostgreSQL refuses
    a NUL): either would otherwise fail in the database as a 500.
    """
    for name, limit in FIELD_LIMITS.items():
        value = form.get(name, "")
        if len(value) > limit:
            raise PayloadError(f"{name}: longer than {limit} characters")
        # A resident's Body may hold anything: clean_text drops its control characters.
        if name != "Body" and has_controls(value):
            raise PayloadError(f"{name}: must not contain control characters")


def inbound_message(form: Mapping[str, str], region: str, now: datetime) -> InboundMessage:
    """Normalise an inbound SMS (or WhatsApp) webhook's form into the one inbound type."""
    check_fields(form)
    sid = form.get("MessageSid") or form.get("SmsSid")
    sender = form.get("From")
    if not sid or not sender:
        raise PayloadError("MessageSid and From are required")
    channel = channel_of(sender)
    try:
        address = normalise_phone(sender.removeprefix(WHATSAPP_PREFIX), region)
    except AddressError as exc:
        raise PayloadError(f"From: {exc}") from exc
    return InboundMessage(
        channel=channel,
        address=address,
        text=clean_text(form.get("Body", "")),
        provider_message_id=sid,
        received_at=now,
        provider_keyword=form.get("OptOutType"),
        media_count=media_count(form),
    )


def channel_of(number: str) -> Channel:
    """Say which channel a Twilio number is on: `whatsapp:+1…` is WhatsApp, anything else SMS."""
    return Channel.WHATSAPP if number.startswith(WHATSAPP_PREFIX) else Channel.SMS


def media_count(form: Mapping[str, str]) -> int:
    """Read how many attachments (an MMS picture) came with an inbound message: NumMedia."""
    given = form.get("NumMedia", "").strip()
    if not given:
        # A request without NumMedia may still carry a picture's address.
        return 1 if form.get("MediaUrl0") else 0
    # check_fields() has bounded its length; "²" passes isdigit() but not int().
    if not (given.isascii() and given.isdigit()):
        raise PayloadError("NumMedia: must be a whole number")
    return int(given)


def status_report(form: Mapping[str, str]) -> StatusReport:
    """Normalise a status callback's form: which message, how it fared, any error code."""
    check_fields(form)
    sid = form.get("MessageSid")
    status = form.get("MessageStatus")
    if not sid or not status:
        raise PayloadError("MessageSid and MessageStatus are required")
    if status not in TWILIO_STATUSES:
        raise PayloadError(f"MessageStatus: {status[:32]!r} is not a Twilio message status")
    error_code = form.get("ErrorCode") or None
    if error_code is not None and not _ERROR_CODE.fullmatch(error_code):
        raise PayloadError("ErrorCode: must be a number")
    reported = TWILIO_STATUSES[status]
    channel = channel_of(form.get("From", "") or form.get("To", ""))
    return StatusReport(channel, sid, reported, error_code, error_code == CARRIER_OPT_OUT)


def twiml(replies: list[str]) -> str:
    """Wrap replies in a TwiML document."""
    document = MessagingResponse()
    for reply in replies:
        document.message(reply)
    return str(document)
