"""Delivery knows no channel: a sender prices its texts and says what its failures mean.

A `FakeSender` stands in for a channel other than Twilio: it takes every text (or fails as a
test tells it), with a pacing cost of its own. What delivery does follows from the sender's
word alone: no provider code or SMS segment is read by the service.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.ports import DeliveryError
from bot.scheduling.pacing import retry_delay
from bot.scheduling.states import DeliveryFailure
from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, schedule, trigger
from tests.support import FakeClock

EARLIER = timedelta(hours=3)


@dataclass
class FakeSender:
    """A channel that costs `units` a text and fails with `failures` first, in order."""

    units: int = 1
    failures: list[DeliveryError] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    priced: list[str] = field(default_factory=list)
    identity: str = field(default_factory=lambda: f"fake-{secrets.token_hex(4)}")

    def cost(self, body: str) -> int:
        """Price a text: the same for every body."""
        self.priced.append(body)
        return self.units

    def send(self, address: str, body: str) -> str | None:
        """Take the text, unless a failure is queued."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((address, body))
        return f"FK{len(self.sent)}"

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Say nothing is in doubt: the fake never times out half-way."""
        return None


def with_sender(rt: Runtime, sender: FakeSender) -> Runtime:
    """Return the runtime with `sender` delivering its SMS."""
    return replace(rt, senders={**rt.senders, "sms": sender})


def test_pacing_takes_the_price_the_sender_puts_on_a_text(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    # One unit a second, five seconds of burst: a text priced 10 holds the sender 10 s.
    sender = FakeSender(units=10)
    rt = with_sender(build_rt(sms_segments_per_second=1.0), sender)
    first = trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    second = trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    assert (first.delivery, second.delivery) == ("sent", "paced")
    assert second.queued_until == clock.now + timedelta(seconds=10)
    assert sender.priced == [body for _, body in sender.sent] * 2


def test_a_sender_priced_one_a_text_sends_a_burst_at_its_rate(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    # Slots at 0, 1, … 5 s fall within the burst: six texts leave, the seventh waits.
    sender = FakeSender(units=1)
    rt = with_sender(build_rt(sms_segments_per_second=1.0), sender)
    outcomes = [trigger(rt, new_york(), occurred_at=clock.now - EARLIER) for _ in range(7)]
    assert [o.delivery for o in outcomes] == ["sent"] * 6 + ["paced"]
    assert outcomes[-1].queued_until == clock.now + timedelta(seconds=6)


def test_a_channels_own_wait_is_kept_when_longer_than_the_backoff(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    wait = timedelta(minutes=7)
    busy = DeliveryError("busy", "busy", DeliveryFailure.TRANSIENT, retry_after=wait)
    sender = FakeSender(failures=[busy])
    rt = with_sender(build_rt(), sender)
    started = trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    assert started.delivery == "retry"
    assert retry_delay(1) < timedelta(minutes=7)
    assert started.queued_until == clock.now + timedelta(minutes=7)
    clock.advance(minutes=7)
    assert run(rt) == ["sent"]
    assert len(sender.sent) == 1


def test_a_channels_opt_out_ends_the_residents_surveys_whatever_its_code(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    blocked = DeliveryError("blocked by the user", "403", DeliveryFailure.OPTED_OUT)
    rt = with_sender(build_rt(), FakeSender(failures=[blocked]))
    number = new_york()
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.delivery == "opted_out"
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("opted_out", "opted_out")
    assert trigger(rt, number).reason == "opted_out"


def test_a_permanent_failure_is_never_retried(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    gone = DeliveryError("chat not found", "400", DeliveryFailure.PERMANENT)
    sender = FakeSender(failures=[gone])
    rt = with_sender(build_rt(), sender)
    started = trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    assert started.delivery == "failed"
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("expired", "undeliverable")
    assert schedule(rt, started.id) == [("start", "failed")]
    clock.advance(days=1)
    assert run(rt) == []
    assert sender.sent == []
