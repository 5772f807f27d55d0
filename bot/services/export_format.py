"""How an exported response reads: a JSON object, or a CSV row safe to open in a spreadsheet.

Both carry the same facts and nothing that reaches the resident: no phone number, chat id or
other address is ever read for an export. CSV text cells that a spreadsheet would run as a
formula (starting with =, +, -, @, a tab or a carriage return) get a leading single quote, as
OWASP's CSV injection advice says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain
from typing import TYPE_CHECKING, Any

from bot.engine.model import LIVE
from bot.services.translations import TranslationStatus

if TYPE_CHECKING:
    from storage.models import AnswerJson
    from storage.queries import ResponseAnswer, ResponseRow

# One column each, before the question groups; README "Exports" documents every one.
FIXED_COLUMNS = (
    "survey_id",
    "flow",
    "flow_version",
    "channel",
    "status",
    "disposition",
    "reason",
    "language",
    "detected_language",
    "officer_id",
    "unit",
    "incident_id",
    "call_type",
    "occurred_at",
    "created_at",
    "started_at",
    "ended_at",
)
# The group of columns each question adds, named q_<question id><suffix>.
QUESTION_SUFFIXES = ("", "_raw", "_translation", "_translation_status")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def response_json(row: ResponseRow) -> dict[str, Any]:
    """Describe one conversation, its contact and its answers as JSON-ready data."""
    return {**_facts(row), "answers": [_answer_json(answer) for answer in row.answers]}


def _facts(row: ResponseRow) -> dict[str, Any]:
    """Return the fixed facts of a conversation, keyed by their CSV column names."""
    return {
        "survey_id": str(row.id),
        "flow": row.flow_id,
        "flow_version": row.flow_version,
        "channel": row.channel,
        "status": row.status,
        "disposition": row.disposition,
        "reason": row.refusal_reason,
        "language": row.language,
        "detected_language": detected_language(row.answers),
        "officer_id": row.officer_id,
        "unit": row.unit,
        "incident_id": row.incident_id,
        "call_type": row.call_type,
        "occurred_at": _iso(row.occurred_at),
        "created_at": _iso(row.created_at),
        "started_at": _iso(row.started_at),
        "ended_at": _iso(ended_at(row)),
    }


def _answer_json(answer: ResponseAnswer) -> dict[str, Any]:
    """Describe one answer: its normalised value, the resident's words and their translation."""
    return {
        "question": answer.question_id,
        "value": answer.value,
        "text": answer.raw_text,
        "language": answer.language,
        "answered_at": _iso(answer.answered_at),
        "detected_language": answer.detected_language,
        "translation": translation(answer),
        "translation_language": answer.translation_language if translation(answer) else None,
        "translation_status": answer.translation_status,
    }


def detected_language(answers: Sequence[ResponseAnswer]) -> str | None:
    """Return the language the resident's latest free-text answer was detected in, if any."""
    found = [a.detected_language for a in answers if a.detected_language]
    return found[-1] if found else None


def ended_at(row: ResponseRow) -> datetime | None:
    """Return when the conversation ended: completed, or closed (None while still live)."""
    if row.completed_at is not None:
        return row.completed_at
    # A closed conversation's status last changed when it closed.
    return None if row.status in LIVE else row.updated_at


def translation(answer: ResponseAnswer) -> str | None:
    """Return an answer's translation once done (None while pending, failed or not needed)."""
    return answer.translation if answer.translation_status == TranslationStatus.DONE else None


def csv_header(questions: Sequence[str]) -> list[str]:
    """Return the CSV header: the fixed columns, then a group per question."""
    grouped = [f"q_{question}{suffix}" for question in questions for suffix in QUESTION_SUFFIXES]
    return [*FIXED_COLUMNS, *grouped]


def csv_row(row: ResponseRow, questions: Sequence[str]) -> list[str]:
    """Return one conversation as CSV cells, in `csv_header(questions)` order."""
    facts = _facts(row)
    cells = [_cell(facts[column]) for column in FIXED_COLUMNS]
    given = {answer.question_id: answer for answer in row.answers}
    for question in questions:
        answer = given.get(question)
        if answer is None:
            cells.extend([""] * len(QUESTION_SUFFIXES))
            continue
        cells.append(_cell(answer.value))
        cells.append(_cell(answer.raw_text))
        cells.append(_cell(translation(answer)))
        cells.append(_cell(answer.translation_status))
    return cells


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """Yield the header and then each row as a CSV line (RFC 4180: quoted as needed, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for cells in chain([header], rows):
        writer.writerow(cells)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def neutralise(text: str) -> str:
    """Quote a cell a spreadsheet would run as a formula, so it is shown as text instead."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: AnswerJson) -> str:
    """Write a value as a CSV cell: text neutralised, numbers and yes/no as themselves."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        # A number is never a formula: -1 stays a number for the spreadsheet.
        return str(value)
    return neutralise(value)


def _iso(moment: datetime | None) -> str | None:
    """Format an optional moment as ISO 8601."""
    return moment.isoformat() if moment is not None else None
