"""The public transparency page's figures: completed surveys and scores, by district and month.

Only whole months that have ended are shown (the last twelve, in UTC): a month's figures then
never change, so comparing the page from one day to the next cannot single out the answer
that arrived in between. Every table is suppressed with bot.services.suppression: a count of
1 to K-1 is hidden, and so are enough other cells that no hidden one follows from a total. A
score's mean is shown only where its count is. No officer appears anywhere: the district is
the contact's unit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.engine.model import SCORED_KINDS, Flow, LocalText
from bot.ports import PublicQueries
from bot.services.suppression import Position, Suppressed, suppress

if TYPE_CHECKING:
    from storage.queries import ValueCount

# Months shown: the last twelve that have ended.
MONTHS = 12
# A cell of a table: (district or language, month).
Cell = tuple[str | None, str | None]
# A table's figures, row by row.
Grid = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Question:
    """A score question as the page names it: its words in each language, and its range."""

    flow_id: str
    question_id: str
    text: LocalText
    low: int
    high: int
    low_label: LocalText = field(default_factory=dict)
    high_label: LocalText = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Return the question's name in the open data: flow id and question id."""
        return f"{self.flow_id}:{self.question_id}"


@dataclass(frozen=True)
class CountTable:
    """Counts per group (row: a district or a language, None = not recorded) and month."""

    rows: tuple[str | None, ...]
    months: tuple[str, ...]
    counts: Suppressed
    # Per cell, the sum of the scores counted (score tables only): means are sum / count.
    sums: Grid = ()

    def count(self, row: int, column: int) -> int | None:
        """Return a count (row or column past the cells: a total), None where it is hidden."""
        if not self.counts.shown(row, column):
            return None
        return _entry(self.counts, row, column, self.counts.cells)

    def mean(self, row: int, column: int) -> float | None:
        """Return the mean score of an entry, None where its count is hidden or zero."""
        count = self.count(row, column)
        if not self.sums or not count:
            return None
        rows = range(len(self.rows)) if row == len(self.rows) else [row]
        columns = range(len(self.months)) if column == len(self.months) else [column]
        return round(sum(self.sums[r][c] for r in rows for c in columns) / count, 1)


@dataclass(frozen=True)
class Transparency:
    """Everything the public page and its open data show, already suppressed."""

    k: int
    months: tuple[str, ...]
    by_district: CountTable
    by_language: CountTable
    scores: tuple[tuple[Question, CountTable], ...]


def score_questions(flows: Iterable[Flow]) -> list[Question]:
    """Return the score questions of the live flows, in flow then question order."""
    return [
        Question(flow.id, node.id, node.text, node.min, node.max, node.min_label, node.max_label)
        for flow in sorted(flows, key=lambda f: f.id)
        for node in flow.nodes.values()
        if node.kind in SCORED_KINDS
    ]


def month_window(now: datetime, months: int = MONTHS) -> tuple[datetime, datetime, list[str]]:
    """Return the start of the first month shown, the start of this month, and each 'YYYY-MM'."""
    year, month = now.astimezone(UTC).year, now.astimezone(UTC).month
    labels = []
    for back in range(months, 0, -1):
        y, m = divmod(year * 12 + month - 1 - back, 12)
        labels.append(f"{y:04d}-{m + 1:02d}")
    first = datetime(int(labels[0][:4]), int(labels[0][5:]), 1, tzinfo=UTC)
    return first, datetime(year, month, 1, tzinfo=UTC), labels


