"""decide_send at its boundaries: delay, quiet hours, stale contacts, the cap, refusal order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.rules import (
    RefusalReason,
    Refuse,
    RespondentHistory,
    Send,
    SendPolicy,
    decide_send,
)
from tests.unit.scheduling_fixtures import (
    DEFAULT,
    HONOLULU,
    LA,
    MANILA,
    MINUTE,
    NOBODY,
    NOON,
    NY,
    ZONES,
    at,
)

# --- decide_send: delay and timing ----------------------------------------------------------


def test_the_survey_goes_out_after_the_delay() -> None:
    contact = at(NY, "2024-07-01 10:00")
    assert decide_send(contact, contact, "traffic stop", NOBODY, DEFAULT, NY) == Send(
        at(NY, "2024-07-01 12:00")
    )


@pytest.mark.parametrize(
    ("contact", "sent"),
    [
        ("2024-07-01 17:59", "2024-07-01 19:59"),
        ("2024-07-01 18:00", "2024-07-02 09:00"),
        ("2024-07-01 06:59", "2024-07-01 09:00"),
        ("2024-07-01 07:00", "2024-07-01 09:00"),
        ("2024-07-01 07:01", "2024-07-01 09:01"),
    ],
)
def test_the_delay_meets_quiet_hours(contact: str, sent: str) -> None:
    contact_at = at(LA, contact)
    decision = decide_send(contact_at, contact_at, None, NOBODY, DEFAULT, LA)
    assert decision == Send(at(LA, sent))


def test_a_late_decision_sends_now_when_the_delay_has_passed() -> None:
    contact = at(NY, "2024-07-01 10:00")
    now = contact + timedelta(hours=5)
    assert decide_send(contact, now, None, NOBODY, DEFAULT, NY) == Send(now)


def test_no_delay_sends_at_once() -> None:
    contact = at(NY, "2024-07-01 10:00")
    policy = SendPolicy(delay=timedelta(0))
    assert decide_send(contact, contact, None, NOBODY, policy, NY) == Send(contact)


def test_the_same_contact_goes_out_at_each_residents_own_morning() -> None:
    contact = datetime(2024, 7, 2, 0, 0, tzinfo=UTC)  # 20:00 NY, 17:00 LA, 14:00 HI, 08:00 MNL
    sends = {tz.key: decide_send(contact, contact, None, NOBODY, DEFAULT, tz) for tz in ZONES}
    assert sends == {
        "America/New_York": Send(at(NY, "2024-07-02 09:00")),
        "America/Los_Angeles": Send(at(LA, "2024-07-01 19:00")),
        "Pacific/Honolulu": Send(at(HONOLULU, "2024-07-01 16:00")),
        "Asia/Manila": Send(at(MANILA, "2024-07-02 10:00")),
    }


def test_deciding_again_at_the_send_time_gives_the_same_time() -> None:
    contact = at(NY, "2024-07-01 19:30")
    first = decide_send(contact, contact, None, NOBODY, DEFAULT, NY)
    assert isinstance(first, Send)
    assert decide_send(contact, first.at, None, NOBODY, DEFAULT, NY) == first


@pytest.mark.parametrize("naive", ["contact_at", "now", "last_survey_at"])
def test_naive_datetimes_are_refused(naive: str) -> None:
    aware = at(NY, "2024-07-01 10:00")
    values = {"contact_at": aware, "now": aware, "last_survey_at": aware - timedelta(days=90)}
    values[naive] = values[naive].replace(tzinfo=None)
    history = RespondentHistory(last_survey_at=values["last_survey_at"])
    with pytest.raises(ValueError, match=naive):
        decide_send(values["contact_at"], values["now"], None, history, DEFAULT, NY)


# --- decide_send: stale contacts --------------------------------------------------------------


def test_a_survey_exactly_at_the_stale_limit_is_sent() -> None:
    contact = NOON - timedelta(days=7)
    assert decide_send(contact, NOON, None, NOBODY, DEFAULT, NY) == Send(NOON)


def test_a_survey_a_minute_past_the_stale_limit_is_refused() -> None:
    contact = NOON - timedelta(days=7) - MINUTE
    decision = decide_send(contact, NOON, None, NOBODY, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason is RefusalReason.STALE_CONTACT
    assert str(decision.reason) == "stale_contact"
    assert "7 days 1 minute after the contact" in decision.explanation


def test_quiet_hours_can_push_a_survey_past_the_stale_limit() -> None:
    evening = at(NY, "2024-07-08 21:00")
    contact = evening - timedelta(days=6, hours=23)
    decision = decide_send(contact, evening, None, NOBODY, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason == RefusalReason.STALE_CONTACT


def test_the_stale_limit_is_configurable() -> None:
    contact = NOON - timedelta(days=2)
    policy = SendPolicy(stale_after=timedelta(days=1))
    decision = decide_send(contact, NOON, None, NOBODY, policy, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason == RefusalReason.STALE_CONTACT


# --- decide_send: the frequency cap ----------------------------------------------------------


def _surveyed(ago: timedelta, before: datetime = NOON) -> RespondentHistory:
    return RespondentHistory(last_survey_at=before - ago)


def test_a_survey_30_days_after_the_last_is_sent() -> None:
    contact = NOON - timedelta(hours=3)
    history = _surveyed(timedelta(days=30))
    assert decide_send(contact, NOON, None, history, DEFAULT, NY) == Send(NOON)


def test_a_survey_29_days_23_hours_59_minutes_after_the_last_is_refused() -> None:
    contact = NOON - timedelta(hours=3)
    history = _surveyed(timedelta(days=29, hours=23, minutes=59))
    decision = decide_send(contact, NOON, None, history, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason is RefusalReason.FREQUENCY_CAP
    assert str(decision.reason) == "frequency_cap"
    assert "last surveyed 2024-06-08 16:01 UTC" in decision.explanation
    assert "not before 2024-07-08 16:01 UTC" in decision.explanation


def test_the_cap_is_measured_at_the_send_time_not_the_decision_time() -> None:
    evening = at(NY, "2024-07-08 19:00")  # the survey goes out at 09:00 tomorrow
    history = _surveyed(timedelta(days=30), before=at(NY, "2024-07-09 09:00"))
    decision = decide_send(evening - timedelta(hours=1), evening, None, history, DEFAULT, NY)
    assert decision == Send(at(NY, "2024-07-09 09:00"))


def test_a_survey_already_planned_later_counts_against_the_cap() -> None:
    history = _surveyed(-timedelta(days=1))
    decision = decide_send(NOON - timedelta(hours=3), NOON, None, history, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason == RefusalReason.FREQUENCY_CAP


def test_a_zero_cap_is_no_cap() -> None:
    policy = SendPolicy(frequency_cap=timedelta(0))
    history = _surveyed(timedelta(hours=1))
    decision = decide_send(NOON - timedelta(hours=3), NOON, None, history, policy, NY)
    assert decision == Send(NOON)


def test_the_cap_is_configurable() -> None:
    policy = SendPolicy(frequency_cap=timedelta(days=90))
    history = _surveyed(timedelta(days=60))
    decision = decide_send(NOON - timedelta(hours=3), NOON, None, history, policy, NY)
    assert isinstance(decision, Refuse)
    assert "every 90 days" in decision.explanation


# --- decide_send: the resident's wishes, and which refusal wins ------------------------------


def test_an_opted_out_number_is_never_surveyed() -> None:
    decision = decide_send(NOON, NOON, None, RespondentHistory(opted_out=True), DEFAULT, NY)
    assert decision == Refuse(RefusalReason.OPTED_OUT, "the resident has opted out of texts")


def test_a_number_on_the_do_not_survey_list_is_never_surveyed() -> None:
    decision = decide_send(NOON, NOON, None, RespondentHistory(do_not_survey=True), DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason is RefusalReason.DO_NOT_SURVEY
    assert str(decision.reason) == "do_not_survey"


@pytest.mark.parametrize(
    ("call_type", "opted_out", "do_not_survey", "stale", "capped", "reason"),
    [
        ("DV", True, True, True, True, RefusalReason.EXCLUDED_CALL_TYPE),
        (None, True, True, True, True, RefusalReason.OPTED_OUT),
        (None, False, True, True, True, RefusalReason.DO_NOT_SURVEY),
        (None, False, False, True, True, RefusalReason.STALE_CONTACT),
        (None, False, False, False, True, RefusalReason.FREQUENCY_CAP),
    ],
)
def test_the_first_refusal_in_rule_order_is_reported(
    call_type: str | None,
    opted_out: bool,
    do_not_survey: bool,
    stale: bool,
    capped: bool,
    reason: RefusalReason,
) -> None:
    contact = NOON - (timedelta(days=8) if stale else timedelta(hours=3))
    last = NOON - timedelta(days=1) if capped else None
    history = RespondentHistory(opted_out, do_not_survey, last)
    decision = decide_send(contact, NOON, call_type, history, DEFAULT, NY)
    assert isinstance(decision, Refuse)
    assert decision.reason is reason


# --- the policy's defaults --------------------------------------------------------------------


def test_the_default_policy_is_the_issues() -> None:
    assert DEFAULT.delay == timedelta(hours=2)
    assert str(DEFAULT.quiet_hours) == "20:00-09:00"
    assert DEFAULT.frequency_cap == timedelta(days=30)
    assert DEFAULT.stale_after == timedelta(days=7)
    assert (DEFAULT.reminder_count, DEFAULT.reminder_after) == (1, timedelta(hours=24))
    assert DEFAULT.expire_after == timedelta(hours=72)
    assert DEFAULT.default_zone == NY


@pytest.mark.parametrize(
    "change",
    [
        {"delay": -MINUTE},
        {"frequency_cap": -MINUTE},
        {"reminder_after": -MINUTE},
        {"expire_after": timedelta(0)},
        {"reminder_count": -1},
    ],
)
def test_a_policy_refuses_negative_values(change: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="negative"):
        SendPolicy(**change)  # type: ignore[arg-type]
