"""Tables shown side by side hide the same figures: none gives away what another hides."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.suppression import recomputable, suppress
from bot.services.transparency import agree

K = 5


def test_a_score_table_hides_what_the_survey_table_hides() -> None:
    surveys = ((9, 8, 7), (6, 9, 2))
    # One resident skipped the question in the small cell: alone, this table would show all.
    answers = ((9, 8, 7), (6, 9, 0))
    assert suppress(answers, K).hidden == frozenset()

    (by_survey, by_answer), _ = agree([surveys, answers], ((15, 17, 9),), K, 3)

    assert by_survey.hidden == by_answer.hidden
    assert (1, 2) in by_answer.hidden  # the survey count 2 is hidden, so is its answer count
    assert recomputable(by_survey) == recomputable(by_answer) == set()


def test_the_language_table_hides_the_months_the_district_table_hides() -> None:
    # Month 3 has 3 surveys in all: under K, hidden in both tables, with a partner month.
    districts = ((10, 12, 1), (11, 9, 2))
    languages = ((15, 15, 3), (6, 6, 0))

    (by_district,), by_language = agree([districts], languages, K, 3)

    hidden_months = {c for r, c in by_district.hidden if r == 2}
    assert hidden_months == {c for r, c in by_language.hidden if r == 2}
    assert 2 in hidden_months
    assert recomputable(by_language) == set()


@st.composite
def linked(
    draw: st.DrawFn,
) -> tuple[list[tuple[tuple[int, ...], ...]], tuple[tuple[int, ...], ...]]:
    """Draw a survey table, a score table no larger cell by cell, and a language table with the
    same month totals."""
    width = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 4))
    surveys = tuple(tuple(draw(st.integers(0, 20)) for _ in range(width)) for _ in range(rows))
    answers = tuple(tuple(draw(st.integers(0, n)) for n in row) for row in surveys)
    languages = draw(st.integers(1, 3))
    columns = []
    for c in range(width):
        left, parts = sum(row[c] for row in surveys), []
        for _ in range(languages - 1):
            part = draw(st.integers(0, left))
            parts.append(part)
            left -= part
        columns.append([*parts, left])
    language_cells = tuple(tuple(columns[c][r] for c in range(width)) for r in range(languages))
    return [surveys, answers], language_cells


@settings(max_examples=200, deadline=None)
@given(tables=linked(), k=st.integers(2, 8))
def test_linked_tables_never_disagree(
    tables: tuple[list[tuple[tuple[int, ...], ...]], tuple[tuple[int, ...], ...]], k: int
) -> None:
    district_tables, language_cells = tables
    width = len(district_tables[0][0])

    patterns, language = agree(district_tables, language_cells, k, width)

    assert all(p.hidden == patterns[0].hidden for p in patterns)
    rows, spoken = len(district_tables[0]), len(language_cells)
    assert {c for r, c in patterns[0].hidden if r == rows} == {
        c for r, c in language.hidden if r == spoken
    }
    for table in [*patterns, language]:
        assert recomputable(table) == set()
        small = {
            (r, c) for r, row in enumerate(table.cells) for c, n in enumerate(row) if 0 < n < k
        }
        assert small <= table.hidden
