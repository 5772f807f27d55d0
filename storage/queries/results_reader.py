"""Run the results dashboard's queries (storage.queries.results), a short transaction each."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from storage.queries.results import (
    AnswerCount,
    BreakdownRow,
    CommentPage,
    Count,
    Funnel,
    ResultsFilter,
    ScoreMean,
    VersionCount,
    answer_counts,
    breakdown,
    comments,
    flow_versions,
    funnel,
    refusals,
    score_means,
)


class SqlAlchemyResultsQueries:
    """The dashboard's figures, each read in a short transaction of its own that changes nothing."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def funnel(self, where: ResultsFilter) -> Funnel:
        """Count every stage of the funnel."""
        with self._session_factory() as session:
            return funnel(session, where)

    def refusals(self, where: ResultsFilter) -> list[Count]:
        """Count the surveys refused before sending, per reason."""
        with self._session_factory() as session:
            return refusals(session, where)

    def breakdown(self, where: ResultsFilter, dimension: str) -> list[BreakdownRow]:
        """Count the funnel's core stages per group of `dimension`."""
        with self._session_factory() as session:
            return breakdown(session, where, dimension)

    def score_means(
        self, where: ResultsFilter, dimension: str, questions: Sequence[str]
    ) -> list[ScoreMean]:
        """Average the numeric answers to `questions` per group and question."""
        with self._session_factory() as session:
            return score_means(session, where, dimension, questions)

    def flow_versions(self, where: ResultsFilter) -> list[VersionCount]:
        """Return the flow versions the surveys in scope ran on."""
        with self._session_factory() as session:
            return flow_versions(session, where)

    def answer_counts(
        self, where: ResultsFilter, questions: Sequence[str], bucket: str
    ) -> list[AnswerCount]:
        """Count the answers to `questions` per flow, question, period and value."""
        with self._session_factory() as session:
            return answer_counts(session, where, questions, bucket)

    def comments(self, where: ResultsFilter, page: int, per_page: int) -> CommentPage:
        """Return one page of free-text answers, newest first."""
        with self._session_factory() as session:
            return comments(session, where, page, per_page)
