"""Pacing and retry timing: pure arithmetic over the units a sender prices a text at."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.scheduling.pacing import RETRY_DELAYS, Pacing, retry_delay, retry_wait


@pytest.mark.parametrize(("units", "seconds"), [(1, 0.5), (3, 1.5), (0, 0.5)])
def test_a_text_holds_its_sender_for_its_units_at_the_senders_rate(
    units: int, seconds: float
) -> None:
    pacing = Pacing(default_rate=1.0, rates={"+18005550100": 2.0})
    assert pacing.cost("+18005550100", units) == timedelta(seconds=seconds)
    assert pacing.cost("telegram", units) == timedelta(seconds=2 * seconds)


def test_without_a_channels_wait_the_backoff_decides() -> None:
    assert [retry_wait(n, None) for n in range(1, 8)] == [retry_delay(n) for n in range(1, 8)]


@pytest.mark.parametrize("attempt", [1, 2, len(RETRY_DELAYS)])
def test_the_longer_of_the_backoff_and_the_channels_wait_is_kept(attempt: int) -> None:
    backoff = retry_delay(attempt)
    assert retry_wait(attempt, backoff + timedelta(seconds=1)) == backoff + timedelta(seconds=1)
    assert retry_wait(attempt, backoff - timedelta(seconds=1)) == backoff
