"""The translation grid's model: a row per localised field, cells, missing texts, SMS badges."""

from __future__ import annotations

import yaml

from bot.flows.emit import files_of_data
from bot.services.flow_admin.grid import QUESTION_SEGMENTS, Grid, badge, build_grid, read_draft
from tests.translation_samples import FLOW, VI, changed


def grid_of(flow: str = FLOW, vi: str | None = VI) -> Grid:
    """Build the grid of the tiny flow, with its Vietnamese file if given."""
    files = {"tiny.yaml": flow}
    if vi is not None:
        files["tiny.vi.yaml"] = vi
    return build_grid(read_draft("tiny", files))


def test_rows_are_every_localised_field_in_file_order() -> None:
    grid = grid_of()
    assert grid.languages == ("en", "es", "vi") and grid.base == "en"
    assert [row.label for row in grid.rows] == [
        "keywords",
        "hello: text",
        "rate: min_label",
        "rate: max_label",
        "rate: text",
        "why: slow: label",
        "why: slow: synonyms",
        "why: other: label",
        "why: text",
        "comment: text",
        "bye: text",
    ]
    synonyms = grid.rows[6]
    assert synonyms.words and [c.value for c in synonyms.cells] == ["late", "", "trễ, lâu quá"]
    assert not any(cell.missing for cell in synonyms.cells), "word lists may stay empty"


def test_missing_texts_are_marked_per_language() -> None:
    assert not any(cell.missing for row in grid_of().rows for cell in row.cells)
    grid = grid_of(vi=changed('    text: "Tại sao?"\n', ""))
    missing = [
        (row.label, cell.language) for row in grid.rows for cell in row.cells if cell.missing
    ]
    assert missing == [("why: text", "vi")]
    cell = next(row for row in grid.rows if row.label == "why: text").cells[2]
    assert cell.badge is None and cell.value == ""


def test_badges_count_segments_by_encoding() -> None:
    spanish = badge("¿El agente le trató con dignidad y respeto?", question=True)
    assert (spanish.encoding, spanish.segments) == ("UCS-2", 1), "ó is not GSM-7"
    plain = badge("¿El agente le ha escuchado cuando usted le hablaba?", question=True)
    assert (plain.encoding, plain.segments) == ("GSM-7", 1), "¿ and é are GSM-7"
    arabic = badge("هل استمع الضابط إلى ما أردت قوله؟ " * 4, question=True)
    assert arabic.encoding == "UCS-2" and arabic.segments == 3
    assert arabic.warning == f"Longer than {QUESTION_SEGMENTS} SMS segments"
    assert badge("هل استمع الضابط " * 12, question=False).warning == "", "labels are not flagged"


def test_an_inline_language_and_a_file_language_read_alike() -> None:
    data = yaml.safe_load(FLOW)
    files = files_of_data(
        data, [{"flow": "tiny", "language": "ar", "nodes": {"why": {"text": "لماذا؟"}}}]
    )
    grid = build_grid(read_draft("tiny", files), only="ar")
    assert grid.languages == ("en", "ar")
    why = next(row for row in grid.rows if row.label == "why: text")
    assert [cell.value for cell in why.cells] == ["Why?", "لماذا؟"]
    assert why.cells[1].badge is not None and why.cells[1].badge.encoding == "UCS-2"


def test_only_question_texts_carry_the_segment_limit() -> None:
    questions = {row.label for row in grid_of().rows if row.question}
    assert questions == {"rate: text", "why: text", "comment: text"}
