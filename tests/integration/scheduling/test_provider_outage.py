"""Twilio failing for a while (500s, 429s, calls that hang), then recovering: nothing is lost.

Single failures of each kind are tested one by one in test_delivery.py (a 429 retried after
its backoff, 5xx given up after the last attempt) and test_uncertain_delivery.py (a timeout or
a 5xx looked up before any resend). Here they come mixed, for many residents at once, during
their first texts and again during their reminders: every text goes out exactly once, each
resident's in order, and never faster than the sending number's pace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email.utils import parsedate_to_datetime

from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import run, schedule, sent_to, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

RESIDENTS = 8
# The client gives up after TIMEOUT seconds; a hung Twilio answers after SLOW.
TIMEOUT, SLOW = 0.5, 1.0
OUTAGE = [(500, 20500), (429, 20429), (503, 20503), (429, 20429), (500, 20500)]


def _ride_out(rt: Runtime, clock: FakeClock, twilio: TwilioStandIn, minutes: int) -> None:
    """Let time pass in 5-second steps, running what is due; Twilio hangs for two of them."""
    for step in range(minutes * 12):
        twilio.delay = SLOW if step in (2, 3) else 0
        clock.advance(seconds=5)
        run(rt)
    twilio.delay = 0


def _check_paced(rt: Runtime, twilio: TwilioStandIn) -> None:
    """Assert no two texts left closer together than the pace allows, its burst aside.

    Each send holds a slot; the slots of consecutive sends are at least their cost apart, and
    a send leaves within a burst of its slot: so sends i..j span at least the cost of those
    between them, less two bursts.
    """
    sender = rt.senders["sms"]
    key = sender.identity
    sent = [(parsedate_to_datetime(m["DateCreated"]), sender.cost(m["Body"])) for m in twilio.sent]
    slack = 2 * rt.pacing.burst + timedelta(seconds=1)  # date_created counts whole seconds
    for i in range(len(sent)):
        held = timedelta(0)
        for j in range(i + 1, len(sent)):
            held += rt.pacing.cost(key, sent[j - 1][1])
            assert sent[j][0] - sent[i][0] >= held - slack, (i, j)


def test_a_provider_outage_of_500s_429s_and_timeouts_sends_every_text_once_in_order_and_paced(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sms_segments_per_second=1.0, twilio_timeout_seconds=TIMEOUT)
    twilio.clock = clock  # the provider's clock agrees with ours, as date_created shows
    numbers = [new_york() for _ in range(RESIDENTS)]
    twilio.failures.extend(OUTAGE)
    surveys = [trigger(rt, n, occurred_at=clock.now - timedelta(hours=3)) for n in numbers]
    # The first three fail at once; the rest wait for the number's pace.
    assert [s.delivery for s in surveys] == ["retry"] * 3 + ["paced"] * (RESIDENTS - 3)
    _ride_out(rt, clock, twilio, minutes=8)
    assert [len(sent_to(twilio, n)) for n in numbers] == [1] * RESIDENTS

    clock.advance(hours=24)  # the reminders fall due, and Twilio fails again
    twilio.failures.extend(OUTAGE)
    _ride_out(rt, clock, twilio, minutes=8)

    # Every call was a failure of the outage or one text that stayed sent: none was resent.
    assert twilio.failures == [] and twilio.creates == len(twilio.sent) + 2 * len(OUTAGE)
    # Each 5xx was looked up before the retry, and so was each call that hung.
    uncertain = 2 * sum(status >= 500 for status, _ in OUTAGE)
    assert len(twilio.lookups) > uncertain
    for number, survey in zip(numbers, surveys, strict=True):
        first, reminder = sent_to(twilio, number)
        assert "still open" not in first and "still open" in reminder
        assert dict(schedule(rt, survey.id))["start"] == "done"
        assert dict(schedule(rt, survey.id))["reminder"] == "done"
    _check_paced(rt, twilio)
