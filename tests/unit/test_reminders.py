"""Reminders and expiry: counted in real hours, outside quiet hours, never after expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.scheduling.rules import SendPolicy, expires_at, reminder_times
from tests.unit.scheduling_fixtures import DEFAULT, MANILA, NY, at, shown


def test_one_reminder_a_day_later_by_default() -> None:
    started = at(NY, "2024-07-01 12:00")
    assert reminder_times(started, DEFAULT, NY) == [at(NY, "2024-07-02 12:00")]


def test_a_reminder_respects_quiet_hours() -> None:
    started = at(NY, "2024-07-01 20:30")
    assert reminder_times(started, DEFAULT, NY) == [at(NY, "2024-07-03 09:00")]


def test_a_reminder_at_the_expiry_is_dropped() -> None:
    started = at(NY, "2024-07-01 12:00")
    policy = SendPolicy(reminder_count=3)
    assert reminder_times(started, policy, NY) == [
        at(NY, "2024-07-02 12:00"),
        at(NY, "2024-07-03 12:00"),
    ]
    longer = SendPolicy(reminder_count=3, expire_after=timedelta(hours=72, minutes=1))
    assert reminder_times(started, longer, NY)[-1] == at(NY, "2024-07-04 12:00")


def test_a_reminder_pushed_past_the_expiry_by_quiet_hours_is_dropped() -> None:
    policy = SendPolicy(reminder_after=timedelta(hours=1), expire_after=timedelta(hours=12))
    started = at(NY, "2024-07-01 19:30")  # 20:30 is quiet, 09:00 is after expiry at 07:30
    assert reminder_times(started, policy, NY) == []


def test_each_reminder_follows_the_previous_one() -> None:
    policy = SendPolicy(reminder_count=2, reminder_after=timedelta(hours=12))
    started = at(NY, "2024-07-01 12:00")
    assert reminder_times(started, policy, NY) == [
        at(NY, "2024-07-02 09:00"),
        at(NY, "2024-07-03 09:00"),
    ]


def test_no_reminders_when_the_count_is_zero() -> None:
    policy = SendPolicy(reminder_count=0)
    assert reminder_times(at(NY, "2024-07-01 12:00"), policy, NY) == []


def test_reminders_count_real_hours_across_spring_forward() -> None:
    started = at(NY, "2024-03-09 12:00")
    assert [shown(t, NY) for t in reminder_times(started, DEFAULT, NY)] == [
        "2024-03-10 13:00:00-0400"
    ]


def test_reminders_are_in_the_residents_zone() -> None:
    started = datetime(2024, 7, 1, 16, 0, tzinfo=UTC)  # 12:00 NY, midnight in Manila
    assert reminder_times(started, DEFAULT, NY) == [datetime(2024, 7, 2, 16, 0, tzinfo=UTC)]
    assert reminder_times(started, DEFAULT, MANILA) == [at(MANILA, "2024-07-03 09:00")]


def test_a_conversation_expires_72_hours_after_it_started() -> None:
    started = at(NY, "2024-07-01 12:00").astimezone(NY)
    expiry = expires_at(started, DEFAULT)
    assert expiry == at(NY, "2024-07-04 12:00")
    assert expiry.tzinfo is UTC
    assert expires_at(started, SendPolicy(expire_after=timedelta(hours=1))) == at(
        NY, "2024-07-01 13:00"
    )


def test_expiry_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="started_at"):
        expires_at(datetime(2024, 7, 1, 12, 0), DEFAULT)
