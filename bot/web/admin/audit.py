"""The audit log page: entries newest first, filtered by action, actor and dates, page by page.

Read-only: the site offers no way to edit or delete an entry. Admins only (least privilege:
it names every account's sign-ins and the emails typed in failed ones).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template, request
from flask.typing import ResponseReturnValue
from wtforms.fields import SelectChoice

from bot.services.audit import LABELS, PER_PAGE, audit_page, label
from bot.web.admin.blueprint import WRITERS, bp
from bot.web.admin.forms import AuditFilterForm
from bot.web.auth import role_required
from bot.web.context import runtime
from storage.queries import AuditFilter

MAX_PAGE = 10_000


@bp.get("/audit")
@role_required(*WRITERS)
def audit() -> ResponseReturnValue:
    """List audit entries, newest first, as the filters in the query string select."""
    rt = runtime()
    form = AuditFilterForm(request.args)
    known = {str(action) for action in LABELS} | set(rt.admin.audit_actions())
    choices = [SelectChoice(a, label(a)) for a in sorted(known, key=label)]
    form.action.choices = [SelectChoice("", "Any action"), *choices]
    if not _valid(form):
        page = render_template("admin/audit.html", form=form, entries=None, label=label)
        return page, 400
    zone = rt.policy.default_zone
    where = AuditFilter(
        action=form.action.data or None,
        actor=(form.actor.data or "").strip() or None,
        since=_start_of(form.since.data, zone),
        until=_start_of(form.until.data + timedelta(days=1), zone) if form.until.data else None,
    )
    number = min(request.args.get("page", 1, type=int) or 1, MAX_PAGE)
    found = audit_page(rt.admin, where, number)
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        entries=found,
        label=label,
        query=query,
        zone=zone,
        per_page=PER_PAGE,
    )


def _valid(form: AuditFilterForm) -> bool:
    """Check the filters, and that the range does not end before it begins."""
    if not form.validate():
        return False
    if form.since.data and form.until.data and form.until.data < form.since.data:
        form.until.errors = [*form.until.errors, "Pick a day on or after the first day."]
        return False
    return True


def _start_of(day: date | None, zone: ZoneInfo) -> datetime | None:
    """Return the moment a day begins in the agency's time zone (None for no day)."""
    return datetime.combine(day, time(), tzinfo=zone) if day is not None else None
