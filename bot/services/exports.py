"""Export every conversation's responses: pages for the API, batches for files and streams.

Rows come from the export read side (`Runtime.responses`) a page at a time, so a million
conversations are never held at once. A page is resumed from an opaque cursor naming the last
row's (created_at, id), a key that never changes, so walking the pages yields each
conversation once even while new surveys are stored.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from bot.engine.model import Flow
from bot.ports import UnknownFlowVersionError
from bot.services.export_format import csv_header, csv_lines, csv_row
from bot.services.runtime import Runtime

if TYPE_CHECKING:
    from storage.queries import ResponseKey, ResponseRow

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Rows read per statement when a whole export is written out (CSV, JSON lines).
BATCH = 500
# Where a question missing from its flow's known definition sorts: after the others.
_UNKNOWN = 1 << 30


class ExportError(ValueError):
    """An export asked for with a bad cursor, limit or date (the message says why)."""


@dataclass(frozen=True)
class ResponsePage:
    """One page of responses and the cursor of the next (None after the last)."""

    rows: list[ResponseRow]
    next_cursor: str | None


def parse_since(text: str | None) -> datetime | None:
    """Read `since` as an ISO 8601 date or date and time; a time without a zone is UTC."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), time(), UTC)
            if len(text) == 10
            else datetime.fromisoformat(text)
        )
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise ExportError(
            f"since must be an ISO 8601 date or date and time (2026-01-31 or"
            f" 2026-01-31T08:00:00Z), not {text[:40]!r}"
        ) from exc


def parse_limit(text: str | None) -> int:
    """Read a page size: a whole number from 1 to MAX_LIMIT (DEFAULT_LIMIT when left out)."""
    if text is None or not text.strip():
        return DEFAULT_LIMIT
    text = text.strip()
    # isdecimal, not isdigit: int() refuses "²"; the length check spares int() a huge number.
    if not (text.isdecimal() and len(text) <= 4 and 1 <= int(text) <= MAX_LIMIT):
        raise ExportError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(text)


def encode_cursor(key: ResponseKey) -> str:
    """Write a page's last key as an opaque, URL-safe cursor."""
    raw = json.dumps([key.created_at.isoformat(), str(key.id)]).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> ResponseKey:
    """Read a cursor `encode_cursor` wrote; ExportError for anything else."""
    from storage.queries import ResponseKey

    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, key = json.loads(raw.decode("utf-8"))
        created_at = datetime.fromisoformat(moment)
        if created_at.tzinfo is None:
            raise ValueError("a cursor's time has a zone")
        return ResponseKey(created_at.astimezone(UTC), uuid.UUID(key))
    except (binascii.Error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise ExportError("cursor is not one this API returned: start again without it") from exc


def response_page(
    rt: Runtime, cursor: str | None, since: datetime | None, limit: int
) -> ResponsePage:
    """Return one page of responses after `cursor`, created at or after `since`."""
    after = decode_cursor(cursor) if cursor else None
    rows = rt.responses.page(after, since, limit)
    more = len(rows) == limit
    return ResponsePage(rows, encode_cursor(rows[-1].key) if more and rows else None)


def every_response(
    rt: Runtime, since: datetime | None, batch: int = BATCH
) -> Iterator[ResponseRow]:
    """Yield every response created at or after `since`, reading `batch` rows at a time."""
    queries = rt.responses
    after: ResponseKey | None = None
    while True:
        rows = queries.page(after, since, batch)
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].key


def csv_export(
    rt: Runtime, since: datetime | None, rows: Iterable[ResponseRow] | None = None
) -> Iterator[str]:
    """Yield every response created at or after `since` as CSV lines, the header first.

    `rows` are those responses as the caller reads them (counted for the audit log, say).
    """
    questions = question_columns(rt, since)
    source = every_response(rt, since) if rows is None else rows
    cells = (csv_row(row, questions) for row in source)
    yield from csv_lines(csv_header(questions), cells)


def question_columns(rt: Runtime, since: datetime | None) -> list[str]:
    """Return the ids of the questions answered since `since`, in their flows' order.

    Questions come flow by flow (by flow id, then in the order of the flow's definition);
    a question whose version of the flow is no longer known comes after its flow's others.
    """
    asked: dict[tuple[str, str], list[str]] = {}
    order: dict[str, tuple[str, int, str]] = {}
    for flow_id, version, question in rt.responses.question_ids(since):
        if (flow_id, version) not in asked:
            asked[flow_id, version] = _questions(rt, flow_id, version)
        known = asked[flow_id, version]
        rank = (flow_id, known.index(question) if question in known else _UNKNOWN, question)
        order[question] = min(order.get(question, rank), rank)
    return sorted(order, key=order.__getitem__)


def _questions(rt: Runtime, flow_id: str, version: str) -> list[str]:
    """Return the ids of a flow version's questions in order (none if the version is unknown)."""
    try:
        flow: Flow = rt.flow_store.get(flow_id, version)
    except UnknownFlowVersionError:
        return []
    return [node.id for node in flow.nodes.values() if node.waits]
