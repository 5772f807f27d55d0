"""Logs at INFO and above name no resident: not their number, not what they wrote, even when
the provider fails, a send is looked up by the number, and every logger runs at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

ANSWERS = ("yes", "5", "4", "2", "wait", "3")
COMMENT = "my neighbour Zebulon saw everything"
# The client gives up after TIMEOUT seconds; the slow stand-in answers after SLOW.
TIMEOUT, SLOW = 1.0, 2.0


def logged_at_info_or_above(caplog: pytest.LogCaptureFixture) -> str:
    """Return every record at INFO or above as text, with any traceback it carries."""
    formatter = logging.Formatter()
    return "\n".join(
        record.getMessage()
        + (formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in caplog.records
        if record.levelno >= logging.INFO
    )


def test_a_survey_with_provider_errors_logs_no_number_or_answer(
    build_rt: Callable[..., Runtime],
    clock: FakeClock,
    twilio: TwilioStandIn,
    caplog: pytest.LogCaptureFixture,
) -> None:
    twilio.clock = clock
    rt = build_rt(twilio_timeout_seconds=TIMEOUT)
    number = new_york()
    with caplog.at_level(logging.DEBUG):
        twilio.failures = [(500, 20500)]  # Twilio fails the first send
        started = trigger(rt, number, occurred_at=clock.now - timedelta(hours=3))
        twilio.delay = SLOW  # the retry times out after Twilio took it: looked up by number
        for _ in range(20):
            clock.advance(minutes=1)
            run(rt)
            twilio.delay = 0
            if report(rt, started.id)["status"] == "active":
                break
        for said in (*ANSWERS, COMMENT):
            text(rt, number, said)

    assert report(rt, started.id)["status"] == "completed"
    assert len(sent_to(twilio, number)) == 1 and twilio.lookups  # sent once, then looked up
    assert any(r.levelno == logging.WARNING for r in caplog.records)
    assert any(r.levelno == logging.DEBUG for r in caplog.records)  # every level was caught
    assert (logged := logged_at_info_or_above(caplog))
    for form in (number, number.lstrip("+"), number[-10:]):
        assert form not in logged
    assert "Zebulon" not in logged
