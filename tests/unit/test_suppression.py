"""Small cells are hidden, and so are enough others that no hidden cell follows from a total."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services import suppression
from bot.services.suppression import Suppressed, recomputable, suppress

K = 5


def hidden_cells(table: Suppressed) -> set[tuple[int, int]]:
    """Return the hidden entries that are cells (not totals)."""
    rows, columns = len(table.row_totals), len(table.column_totals)
    return {(r, c) for r, c in table.hidden if r < rows and c < columns}


def test_the_module_is_pure() -> None:
    tree = ast.parse(Path(suppression.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert all(name.split(".")[0] in sys.stdlib_module_names for name in imported)


def test_k_minus_one_is_hidden_and_k_is_shown() -> None:
    assert not suppress([[K - 1, 20], [20, 20]], K).shown(0, 0)
    assert suppress([[K, 20], [20, 20]], K).hidden == frozenset()


def test_zero_is_shown_and_needs_no_partner() -> None:
    table = suppress([[0, 20, 30], [9, 20, 30]], K)

    assert table.hidden == frozenset()


def test_a_row_with_one_small_cell_hides_its_smallest_neighbour_too() -> None:
    # Row 0: 2 is hidden; 2 = 52 - 20 - 30 unless 20 goes as well.
    table = suppress([[2, 20, 30], [40, 50, 60], [45, 55, 65]], K)

    assert {(0, 0), (0, 1)} <= hidden_cells(table)
    # Columns 0 and 1 now each hold one hidden cell: their smallest other cells go too.
    assert (1, 0) in table.hidden and (1, 1) in table.hidden
    assert recomputable(table) == set()


def test_a_small_total_is_hidden() -> None:
    table = suppress([[1, 2], [30, 40]], K)

    assert not table.row_total_shown(0)
    assert {(0, 0), (0, 1)} <= table.hidden
    # Each column now has one hidden cell: the cells below them go too, then row 1's total.
    assert {(1, 0), (1, 1)} <= table.hidden
    assert recomputable(table) == set()


def test_the_cascade_crosses_rows_and_columns() -> None:
    cells = [[3, 10, 10], [10, 10, 10], [10, 10, 4]]
    table = suppress(cells, K)

    assert {(0, 0), (2, 2)} <= table.hidden
    for line_hidden in _hidden_per_line(table):
        assert line_hidden != 1
    assert recomputable(table) == set()


def test_a_single_row_table_hides_a_partner_or_its_total() -> None:
    table = suppress([[3, 8, 9]], K)

    assert (0, 0) in table.hidden and (0, 1) in table.hidden
    # The totals row repeats the row: its entries hide alike.
    assert (1, 0) in table.hidden and (1, 1) in table.hidden
    assert table.total_shown


def test_an_empty_table_shows_a_zero_total() -> None:
    table = suppress([], K, width=3)

    assert (table.column_totals, table.total, table.hidden) == ((0, 0, 0), 0, frozenset())


@pytest.mark.parametrize("k", [0, 1])
def test_k_below_two_is_refused(k: int) -> None:
    with pytest.raises(ValueError, match="2 or more"):
        suppress([[1]], k)


def test_ragged_or_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]], K)
    with pytest.raises(ValueError):
        suppress([[-1, 2]], K)


def _hidden_per_line(table: Suppressed) -> list[int]:
    """Count the hidden entries of every row and column of the grid, totals included."""
    rows, columns = len(table.row_totals) + 1, len(table.column_totals) + 1
    per_row = [sum((r, c) in table.hidden for c in range(columns)) for r in range(rows)]
    per_column = [sum((r, c) in table.hidden for r in range(rows)) for c in range(columns)]
    return per_row + per_column


def _published_line_reveals(table: Suppressed) -> bool:
    """Say whether a reader can work out a hidden entry from one row or column as published.

    A hidden cell whose line's total and other cells are shown is the total less those; a
    hidden total whose cells are all shown is their sum.
    """
    rows, columns = len(table.row_totals), len(table.column_totals)
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(columns + 1)]
    for line in lines:
        missing = [pos for pos in line if pos in table.hidden]
        if len(missing) != 1:
            continue
        *parts, (tr, tc) = line
        known = sum(grid[r][c] for r, c in parts if (r, c) not in table.hidden)
        worked_out = known if missing[0] == (tr, tc) else grid[tr][tc] - known
        if worked_out == _value(table, missing[0]):
            return True
    return False


tables = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(st.integers(0, 30), min_size=width, max_size=width), max_size=6)
)


@settings(max_examples=300, deadline=None)
@given(cells=tables, k=st.integers(2, 11))
def test_no_hidden_cell_can_be_recomputed_from_a_published_total(
    cells: list[list[int]], k: int
) -> None:
    table = suppress(cells, k, width=len(cells[0]) if cells else 1)

    # Every small group is hidden, and no line leaves a single hidden entry to subtract.
    for r, row in enumerate(cells):
        for c, n in enumerate(row):
            if 0 < n < k:
                assert not table.shown(r, c)
    assert not _published_line_reveals(table)
    assert recomputable(table) == set()
    # Zeros are never hidden, and nothing counting K or more is hidden without a reason.
    assert all(_value(table, pos) > 0 for pos in table.hidden)


def _value(table: Suppressed, pos: tuple[int, int]) -> int:
    """Return the count at a grid position, totals included."""
    r, c = pos
    rows, columns = len(table.row_totals), len(table.column_totals)
    if r == rows:
        return table.total if c == columns else table.column_totals[c]
    return table.row_totals[r] if c == columns else table.cells[r][c]
