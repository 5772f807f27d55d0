"""Outbound delivery: retries with backoff, provider opt-outs, final failures, pacing, crashes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from bot.scheduling.pacing import MAX_DELIVERY_ATTEMPTS
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_item
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import report, run, schedule, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

EARLIER = timedelta(hours=3)


def _item(rt: Runtime, survey_id: object, kind: str = "start") -> dict[str, object]:
    """Return one scheduled item of a survey, as the API shows it."""
    [found] = [i for i in report(rt, survey_id)["schedule"] if i["kind"] == kind]  # type: ignore[arg-type]
    return found


def test_a_429_is_retried_after_a_backoff_and_sent_once(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    twilio.failures.append((429, 20429))
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.delivery == "retry"
    assert _item(rt, started.id)["attempts"] == 1
    clock.advance(seconds=29)
    assert run(rt) == []
    clock.advance(seconds=1)
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1
    assert _item(rt, started.id)["status"] == "done"
    assert report(rt, started.id)["status"] == "active"


def test_5xx_failures_back_off_then_give_up_and_are_recorded(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    twilio.failures.extend([(503, 20503)] * MAX_DELIVERY_ATTEMPTS)
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    outcomes = [started.delivery]
    for _ in range(MAX_DELIVERY_ATTEMPTS - 1):
        clock.advance(hours=3)  # past every backoff, and the quiet hours moved it to 09:00
        outcomes += run(rt)
        clock.advance(hours=12)
        outcomes += run(rt)
    assert outcomes.count("retry") == MAX_DELIVERY_ATTEMPTS - 1
    assert outcomes[-1] == "failed"
    item = _item(rt, started.id)
    assert (item["status"], item["attempts"]) == ("failed", MAX_DELIVERY_ATTEMPTS)
    assert sent_to(twilio, number) == []
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("expired", "undeliverable")
    assert [kind for kind, _ in schedule(rt, started.id)] == ["start"]  # no reminder


def test_21610_opts_the_resident_out_and_is_never_retried(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    twilio.failures.append((400, 21610))
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    assert started.delivery == "opted_out"
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("opted_out", "opted_out")
    assert schedule(rt, started.id) == [("start", "failed")]  # nothing follows
    clock.advance(days=2)
    assert run(rt) == []
    assert len(twilio.failures) == 0 and twilio.sent == []
    assert trigger(rt, number).reason == "opted_out"


def test_an_invalid_number_fails_at_once(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    twilio.failures.append((400, 21211))
    started = trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    assert started.delivery == "failed"
    assert _item(rt, started.id)["attempts"] == 1


def test_pacing_spreads_a_burst_over_the_senders_rate(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sms_segments_per_second=1.0)
    numbers = [new_york() for _ in range(8)]
    outcomes = [trigger(rt, n, occurred_at=clock.now - EARLIER).delivery for n in numbers]
    # Two-segment intros at one segment a second: 5 s of burst, then each waits its slot.
    assert outcomes[:3] == ["sent"] * 3
    assert set(outcomes[3:]) == {"paced"}
    assert len(twilio.sent) == 3
    for second in range(1, 20):
        clock.now += timedelta(seconds=1)
        run(rt)
        # Never more than the rate allows beyond the burst.
        assert len(twilio.sent) <= 3 + second // 2 + 1
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)


def test_a_faster_number_can_be_configured(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(sms_segments_per_second=1.0, sms_sender_rates={"+18005550100": 100.0})
    rt_fast = build_rt(
        sms_segments_per_second=1.0,
        twilio_from_number="+18005550100",
        sms_sender_rates={"+18005550100": 100.0},
    )
    assert rt.pacing.cost("+18005550100", 2) == timedelta(seconds=0.02)
    outcomes = [
        trigger(rt_fast, new_york(), occurred_at=clock.now - EARLIER).delivery for _ in range(8)
    ]
    assert outcomes == ["sent"] * 8


def test_running_an_item_twice_at_once_sends_once(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    started = trigger(rt, number)
    clock.advance(hours=2)
    item_id = _item_id(rt, started.id)
    outcomes: list[str] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(run_item(rt, item_id))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert len(sent_to(twilio, number)) == 1


def test_a_resident_reply_during_a_pending_retry_still_gets_one_first_message(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    twilio.failures.append((500, 20500))
    started = trigger(rt, number, occurred_at=clock.now - EARLIER)
    text(rt, number, "yes")  # the conversation is open: the answer counts
    clock.advance(minutes=1)
    assert run(rt) == ["sent"]
    assert len(sent_to(twilio, number)) == 1
    assert report(rt, started.id)["answers"][0]["question"] == "listened"


def _item_id(rt: Runtime, survey_id: object) -> object:
    """Return the id of a survey's start item."""
    with rt.uow() as uow:
        [item] = [i for i in uow.schedule.for_conversation(survey_id) if i.kind == "start"]  # type: ignore[arg-type]
        return item.id


def test_a_messaging_service_sends_from_its_own_pool(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    service = "MG" + "0" * 32
    rt = build_rt(twilio_from_number=service)
    trigger(rt, new_york(), occurred_at=clock.now - EARLIER)
    [sent] = twilio.sent
    assert sent["MessagingServiceSid"] == service
    assert "From" not in sent


def test_a_paced_backlog_never_goes_out_in_quiet_hours_nor_all_at_once(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    from tests.integration.scheduling.conftest import at

    rt = build_rt(sms_segments_per_second=1.0)
    clock.now = at("2026-11-03T00:59:00+00:00")  # 19:59 in New York, the last allowed minute
    numbers = [new_york() for _ in range(12)]
    for number in numbers:
        trigger(rt, number, occurred_at=clock.now - EARLIER)
    early = len(twilio.sent)
    assert early < 12  # the rest wait for their slots…
    clock.now = at("2026-11-03T03:00:00+00:00")  # …and the worker only gets to them at 22:00
    assert set(run(rt)) == {"paced"}
    assert len(twilio.sent) == early  # nothing at night
    clock.now = at("2026-11-03T14:00:00+00:00")  # 09:00
    run(rt)
    # At 09:00 the backlog leaves at the number's pace (a 5 s burst), not all at once.
    assert early < len(twilio.sent) <= early + 4
    for _ in range(40):
        clock.now += timedelta(seconds=1)
        run(rt)
    assert sorted(m["To"] for m in twilio.sent) == sorted(numbers)
