"""Hide the small cells of a table of counts so that no resident can be singled out (pure).

Standard library only, like the engine. A table's counts are laid out with their totals as one
grid: each row ends in its row total, and a last row holds the column totals and, in its
corner, the grand total. Every line of that grid (a row or a column, totals included) obeys
"its entries before the last add up to the last".

Primary suppression hides every entry (a cell or a total) counting 1 to K-1 residents. A zero
is shown: it says nobody, which points at no one, and hiding it would protect no other cell.

Complementary suppression then makes sure that no line holds exactly one hidden entry, since
that entry would be the line's total less its shown entries (or their sum, for a hidden
total). While some line has exactly one, the smallest shown non-zero entry of that line is
hidden too (a hidden entry is never zero, so its line always has a non-zero entry to hide
with it), until every line has none or at least two. This is the usual rule of statistical
offices; it does not solve the linear programs a dedicated tool such as τ-ARGUS runs to bound
hidden cells through chains of several lines.

Tables published side by side share figures (the same months' totals; a score's answers per
cell nearly equal the surveys per cell), so one table must not show what another hides:
`hidden` lets the caller hide in one table what another hid, until the tables agree
(bot.services.transparency does so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# An entry of the grid: (row, column); row len(rows) is the totals row, and column
# len(columns) the totals column.
Position = tuple[int, int]


@dataclass(frozen=True)
class Suppressed:
    """A table of counts with its totals, and which of its entries may be shown."""

    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    hidden: frozenset[Position]

    def shown(self, row: int, column: int) -> bool:
        """Say whether the entry at (row, column) may be published; totals sit past the cells."""
        return (row, column) not in self.hidden

    def row_total_shown(self, row: int) -> bool:
        """Say whether row `row`'s total may be published."""
        return self.shown(row, len(self.column_totals))

    def column_total_shown(self, column: int) -> bool:
        """Say whether column `column`'s total may be published."""
        return self.shown(len(self.row_totals), column)

    @property
    def total_shown(self) -> bool:
        """Say whether the grand total may be published."""
        return self.shown(len(self.row_totals), len(self.column_totals))


def suppress(
    cells: Sequence[Sequence[int]],
    k: int,
    width: int | None = None,
    hidden: Iterable[Position] = (),
) -> Suppressed:
    """Return the table with its totals and the entries to hide so no group under `k` shows.

    `width` gives the number of columns when there are no rows to tell it; `hidden` names
    entries to hide whatever their count (hidden in a linked table), before completing.
    """
    if k < 2:
        raise ValueError(f"k must be 2 or more, got {k}")
    columns = width if width is not None else (len(cells[0]) if cells else 0)
    if any(len(row) != columns or min(row, default=0) < 0 for row in cells):
        raise ValueError("every row needs the same number of counts, none negative")
    grid = _grid(cells, columns)
    hiding = {pos for pos, n in _entries(grid) if 0 < n < k} | set(hidden)
    _complete(grid, hiding)
    return Suppressed(
        cells=tuple(tuple(row) for row in cells),
        row_totals=tuple(row[-1] for row in grid[:-1]),
        column_totals=tuple(grid[-1][:-1]),
        total=grid[-1][-1],
        hidden=frozenset(hiding),
    )


def _grid(cells: Sequence[Sequence[int]], columns: int) -> list[list[int]]:
    """Lay the cells out with a total at the end of each row and a row of totals below."""
    grid = [[*row, sum(row)] for row in cells]
    totals = [sum(row[c] for row in grid) for c in range(columns + 1)]
    return [*grid, totals]


def _entries(grid: list[list[int]]) -> list[tuple[Position, int]]:
    """Return every entry of the grid with its position."""
    return [((r, c), n) for r, row in enumerate(grid) for c, n in enumerate(row)]


def _lines(grid: list[list[int]]) -> list[list[Position]]:
    """Return every row and every column of the grid as the positions along it."""
    rows = [[(r, c) for c in range(len(grid[0]))] for r in range(len(grid))]
    columns = [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
    return rows + columns


def _complete(grid: list[list[int]], hidden: set[Position]) -> None:
    """Hide more entries until no line of the grid holds exactly one hidden entry."""
    lines = _lines(grid)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(pos in hidden for pos in line) != 1:
                continue
            shown = [pos for pos in line if pos not in hidden]
            # The smallest non-zero entry (least lost to readers; ties: the earliest). Only an
            # entry hidden for a linked table can be zero and leave nothing but zeros to pick.
            nonzero = [pos for pos in shown if grid[pos[0]][pos[1]] > 0] or shown
            hidden.add(min(nonzero, key=lambda pos: grid[pos[0]][pos[1]]))
            changed = True


def recomputable(table: Suppressed) -> set[Position]:
    """Return the hidden entries a reader could work out from one line's shown entries.

    Empty for every table suppress() returns; the tests check that, and anyone may call it
    on a table built otherwise.
    """
    grid = _grid(table.cells, len(table.column_totals))
    return {
        next(pos for pos in line if pos in table.hidden)
        for line in _lines(grid)
        if sum(pos in table.hidden for pos in line) == 1
    }
