"""Export rows: CSV cells a spreadsheet would run as formulas are neutralised, per OWASP."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest

from bot.services.export_format import csv_header, csv_lines, csv_row, neutralise, response_json
from storage.queries import ResponseAnswer, ResponseRow

MOMENT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def _answer(question: str, value: str | int | bool | None, text: str | None) -> ResponseAnswer:
    """Build an answer given at MOMENT, its translation not needed."""
    return ResponseAnswer(question, value, text, "en", MOMENT, None, None, None, None)


def _row(*answers: ResponseAnswer, officer: str | None = "A1") -> ResponseRow:
    """Build a completed survey's row with these answers."""
    return ResponseRow(
        uuid.uuid4(), "post_contact", "v1", "sms", "en", "completed", "complete", None,
        officer, None, None, None, MOMENT, MOMENT, MOMENT, MOMENT, MOMENT, answers,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1 555 0100",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_quoted(text: str) -> None:
    assert neutralise(text) == "'" + text
    # The csv module quotes what needs it, so the cell reads back whole.
    written = "".join(csv_lines(["comment"], [[neutralise(text)]]))
    assert list(csv.DictReader(io.StringIO(written))) == [{"comment": "'" + text}]


@pytest.mark.parametrize("text", ["5", "The officer was kind", "a=b", " =1", "'quoted", ""])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text


def test_numbers_and_yes_no_stay_values_and_text_is_neutralised() -> None:
    row = _row(
        _answer("score", -1, "-1"),
        _answer("heard", True, "yes"),
        _answer("comment", "=1+1", "=1+1"),
        officer="-A1",
    )
    header = csv_header(["score", "heard", "comment", "unasked"])
    cells = dict(zip(header, csv_row(row, ["score", "heard", "comment", "unasked"]), strict=True))
    assert (cells["q_score"], cells["q_score_raw"]) == ("-1", "'-1")
    assert (cells["q_heard"], cells["q_heard_raw"]) == ("true", "yes")
    assert (cells["q_comment"], cells["q_comment_raw"]) == ("'=1+1", "'=1+1")
    assert cells["officer_id"] == "'-A1"
    assert [cells[f"q_unasked{s}"] for s in ("", "_raw", "_translation")] == ["", "", ""]


def test_json_keeps_the_resident_s_words_as_written() -> None:
    row = _row(_answer("comment", "=1+1", "=1+1"), officer="-A1")
    found = response_json(row)
    assert found["officer_id"] == "-A1"
    assert found["answers"][0]["text"] == found["answers"][0]["value"] == "=1+1"
    assert found["ended_at"] == MOMENT.isoformat()
