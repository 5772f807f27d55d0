"""The Twilio sender says what a refusal means, and prices a text in SMS segments.

Through Twilio's real client against the local REST stand-in: the stand-in answers with the
HTTP status and error code Twilio would, and the sender reads them into a delivery failure
kind, the only thing the delivery service looks at.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.channels.console import ConsoleSender
from bot.channels.twilio_sms import TwilioSender
from bot.config.settings import Settings
from bot.ports import DeliveryError
from bot.scheduling.states import DeliveryFailure
from tests.standins import TwilioStandIn

TO = "+15550100001"


@pytest.fixture()
def sender(make_settings: Callable[[str], Settings]) -> TwilioSender:
    """Return a sender talking to the stand-in."""
    return TwilioSender.from_settings(make_settings("sqlite://"))


@pytest.mark.parametrize(
    ("http_status", "code", "kind", "uncertain"),
    [
        # The resident replied STOP to our number: opted out, never retried.
        (400, 21610, DeliveryFailure.OPTED_OUT, False),
        # An invalid number, one that cannot take SMS, a region not enabled, no route.
        (400, 21211, DeliveryFailure.PERMANENT, False),
        (400, 21614, DeliveryFailure.PERMANENT, False),
        (400, 21408, DeliveryFailure.PERMANENT, False),
        (400, 21612, DeliveryFailure.PERMANENT, False),
        # Rate limiting passes; so does an outage, which may have taken the message.
        (429, 20429, DeliveryFailure.TRANSIENT, False),
        (503, 20503, DeliveryFailure.TRANSIENT, True),
        # A 5xx is an outage whatever code it carries, 21610 included.
        (500, 21610, DeliveryFailure.TRANSIENT, True),
        # A refusal Parley has no reading for (bad credentials) may be fixed: retry.
        (401, 20003, DeliveryFailure.TRANSIENT, False),
    ],
)
def test_a_refused_send_carries_what_the_refusal_means(
    sender: TwilioSender,
    twilio: TwilioStandIn,
    http_status: int,
    code: int,
    kind: DeliveryFailure,
    uncertain: bool,
) -> None:
    twilio.failures.append((http_status, code))
    with pytest.raises(DeliveryError) as caught:
        sender.send(TO, "hello")
    error = caught.value
    assert (error.kind, error.code, error.uncertain) == (kind, str(code), uncertain)
    assert error.permanent is (kind is not DeliveryFailure.TRANSIENT)
    # Twilio's client keeps no response headers: the delivery backoff decides the wait.
    assert error.retry_after is None
    assert twilio.sent == []


def test_an_unreachable_twilio_is_a_transient_failure_that_never_left(
    make_settings: Callable[[str], Settings],
) -> None:
    settings = replace(make_settings("sqlite://"), twilio_api_base_url="http://127.0.0.1:9")
    with pytest.raises(DeliveryError) as caught:
        TwilioSender.from_settings(settings).send(TO, "hello")
    assert (caught.value.kind, caught.value.uncertain) == (DeliveryFailure.TRANSIENT, False)


def test_a_failed_lookup_is_transient(sender: TwilioSender, twilio: TwilioStandIn) -> None:
    twilio.failures.append((503, 20503))
    with pytest.raises(DeliveryError) as caught:
        sender.find(TO, "hello", datetime.now(UTC))
    assert caught.value.kind is DeliveryFailure.TRANSIENT


def test_a_twilio_text_costs_its_sms_segments(sender: TwilioSender) -> None:
    # GSM-7 takes 160 characters in one segment, 153 a segment beyond; UCS-2 70, then 67.
    bodies = ("Thank you", "x" * 160, "x" * 161, "您" * 70, "您" * 71, "x" * 307)
    assert [sender.cost(body) for body in bodies] == [1, 1, 2, 1, 2, 3]


def test_a_console_message_costs_one_however_long() -> None:
    console = ConsoleSender(io.StringIO())
    assert [console.cost(body) for body in ("hi", "x" * 2000, "您" * 500)] == [1, 1, 1]
