"""The results dashboard's read side: a role of storage, re-exported by bot.ports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from storage.queries.results import (
        AnswerCount,
        BreakdownRow,
        CommentPage,
        Count,
        Funnel,
        ResultsFilter,
        ScoreMean,
        VersionCount,
    )


class ResultsQueries(Protocol):
    """The results dashboard's read side: figures aggregated in the database (no rows)."""

    def funnel(self, where: ResultsFilter) -> Funnel:
        """Count every stage of the funnel for the surveys `where` selects."""
        ...

    def refusals(self, where: ResultsFilter) -> list[Count]:
        """Count the surveys refused before sending, per reason."""
        ...

    def breakdown(self, where: ResultsFilter, dimension: str) -> list[BreakdownRow]:
        """Count the funnel's core stages per group of `dimension`."""
        ...

    def score_means(
        self, where: ResultsFilter, dimension: str, questions: Sequence[str]
    ) -> list[ScoreMean]:
        """Average the numeric answers to `questions` per group of `dimension` and question."""
        ...

    def flow_versions(self, where: ResultsFilter) -> list[VersionCount]:
        """Return each flow version the surveys in scope ran on, with how many."""
        ...

    def answer_counts(
        self, where: ResultsFilter, questions: Sequence[str], bucket: str
    ) -> list[AnswerCount]:
        """Count the answers to `questions` per flow, question, period and value."""
        ...

    def comments(self, where: ResultsFilter, page: int, per_page: int) -> CommentPage:
        """Return page `page` (from 1) of free-text answers, newest first."""
        ...
