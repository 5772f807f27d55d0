"""GET /api/v1/responses: every conversation's responses, as JSON pages or one streamed CSV."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import datetime

from flask import Blueprint, Response, abort, jsonify, request, stream_with_context

from bot.services.access import (
    Read,
    counted,
    how_many,
    log_read,
    responses_subject,
    token_reader,
)
from bot.services.audit import Action
from bot.services.export_format import response_json
from bot.services.exports import (
    ExportError,
    csv_export,
    every_response,
    parse_limit,
    parse_since,
    response_page,
)
from bot.services.runtime import Runtime
from bot.services.tokens import RESPONSES_READ
from bot.web.api import bearer, require_token
from bot.web.context import runtime

bp = Blueprint("api_responses", __name__, url_prefix="/api/v1")
CSV = "text/csv"


@bp.get("/responses")
@require_token(RESPONSES_READ)
def list_responses() -> Response:
    """Answer a page of responses as JSON, or every response as CSV (?format=csv)."""
    try:
        since = parse_since(request.args.get("since"))
        if _wants_csv():
            return _csv(runtime(), since)
        limit = parse_limit(request.args.get("limit"))
        cursor = request.args.get("cursor")
        page = response_page(runtime(), cursor, since, limit)
    except ExportError as exc:
        abort(400, str(exc))
    form = "JSON page after a cursor" if cursor else "JSON page"
    log_read(runtime(), _read(since), f"{form}, {how_many(len(page.rows), 'row')}")
    return jsonify(
        responses=[response_json(row) for row in page.rows], next_cursor=page.next_cursor
    )


def _wants_csv() -> bool:
    """Say whether the caller asked for CSV: ?format=csv, or an Accept header preferring it."""
    asked = request.args.get("format")
    if asked is not None:
        if asked not in ("csv", "json"):
            raise ExportError("format must be csv or json")
        return asked == "csv"
    return request.accept_mimetypes.best_match(["application/json", CSV]) == CSV


def _csv(rt: Runtime, since: datetime | None) -> Response:
    """Stream every response created since `since` as CSV, a batch of rows at a time."""
    if request.args.get("cursor") or request.args.get("limit"):
        # A CSV is the whole export: pages are for JSON, so a cursor here would be ignored.
        raise ExportError("cursor and limit page the JSON answer; a CSV holds every response")
    return Response(
        stream_with_context(_audited_csv(rt, since)),
        mimetype=CSV,
        headers={"Content-Disposition": 'attachment; filename="responses.csv"'},
    )


def _audited_csv(rt: Runtime, since: datetime | None) -> Iterator[str]:
    """Yield the CSV's lines; its audit entry is written when the rows end or the client goes."""
    rows = counted(rt, _read(since), every_response(rt, since), "CSV")
    with closing(rows):
        yield from csv_export(rt, since, rows)


def _read(since: datetime | None) -> Read:
    """Describe an export by the token it was asked with, for the audit log."""
    return Read(token_reader(bearer().name), Action.RESPONSES_EXPORTED, responses_subject(since))
