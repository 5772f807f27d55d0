"""The results page and the CSV of each of its figures, for the same filters."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from bot.services.access import log_comments
from bot.services.results import (
    FilterError,
    ResultsForbiddenError,
    ResultsRequest,
    Viewer,
    read_request,
)
from bot.services.results_figures import DIMENSION_LABELS
from bot.services.results_table import Table
from bot.services.results_view import dashboard, table_csv
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime
from bot.web.security import page_headers

bp = Blueprint("results", __name__, url_prefix="/results")
bp.after_request(page_headers)

READERS = ("supervisor", "admin")
CHANNELS = ("sms", "whatsapp", "telegram", "console")


@bp.get("")
@role_required(*READERS)
def page() -> ResponseReturnValue:
    """Show the dashboard for the filters in the query string (400 with the form's errors)."""
    try:
        asked = _request()
    except FilterError as exc:
        return _render(None, None, exc.errors), 400
    board = dashboard(runtime(), asked)
    log_comments(runtime(), signed_in().account.email, asked, len(board.comments.rows), "page")
    return _render(asked, board, {})


@bp.get("/<figure>.csv")
@role_required(*READERS)
def figure_csv(figure: str) -> ResponseReturnValue:
    """Download one figure as CSV: the same cells its table shows, for the same filters."""
    try:
        asked = _request()
    except FilterError as exc:
        abort(400, str(exc))
    table = dashboard(runtime(), asked).tables.get(figure)
    if table is None:
        abort(404, f"no figure {figure!r} on the dashboard for these filters")
    if table.id == "comments":
        log_comments(runtime(), signed_in().account.email, asked, len(table.rows), "CSV")
    name = f"results-{table.id}-{asked.first_day}-{asked.last_day}.csv"
    return Response(
        stream_with_context(table_csv(table)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.errorhandler(400)
@bp.errorhandler(403)
@bp.errorhandler(404)
def problem(exc: Any) -> tuple[str, int]:
    """Answer a refused or unknown request with a page saying why."""
    code = int(getattr(exc, "code", 400))
    reason = getattr(exc, "description", "")
    return render_template("results/problem.html", reason=reason, code=code), code


def _request() -> ResultsRequest:
    """Check the query string for the signed-in person (403 when they may not read results)."""
    rt = runtime()
    account = signed_in().account
    zone = rt.policy.default_zone
    try:
        return read_request(request.args, Viewer(account.role, account.unit), _today(), zone)
    except ResultsForbiddenError as exc:
        abort(403, str(exc))


def _today() -> date:
    """Return today's date in the agency's time zone, by the runtime's clock."""
    rt = runtime()
    return rt.clock().astimezone(rt.policy.default_zone).date()


def _render(asked: ResultsRequest | None, board: Any, errors: dict[str, str]) -> str:
    """Render the dashboard (or only its form, with errors)."""
    rt = runtime()
    account = signed_in().account
    shown = asked.shown if asked else dict(request.args.items())
    query = {k: v for k, v in shown.items() if v and k != "page"}
    return render_template(
        "results/dashboard.html",
        asked=asked,
        board=board,
        errors=errors,
        shown=shown,
        query=query,
        locked_unit=account.unit if account.role == "supervisor" else None,
        languages=[(code, f"{rt.locales[code].name} ({code})") for code in sorted(rt.locales)],
        channels=[(channel, channel) for channel in CHANNELS],
        flows=[(flow_id, flow_id) for flow_id in sorted(rt.flows)],
        dimensions=list(DIMENSION_LABELS.items()),
        chart_json=_chart_json,
    )


def _chart_json(table: Table) -> Markup:
    """Return a chart's data as JSON safe inside <script type="application/json">."""
    text = json.dumps(table.chart_data(), ensure_ascii=False)
    # "</script>" or "<!--" in a label must not end the block: escape what HTML parses.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  # escaped above for the script data context
