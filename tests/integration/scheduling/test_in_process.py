"""Without Redis (the one-command start), this process's own sweep sends what falls due."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.services.runtime import Runtime
from bot.tasks.in_process import InProcessDispatcher
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import schedule, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll until `condition` holds (the background runs on real threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_the_in_process_sweep_sends_surveys_and_reminders_when_due(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sweep_seconds=0.05)
    assert isinstance(rt.dispatcher, InProcessDispatcher)
    number = new_york()
    started = trigger(rt, number)
    rt.dispatcher.start()
    time.sleep(0.2)  # several sweeps: nothing is due yet
    assert twilio.sent == []

    clock.advance(hours=2)
    # Sent, and recorded: the reminder is planned from the moment the text left, so the clock
    # must not jump while the provider call is still in flight.
    assert _wait_for(lambda: ("reminder", "pending") in schedule(rt, started.id))
    assert len(twilio.bodies_to(number)) == 1
    clock.advance(hours=24)
    assert _wait_for(lambda: len(twilio.bodies_to(number)) == 2)
    time.sleep(0.2)
    assert len(twilio.bodies_to(number)) == 2  # once each
    assert "still open" in twilio.bodies_to(number)[1]
