"""The send rules applied to real triggers: delay, quiet hours, cap, exclusions, opt-outs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import at, incident, los_angeles, new_york
from tests.integration.scheduling.helpers import report, run, schedule, sent_to, text, trigger
from tests.standins import TwilioStandIn
from tests.support import FakeClock

# The FakeClock starts at 2026-11-02 15:00 UTC: 10:00 in New York, 07:00 in Los Angeles.


def test_a_survey_waits_for_the_delay_after_the_contact(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    number = new_york()
    rt = build_rt()
    started = trigger(rt, number, incident_id=incident())

    assert (started.status, started.delivery) == ("scheduled", None)
    assert started.scheduled_for == at("2026-11-02T17:00:00+00:00")
    clock.advance(hours=1, minutes=59, seconds=59)
    assert run(rt) == []
    assert sent_to(twilio, number) == []

    clock.advance(seconds=1)
    assert run(rt) == ["sent"]
    [first] = sent_to(twilio, number)
    assert "Springfield Police" in first
    assert report(rt, started.id)["status"] == "active"
    assert run(rt) == []  # once


def test_the_delay_counts_from_when_the_contact_happened(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    number = new_york()
    rt = build_rt()
    started = trigger(rt, number, occurred_at=clock.now - timedelta(hours=3))
    assert started.delivery == "sent"  # the delay has passed: it goes out at once
    assert len(sent_to(twilio, number)) == 1


@pytest.mark.parametrize(
    ("number", "utc_contact", "expected"),
    [
        # 18:00 in New York + 2 h = 20:00, the first quiet minute: next morning at 09:00 EST.
        (new_york, "2026-11-02T23:00:00+00:00", "2026-11-03T14:00:00+00:00"),
        # 17:59 + 2 h = 19:59, the last allowed minute: sent then.
        (new_york, "2026-11-02T22:59:00+00:00", "2026-11-03T00:59:00+00:00"),
        # The same instant is 15:00 in Los Angeles: 17:00 there is fine, but 20:00 in New
        # York, the agency's zone (the resident may be here): 09:00 PST the next morning.
        (los_angeles, "2026-11-02T23:00:00+00:00", "2026-11-03T17:00:00+00:00"),
        # 05:00 in Los Angeles + 2 h = 07:00, quiet: 09:00 PST.
        (los_angeles, "2026-11-02T13:00:00+00:00", "2026-11-02T17:00:00+00:00"),
    ],
)
def test_quiet_hours_are_the_residents_own(
    build_rt: Callable[..., Runtime],
    clock: FakeClock,
    number: Callable[[], str],
    utc_contact: str,
    expected: str,
) -> None:
    rt = build_rt()
    clock.now = at(utc_contact)
    started = trigger(rt, number())
    assert started.scheduled_for == at(expected)


def test_quiet_hours_follow_a_dst_change(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    number = new_york()
    rt = build_rt()
    # Saturday 2026-03-07 19:00 EST + 2 h = 21:00, quiet; clocks spring forward overnight, so
    # 09:00 on Sunday is EDT, 13:00 UTC rather than 14:00.
    clock.now = at("2026-03-08T00:00:00+00:00")
    started = trigger(rt, number)
    assert started.scheduled_for == at("2026-03-08T13:00:00+00:00")


def test_a_send_that_the_worker_reaches_late_at_night_waits_for_morning(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    number = new_york()
    rt = build_rt()
    clock.now = at("2026-11-02T22:00:00+00:00")  # 17:00 New York
    started = trigger(rt, number)
    assert started.scheduled_for == at("2026-11-03T00:00:00+00:00")  # 19:00
    clock.now = at("2026-11-03T02:00:00+00:00")  # the worker was down until 21:00
    assert run(rt) == ["deferred"]
    assert sent_to(twilio, number) == []
    clock.now = at("2026-11-03T14:00:00+00:00")  # 09:00
    assert run(rt) == ["sent"]


def test_one_survey_per_resident_per_thirty_days(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    number = new_york()
    rt = build_rt()
    first = trigger(rt, number, incident_id=incident())
    second = trigger(rt, number, incident_id=incident())
    assert first.status == "scheduled"
    assert (second.status, second.reason) == ("refused", "frequency_cap")
    assert report(rt, second.id)["disposition"] == "refused"

    # The cap runs from the first survey's send time (17:00) to the new one's (trigger + 2 h).
    clock.advance(days=29, hours=23, minutes=59)
    assert trigger(rt, number, incident_id=incident()).reason == "frequency_cap"
    clock.advance(minutes=1)
    assert trigger(rt, number, incident_id=incident()).status == "scheduled"


def test_the_same_incident_and_resident_yield_one_survey(
    build_rt: Callable[..., Runtime], twilio: TwilioStandIn
) -> None:
    number = new_york()
    rt = build_rt()
    case = incident()
    first = trigger(rt, number, incident_id=case, officer_id="A12")
    again = trigger(
        rt, f"({number[2:5]}) {number[5:8]}-{number[8:]}", incident_id=case, officer_id="B7"
    )

    assert again.id == first.id and again.duplicate and not first.duplicate
    assert again.status == "scheduled"
    # Another resident at the same scene gets their own survey.
    other = trigger(rt, los_angeles(), incident_id=case)
    assert other.id != first.id and not other.duplicate


@pytest.mark.parametrize(
    "call_type",
    [
        "domestic_violence",
        "Domestic Violence",
        "DV",
        "sexual_assault",
        "child_abuse",
        "death_notification",
        "mental_health_crisis",
    ],
)
def test_excluded_call_types_are_never_texted(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn, call_type: str
) -> None:
    number = new_york()
    rt = build_rt()
    started = trigger(rt, number, call_type=call_type)
    assert (started.status, started.reason) == ("refused", "excluded_call_type")
    assert schedule(rt, started.id) == []
    clock.advance(days=3)
    assert run(rt) == []
    assert sent_to(twilio, number) == []


def test_a_stop_before_the_send_cancels_it(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    number = new_york()
    rt = build_rt()
    started = trigger(rt, number)
    text(rt, number, "STOP")
    assert report(rt, started.id)["status"] == "opted_out"
    assert schedule(rt, started.id) == [("start", "cancelled")]
    clock.advance(hours=3)
    assert run(rt) == []
    assert len(sent_to(twilio, number)) == 0
    later = trigger(rt, number)
    assert (later.status, later.reason) == ("opted_out", "opted_out")


@pytest.mark.parametrize("word", ["NOSURVEY", "no survey", "No más encuestas", "不要调查"])
def test_nosurvey_in_any_language_keeps_a_number_off_every_survey(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn, word: str
) -> None:
    number = new_york()
    rt = build_rt()
    pending = trigger(rt, number)
    [confirmation] = text(rt, number, word)
    assert "Springfield Police" in confirmation
    assert report(rt, pending.id)["status"] == "refused"
    assert report(rt, pending.id)["refusal_reason"] == "do_not_survey"

    clock.advance(days=90)
    later = trigger(rt, number, incident_id=incident())
    assert (later.status, later.reason) == ("refused", "do_not_survey")
    assert run(rt) == []
    assert sent_to(twilio, number) == []


def test_a_contact_too_old_to_ask_about_is_refused(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    number = new_york()
    rt = build_rt()
    started = trigger(rt, number, occurred_at=clock.now - timedelta(days=8))
    assert (started.status, started.reason) == ("refused", "stale_contact")


def test_nosurvey_after_stop_is_recorded_silently_and_outlasts_start(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    number = new_york()
    rt = build_rt()
    text(rt, number, "STOP")
    assert text(rt, number, "NOSURVEY") == []  # opted out: no more texts, not even this
    text(rt, number, "START")
    later = trigger(rt, number)
    assert (later.status, later.reason) == ("refused", "do_not_survey")


def test_without_an_incident_number_the_contact_time_identifies_the_contact(
    build_rt: Callable[..., Runtime], clock: FakeClock, twilio: TwilioStandIn
) -> None:
    from bot.scheduling.model import SendPolicy

    rt = build_rt(SendPolicy(default_timezone="America/New_York", frequency_cap=timedelta(0)))
    number = new_york()
    when = clock.now - timedelta(hours=3)
    first = trigger(rt, number, occurred_at=when)
    again = trigger(rt, number, occurred_at=when)  # the same export imported twice
    other = trigger(rt, number, occurred_at=when - timedelta(minutes=1))
    assert again.id == first.id and again.duplicate
    assert other.id != first.id and not other.duplicate
    assert twilio.bodies_to(number)[:1] and len(twilio.bodies_to(number)) == 2
