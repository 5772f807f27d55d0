"""The flows list: each flow's live version, its draft, its languages and the surveys on it."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from bot.services.flow_admin import get_draft
from bot.services.flow_overview import flow_overview
from bot.web.admin.blueprint import READERS, bp
from bot.web.auth import role_required
from bot.web.context import runtime, settings


@bp.get("/flows")
@role_required(*READERS)
def flows() -> ResponseReturnValue:
    """List the flows residents are surveyed with (read-only)."""
    rt = runtime()
    rows, errors = flow_overview(rt, settings())
    drafts = {row.id: get_draft(rt, row.id) for row in rows}
    return render_template("admin/flows.html", flows=rows, errors=errors, drafts=drafts)
