"""An officer's figures move on in batches of at least K surveys, never by one answer."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.officer_feedback import Distribution, release_through

K = 5


def test_nothing_is_released_before_k_surveys() -> None:
    assert release_through([("2026-10-01", 2), ("2026-10-03", 2)], K) is None


def test_days_are_released_once_they_add_up_to_k() -> None:
    days = [("2026-10-01", 2), ("2026-10-03", 3), ("2026-10-04", 1), ("2026-10-09", 4)]

    assert release_through(days[:2], K) == date(2026, 10, 3)
    # One more survey on the 4th is not enough to move on; the 9th brings the batch to 5.
    assert release_through(days[:3], K) == date(2026, 10, 3)
    assert release_through(days, K) == date(2026, 10, 9)


day_counts = st.lists(st.integers(1, 7), min_size=0, max_size=30).map(
    lambda counts: [(date(2026, 1, 1 + i).isoformat(), n) for i, n in enumerate(counts)]
)


@settings(max_examples=200, deadline=None)
@given(days=day_counts, k=st.integers(2, 9))
def test_each_release_adds_at_least_k_and_never_goes_back(
    days: list[tuple[str, int]], k: int
) -> None:
    released = [release_through(days[:n], k) for n in range(len(days) + 1)]
    shown = [
        sum(c for d, c in days if r is not None and date.fromisoformat(d) <= r) for r in released
    ]

    for before, after in pairwise(shown):
        assert after == before or after - before >= k
    assert shown == sorted(shown)


def test_a_distribution_gives_shares_and_a_mean_of_numbers_only() -> None:
    scores = Distribution({5: 2, 4: 1, 1: 1})
    yes_no = Distribution({True: 3, False: 1})

    assert (scores.total, scores.mean, scores.share(5)) == (4, 3.8, 0.5)
    assert (yes_no.mean, yes_no.share(True)) == (None, 0.75)
    assert Distribution().share(1) == 0.0
