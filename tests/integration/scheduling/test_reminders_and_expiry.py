"""Reminders after silence, cancelled by any reply; expiry with the survey's disposition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.scheduling.model import SendPolicy
from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import DEFAULTS, at, new_york
from tests.integration.scheduling.helpers import report, run, schedule, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

# Starts at once (the contact was three hours ago), 10:00 in New York on 2026-11-02.
EARLIER = timedelta(hours=3)


def _started(rt: Runtime, clock: FakeClock, number: str, **fields: object) -> object:
    """Trigger a survey whose delay has passed, so it goes out now."""
    started = trigger(rt, number, occurred_at=clock.now - EARLIER, **fields)
    assert started.delivery == "sent"
    return started


def test_silence_gets_one_reminder_after_a_day_in_the_residents_language(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number, language="es")
    assert schedule(rt, started.id) == [
        ("start", "done"),
        ("reminder", "pending"),
        ("expiry", "pending"),
    ]
    clock.advance(hours=23, minutes=59)
    assert run(rt) == []
    clock.advance(minutes=1)
    assert run(rt) == ["sent"]

    _, reminder = sent_to(twilio, number)
    assert "sigue abierta" in reminder  # the Spanish reminder
    assert "¿" in reminder or "?" in reminder  # and the question it waits on, asked again
    clock.advance(days=1)
    assert run(rt) == []  # one reminder by default


def test_a_reply_cancels_the_reminder(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number)
    clock.advance(hours=5)
    text(rt, number, "yes")
    assert ("reminder", "cancelled") in schedule(rt, started.id)
    clock.advance(days=1)
    assert run(rt) == []
    assert len(sent_to(twilio, number)) == 1  # replies to answers go back as TwiML


def test_stop_cancels_reminders_and_expiry(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number)
    text(rt, number, "STOP")
    assert schedule(rt, started.id) == [
        ("start", "done"),
        ("reminder", "cancelled"),
        ("expiry", "cancelled"),
    ]
    assert report(rt, started.id)["disposition"] == "opted_out"
    clock.advance(days=4)
    assert run(rt) == []


def test_completion_cancels_reminders_and_records_complete(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number)
    for answer in ("yes", "5", "5", "5", "5", "skip"):
        text(rt, number, answer)
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("completed", "complete")
    assert [s for _, s in schedule(rt, started.id)] == ["done", "cancelled", "cancelled"]


def test_reminders_wait_out_quiet_hours(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt()
    number = new_york()
    clock.now = at("2026-11-03T00:30:00+00:00")  # 19:30 in New York
    started = _started(rt, clock, number)
    reminder = [i for i in report(rt, started.id)["schedule"] if i["kind"] == "reminder"]
    # 24 h later is 19:30 again, still allowed; pushed later it would wait for 09:00.
    assert at(reminder[0]["due_at"]) == at("2026-11-04T00:30:00+00:00")

    rt_two = build_rt(
        SendPolicy(default_timezone="America/New_York", reminder_after=timedelta(hours=25))
    )
    other = new_york()
    later = _started(rt_two, clock, other)
    reminder = [i for i in report(rt_two, later.id)["schedule"] if i["kind"] == "reminder"]
    assert at(reminder[0]["due_at"]) == at("2026-11-04T14:00:00+00:00")  # 09:00 EST


@pytest.mark.parametrize(
    ("answers", "disposition"),
    [((), "no_response"), (("yes",), "breakoff"), (("yes", "4", "4", "4"), "partial")],
)
def test_expiry_keeps_partial_answers_and_records_the_disposition(
    build_rt: Callable[..., Runtime],
    clock: FakeClock,
    answers: tuple[str, ...],
    disposition: str,
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number)
    for answer in answers:
        text(rt, number, answer)
    clock.advance(hours=71, minutes=59)
    run(rt)
    assert report(rt, started.id)["status"] == "active"
    clock.advance(minutes=1)
    run(rt)
    found = report(rt, started.id)
    assert (found["status"], found["disposition"]) == ("expired", disposition)
    assert len([a for a in found["answers"] if a["value"] is not None]) == len(answers)


def test_a_late_reply_gets_a_polite_answer_in_the_survey_language(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    started = _started(rt, clock, number, language="es")
    clock.advance(days=3)
    run(rt)
    assert report(rt, started.id)["status"] == "expired"
    [answer] = text(rt, number, "5")
    assert "cerrado" in answer  # "la encuesta ya ha cerrado"
    assert report(rt, started.id)["answers"] == []


def test_zero_reminders_means_none(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    rt = build_rt(SendPolicy(default_timezone="America/New_York", reminder_count=0))
    number = new_york()
    started = _started(rt, clock, number)
    assert [kind for kind, _ in schedule(rt, started.id)] == ["start", "expiry"]


def test_defaults_are_the_issues(build_rt: Callable[..., Runtime]) -> None:
    assert DEFAULTS.delay == timedelta(hours=2)
    assert (DEFAULTS.reminder_count, DEFAULTS.reminder_after) == (1, timedelta(hours=24))
    assert DEFAULTS.expire_after == timedelta(hours=72)


def test_late_replies_get_the_closed_answer_once_a_day_so_no_auto_responder_loops(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    _started(rt, clock, number)
    clock.advance(days=3)
    run(rt)
    assert len(text(rt, number, "5")) == 1
    clock.advance(minutes=1)
    assert text(rt, number, "Thanks! I am away from my phone.") == []
    clock.advance(days=1)
    assert len(text(rt, number, "hello?")) == 1
