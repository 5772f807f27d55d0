"""GET /api/v1/responses: every conversation's responses, as JSON pages or one streamed CSV."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, jsonify, request, stream_with_context

from bot.services.export_format import response_json
from bot.services.exports import ExportError, csv_export, parse_limit, parse_since, response_page
from bot.services.runtime import Runtime
from bot.services.tokens import RESPONSES_READ
from bot.web.api import require_token
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
        page = response_page(runtime(), request.args.get("cursor"), since, limit)
    except ExportError as exc:
        abort(400, str(exc))
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
        stream_with_context(csv_export(rt, since)),
        mimetype=CSV,
        headers={"Content-Disposition": 'attachment; filename="responses.csv"'},
    )
