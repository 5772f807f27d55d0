"""A send that may have left is looked up, never resent blindly; a text nobody wants stays put."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.channels.twilio_sms import TwilioSender
from bot.config.settings import Settings
from bot.ports import DeliveryError
from bot.services.runtime import Runtime
from bot.services.scheduled_items import sweep_items
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, schedule, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, TEST_KEYS, FakeClock

EARLIER = timedelta(hours=3)
# The client gives up after TIMEOUT seconds; the slow stand-in answers after SLOW.
TIMEOUT, SLOW = 2.0, 3.0


def _message(rt: Runtime, survey_id: uuid.UUID, kind: str = "start") -> tuple[str, str | None]:
    """Return (status, provider id) of the message of a survey's item."""
    with rt.uow() as uow:
        [item] = [i for i in uow.schedule.for_conversation(survey_id) if i.kind == kind]
        assert item.message_id is not None
        message = uow.messages.get(item.message_id)
        assert message is not None
        return message.status, message.provider_message_id


def _slow_rt(build_rt: Callable[..., Runtime], twilio: TwilioStandIn, clock: FakeClock) -> Runtime:
    """Wire a runtime whose Twilio client gives up before the slow stand-in answers."""
    twilio.clock = clock  # Twilio's clock agrees with ours (within CLOCK_SKEW in real life)
    twilio.delay = SLOW
    return build_rt(twilio_timeout_seconds=TIMEOUT)


