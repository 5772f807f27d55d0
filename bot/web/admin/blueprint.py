"""The admin site's blueprint and who may read or change things through it."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from bot.web.auth import role_required
from bot.web.context import runtime
from bot.web.security import page_headers

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.after_request(page_headers)

# Supervisors read the flows and the accounts; only admins change anything or read the audit
# log (it names everyone's sign-ins and failed attempts: least privilege).
READERS = ("supervisor", "admin")
WRITERS = ("admin",)


@bp.get("")
@role_required(*READERS)
def home() -> ResponseReturnValue:
    """Open the admin site on its flows list."""
    return redirect(url_for("admin.flows"))


@bp.app_template_filter("local_time")
def local_time(moment: datetime | None) -> str:
    """Show a moment in the agency's time zone, to the minute ("2026-12-06 09:41 EST")."""
    if moment is None:
        return ""
    return moment.astimezone(runtime().policy.default_zone).strftime("%Y-%m-%d %H:%M %Z")


@bp.errorhandler(404)
def not_found(exc: HTTPException) -> tuple[str, int]:
    """Answer a missing account with a page, not JSON.

    Only 404: a 400 may be a CSRF failure, which has its own page (bot/web/auth.py).
    """
    page = render_template("admin/problem.html", title="Not found", reason=exc.description)
    return page, 404
