"""The results dashboard as tables: each chart, its table view and its CSV hold the same cells.

Every figure is built once as a `Table` (its caption, columns and rows of display values);
the page draws it as a chart and as a <table>, and the CSV endpoint writes the very same
cells, text neutralised against spreadsheet formulas (bot.services.export_format).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bot.services.export_format import csv_lines, neutralise
from bot.services.results import ResultsRequest
from bot.services.results_figures import (
    breakdown_table,
    comment_table,
    funnel_table,
    question_tables,
    refusal_table,
)
from bot.services.results_questions import QuestionInfo, questions_of
from bot.services.results_table import Table
from bot.services.runtime import Runtime

COMMENTS_PER_PAGE = 20


@dataclass(frozen=True)
class QuestionFigures:
    """One question's distribution and trend tables."""

    label: str
    distribution: Table
    trend: Table


@dataclass(frozen=True)
class Dashboard:
    """Everything the results page shows for one request."""

    funnel: Table
    refusals: Table
    questions: tuple[QuestionFigures, ...]
    breakdown: Table
    comments: Table
    # Each comment's language (original, translation), for lang attributes.
    comment_languages: tuple[tuple[str, str | None], ...] = ()
    has_next: bool = False
    tables: dict[str, Table] = field(default_factory=dict)


def dashboard(rt: Runtime, asked: ResultsRequest) -> Dashboard:
    """Read every figure of the dashboard for a checked request."""
    queries, where = rt.results, asked.where
    asked_questions = _questions(rt, asked)
    questions = [q for q in asked_questions if q.counted]
    counts = queries.answer_counts(where, sorted({q.id for q in questions}), asked.bucket)
    scored = [q for q in questions if q.scored]
    means = queries.score_means(where, asked.dimension, sorted({q.id for q in scored}))
    found = queries.comments(where, asked.page, COMMENTS_PER_PAGE)
    labels = {(q.flow_id, q.id): q.label for q in asked_questions}
    board = Dashboard(
        funnel=funnel_table(queries.funnel(where)),
        refusals=refusal_table(queries.refusals(where)),
        questions=tuple(
            QuestionFigures(q.label, *question_tables(q, counts, asked.bucket)) for q in questions
        ),
        breakdown=breakdown_table(
            asked.dimension, queries.breakdown(where, asked.dimension), means, scored
        ),
        comments=comment_table(found.comments, labels, rt.policy.default_zone),
        comment_languages=tuple(
            (c.detected_language or c.language, c.translation_language) for c in found.comments
        ),
        has_next=found.has_next,
    )
    return _indexed(board)


def _questions(rt: Runtime, asked: ResultsRequest) -> list[QuestionInfo]:
    """Return the questions of the flow versions the surveys in scope ran on."""
    versions = rt.results.flow_versions(asked.where)
    # Oldest first per flow: the newest wording of a question wins.
    ordered = sorted(versions, key=lambda v: (v.flow_id, v.number or 0))
    return questions_of(rt.flow_store, [(v.flow_id, v.digest) for v in ordered])


def _indexed(board: Dashboard) -> Dashboard:
    """Return the dashboard with every table findable by its id (for the CSV endpoint)."""
    every: list[Table] = [board.funnel, board.refusals, board.breakdown, board.comments]
    for figures in board.questions:
        every += [figures.distribution, figures.trend]
    board.tables.update({table.id: table for table in every})
    return board


def table_csv(table: Table) -> Iterator[str]:
    """Yield a table as CSV lines: its header, then its rows as the page shows them."""
    return csv_lines(table.columns, (_cells(row) for row in table.rows))


def _cells(row: Sequence[object]) -> list[str]:
    """Write a row's cells: text neutralised against formulas, numbers as themselves."""
    return [neutralise(c) if isinstance(c, str) else "" if c is None else str(c) for c in row]
