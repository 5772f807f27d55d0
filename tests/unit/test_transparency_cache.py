"""The page's figures are kept for a while, and read again when a new month begins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal

from bot.services.transparency import TransparencyCache, month_window
from storage.queries import Comment, GroupCount, ValueCount


class CountingQueries:
    """A read side with one survey in North last month, that counts how often it is asked."""

    def __init__(self) -> None:
        self.reads = 0

    def completed(
        self, by: Literal["unit", "language"], since: datetime, until: datetime
    ) -> list[GroupCount]:
        self.reads += 1
        return [GroupCount("North" if by == "unit" else "en", "2026-10", 7)]

    def values_by_unit(
        self, questions: Sequence[tuple[str, str]], since: datetime, until: datetime
    ) -> list[ValueCount]:
        return []

    def values(
        self, questions: Sequence[tuple[str, str]], until: datetime, officer_id: str | None = None
    ) -> list[ValueCount]:
        return []

    def officer_days(self, officer_id: str, until: datetime) -> list[tuple[str, int]]:
        return []

    def comments(
        self, officer_id: str, questions: Sequence[tuple[str, str]], until: datetime, limit: int
    ) -> tuple[int, list[Comment]]:
        return 0, []


def test_the_figures_are_kept_until_the_month_changes() -> None:
    queries, cache = CountingQueries(), TransparencyCache(seconds=300)
    november = datetime(2026, 11, 2, 15, tzinfo=UTC)

    first = cache.get(queries, [], 5, november)
    assert cache.get(queries, [], 5, november.replace(day=30)) is first
    assert queries.reads == 2  # one build: surveys by unit and by language
    december = cache.get(queries, [], 5, datetime(2026, 12, 1, tzinfo=UTC))
    assert december is not first and queries.reads == 4
    assert december.months[-1] == "2026-11"


def test_no_keeping_when_the_time_is_zero() -> None:
    queries, cache = CountingQueries(), TransparencyCache(seconds=0)
    now = datetime(2026, 11, 2, 15, tzinfo=UTC)

    cache.get(queries, [], 5, now)
    cache.get(queries, [], 5, now)
    assert queries.reads == 4


def test_the_window_is_the_twelve_months_ended() -> None:
    since, until, months = month_window(datetime(2026, 1, 15, tzinfo=UTC))

    assert (since, until) == (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    assert months[0] == "2025-01" and months[-1] == "2025-12" and len(months) == 12
