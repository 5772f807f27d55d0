"""GET /officer/feedback: the signed-in officer's own scores and comments beside the agency's.

The officer is the one signed in: no parameter names another, and none is read. What is shown
follows bot.services.officer_feedback: K or more surveys, a delay, released in batches.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from bot.services.access import log_feedback_comments
from bot.services.officer_feedback import OfficerFeedback, feedback
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime, settings
from bot.web.security import page_headers

bp = Blueprint("officer_feedback", __name__)
bp.after_request(page_headers)


@bp.get("/officer/feedback")
@role_required("officer", "supervisor", "admin")
def page() -> ResponseReturnValue:
    """Show the signed-in officer's feedback, or why there is none to show yet."""
    rt = runtime()
    if rt.public is None:
        abort(503, "the results read side is not set up (see bootstrap)")
    config = settings()
    officer_id = signed_in().account.officer_id.strip()
    shown = (
        feedback(
            rt.public,
            rt.flows.values(),
            officer_id,
            config.k_anonymity,
            config.feedback_delay_days,
            rt.clock(),
        )
        if officer_id
        else OfficerFeedback(k=config.k_anonymity)
    )
    log_feedback_comments(rt, signed_in().account.email, officer_id, len(shown.comments or ()))
    return render_template(
        "officer/feedback.html",
        feedback=shown,
        officer_id=officer_id,
        delay=config.feedback_delay_days,
        base=rt.default_language,
    )