def test_a_timeout_after_twilio_took_the_text_is_looked_up_not_resent(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _slow_rt(build_rt, twilio, clock)
    number = new_york()
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.delivery == "retry"
    assert len(sent_to(twilio, number)) == 1  # Twilio took it; the client never heard
    assert _message(rt, started.id)[0] == "unknown"
    twilio.delay = 0
    clock.advance(seconds=40)
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1  # once, whatever happens next
    assert _message(rt, started.id) == ("sent", twilio.sent[0]["sid"])
    assert [lookup["To"] for lookup in twilio.lookups] == [number]
    assert ("reminder", "pending") in schedule(rt, started.id)  # the survey started
    clock.advance(hours=1)
    sweep_items(rt)
    assert run(rt) == []
    assert len(sent_to(twilio, number)) == 1


def test_a_timeout_before_twilio_took_the_text_is_sent_after_the_lookup(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _slow_rt(build_rt, twilio, clock)
    twilio.dropped = 1  # slow, then lost: Twilio never created it
    number = new_york()
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.delivery == "retry"
    assert sent_to(twilio, number) == []
    twilio.delay = 0
    clock.advance(seconds=40)
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1
    assert len(twilio.lookups) == 1
    assert _message(rt, started.id) == ("sent", twilio.sent[0]["sid"])


def test_a_failed_lookup_keeps_the_text_in_doubt_and_never_resends(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = _slow_rt(build_rt, twilio, clock)
    number = new_york()
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    twilio.delay = 0
    twilio.failures.append((503, 20503))  # Twilio cannot be asked, at first
    clock.advance(seconds=40)
    assert run(rt) == ["retry"]
    assert _message(rt, started.id)[0] == "unknown"
    clock.advance(minutes=3)
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1


def test_a_5xx_is_looked_up_before_the_retry(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    twilio.clock = clock
    number = new_york()
    twilio.failures.append((500, 20500))
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert (started.delivery, _message(rt, started.id)[0]) == ("retry", "unknown")
    clock.advance(seconds=30)
    assert run(rt) == ["sent"]
    assert len(twilio.lookups) == 1 and len(sent_to(twilio, number)) == 1


def test_a_send_interrupted_by_a_crash_is_looked_up(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    twilio.clock = clock
    numbers = [new_york(), new_york()]
    surveys = [trigger(rt, number) for number in numbers]
    clock.advance(hours=2)
    # Two workers claimed their items, marked the texts sending and died: the first after
    # Twilio took its text, the second before its request left.
    for survey in surveys:
        _claim_and_crash(rt, survey.id)
    sender = rt.senders["sms"]
    sid = sender.send(numbers[0], "hello")
    clock.advance(minutes=11)  # the claims go stale
    sweep_items(rt)
    assert rt.dispatcher is not None
    assert rt.dispatcher.drain(5)  # type: ignore[attr-defined]
    assert _message(rt, surveys[0].id) == ("sent", sid)
    assert _message(rt, surveys[1].id)[0] == "sent"
    assert sent_to(twilio, numbers[0]) == ["hello"]
    assert sent_to(twilio, numbers[1]) == ["hello"]


def _claim_and_crash(rt: Runtime, survey_id: uuid.UUID) -> None:
    """Leave a survey's start item claimed, with its text marked sending, as a crash would."""
    with rt.uow() as uow:
        [item] = uow.schedule.for_conversation(survey_id)
        conversation = uow.conversations.get(survey_id)
        assert conversation is not None
        item.status, item.claimed_at = "running", rt.clock()
        conversation.status = "active"  # as activate() leaves it when composing the text
        item.message_id = uow.messages.add_outbound(
            "sms",
            "hello",
            conversation.respondent_id,
            survey_id,
            None,
            rt.clock(),
            status="sending",
        )
        uow.commit()


def _closed_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("case", "uncertain"),
    [("refused", False), ("slow", True), ("lost", True), ("429", False), ("503", True)],
)
def test_the_sender_tells_a_request_that_never_left_from_one_that_may_have(
    twilio: TwilioStandIn, case: str, uncertain: bool
) -> None:
    base = f"http://127.0.0.1:{_closed_port()}" if case == "refused" else twilio.url
    twilio.delay = SLOW if case in {"slow", "lost"} else 0
    twilio.dropped = 1 if case == "lost" else 0
    if case.isdigit():
        twilio.failures.append((int(case), 20000 + int(case)))
    settings = Settings(
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from_number=FROM_NUMBER,
        twilio_api_base_url=base,
        twilio_timeout_seconds=TIMEOUT,
        **TEST_KEYS,
    )
    with pytest.raises(DeliveryError) as raised:
        TwilioSender.from_settings(settings).send(new_york(), "hello")
    assert raised.value.uncertain is uncertain


def test_twilio_timeout_is_a_setting() -> None:
    assert Settings.from_env({}).twilio_timeout_seconds == 10.0
    assert Settings.from_env({"TWILIO_TIMEOUT_SECONDS": "2.5"}).twilio_timeout_seconds == 2.5


# --- item 24: a queued text whose conversation ended stays unsent ------------------------------


def test_a_first_text_waiting_for_its_slot_is_not_sent_after_the_survey_completed(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sms_segments_per_second=1.0)
    numbers = [new_york() for _ in range(5)]
    surveys = [trigger(rt, n, occurred_at=clock.now - EARLIER) for n in numbers]
    assert surveys[-1].delivery == "paced"  # its intro waits for the number's pace
    late = numbers[-1]
    # The resident (told about the survey in person) answers every question meanwhile.
    for _ in range(60):
        if report(rt, surveys[-1].id)["status"] == "completed":
            break
        text(rt, late, "yes")
    assert report(rt, surveys[-1].id)["status"] == "completed"
    clock.advance(minutes=5)
    assert "cancelled" in run(rt)
    assert sent_to(twilio, late) == []
    assert schedule(rt, surveys[-1].id)[0] == ("start", "cancelled")
    assert _message(rt, surveys[-1].id)[0] == "cancelled"


def test_a_paced_first_text_claimed_just_before_a_stop_is_not_sent(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sms_segments_per_second=1.0)
    numbers = [new_york() for _ in range(5)]
    surveys = [trigger(rt, n, occurred_at=clock.now - EARLIER) for n in numbers]
    with rt.uow() as uow:  # a worker claimed the paced intro just before the STOP arrived
        [item] = uow.schedule.for_conversation(surveys[-1].id)
        item.status = "running"
        uow.commit()
    text(rt, numbers[-1], "STOP")
    assert report(rt, surveys[-1].id)["status"] == "opted_out"
    from bot.services.delivery import deliver_item

    assert deliver_item(rt, item.id) == "cancelled"
    assert sent_to(twilio, numbers[-1]) == []