def build(queries: PublicQueries, flows: Iterable[Flow], k: int, now: datetime) -> Transparency:
    """Read and suppress every table of the page for the months ended before `now`."""
    since, until, months = month_window(now)
    units = queries.completed("unit", since, until)
    languages = queries.completed("language", since, until)
    districts = _ordered({c.group for c in units})
    spoken = _ordered({c.group for c in languages})
    questions = score_questions(flows)
    values = queries.values_by_unit([(q.flow_id, q.question_id) for q in questions], since, until)
    scores = [_scores(q, values, districts, months) for q in questions]
    tables = [_grid(districts, months, {(c.group, c.month): c.count for c in units})]
    tables += [counts for counts, _ in scores]
    language_cells = _grid(spoken, months, {(c.group, c.month): c.count for c in languages})
    patterns, language = agree(tables, language_cells, k, len(months))
    table = partial(CountTable, months=tuple(months))
    return Transparency(
        k=k,
        months=tuple(months),
        by_district=table(rows=tuple(districts), counts=patterns[0]),
        by_language=table(rows=tuple(spoken), counts=language),
        scores=tuple(
            (q, table(rows=tuple(districts), counts=pattern, sums=sums))
            for q, (_, sums), pattern in zip(questions, scores, patterns[1:], strict=True)
        ),
    )


def agree(
    district_tables: Sequence[Grid], language_cells: Grid, k: int, width: int
) -> tuple[list[Suppressed], Suppressed]:
    """Suppress tables shown side by side until none shows a figure another hides.

    The district tables (surveys, then each score's answers) share their layout, so a cell
    hidden in one is hidden in all; the language table shares the months' totals with them.
    Each round can only hide more, so the rounds end.
    """
    rows, spoken = len(district_tables[0]), len(language_cells)
    shared: set[Position] = set()
    months: set[int] = set()
    while True:
        forced = shared | {(rows, m) for m in months}
        tables = [suppress(cells, k, width, forced) for cells in district_tables]
        language = suppress(language_cells, k, width, {(spoken, m) for m in months})
        hidden = set().union(*(t.hidden for t in tables))
        totals = {c for r, c in hidden if r == rows} | {
            c for r, c in language.hidden if r == spoken
        }
        if hidden == shared and totals == months:
            return tables, language
        shared, months = hidden, totals


def _scores(
    question: Question,
    values: Iterable[ValueCount],
    districts: Sequence[str | None],
    months: Sequence[str],
) -> tuple[Grid, Grid]:
    """Count one question's numeric answers and add up their scores per district and month."""
    counts: dict[Cell, int] = {}
    sums: dict[Cell, int] = {}
    for v in values:
        if (v.flow_id, v.question_id) != (question.flow_id, question.question_id):
            continue
        if isinstance(v.value, int) and not isinstance(v.value, bool):
            counts[v.group, v.month] = counts.get((v.group, v.month), 0) + v.count
            sums[v.group, v.month] = sums.get((v.group, v.month), 0) + v.value * v.count
    return _grid(districts, months, counts), _grid(districts, months, sums)


def _ordered(groups: set[str | None]) -> list[str | None]:
    """Order groups by name, the unrecorded one (None) last."""
    return sorted(groups, key=lambda g: (g is None, g or ""))


def _grid(rows: Sequence[str | None], months: Sequence[str], found: Mapping[Cell, int]) -> Grid:
    """Lay figures found per (group, month) out as rows by months, zero where none."""
    return tuple(tuple(found.get((row, month), 0) for month in months) for row in rows)


def _entry(table: Suppressed, row: int, column: int, cells: Sequence[Sequence[int]]) -> int:
    """Return the count at a grid position, totals included."""
    rows, columns = len(table.row_totals), len(table.column_totals)
    if row == rows:
        return table.total if column == columns else table.column_totals[column]
    return table.row_totals[row] if column == columns else cells[row][column]


class TransparencyCache:
    """Keep the page's figures for a while: they change once a month, and reading costs queries.

    Kept per process; the month the figures end at is part of the key, so a new month is
    read at once whatever is left of the time.
    """

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._lock = threading.Lock()
        self._kept: tuple[str, float, Transparency] | None = None

    def get(
        self, queries: PublicQueries, flows: Iterable[Flow], k: int, now: datetime
    ) -> Transparency:
        """Return the figures for `now`, read again when the kept ones are too old."""
        month = now.astimezone(UTC).strftime("%Y-%m")
        with self._lock:
            kept = self._kept
            if kept and kept[0] == month and time.monotonic() - kept[1] < self._seconds:
                return kept[2]
        report = build(queries, flows, k, now)
        with self._lock:
            self._kept = (month, time.monotonic(), report)
        return report
