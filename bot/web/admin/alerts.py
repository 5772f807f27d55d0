"""The alert page: alerts and commendations for a supervisor's unit (an admin's: all), newest
first, each unacknowledged one showing how long it has waited; acknowledged with a note.

Supervisors see their own unit's alerts only (a supervisor without a unit sees none); admins
see every alert, those without a unit included. Acknowledging is CSRF-protected and audited.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.services.alerts import AlertError, acknowledge, list_alerts
from bot.web.admin.blueprint import READERS, bp
from bot.web.admin.forms import AcknowledgeForm, AlertFilterForm
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime

_SHOW = {"open": False, "acknowledged": True, "all": None}


@bp.get("/alerts")
@role_required(*READERS)
def alerts() -> ResponseReturnValue:
    """List the alerts the signed-in person may see, as the filter selects."""
    form = AlertFilterForm(request.args)
    if not form.validate():
        return _page(form, None, {}, 400)
    return _page(form, None, {}, 200)


@bp.post("/alerts/<uuid:alert_id>/acknowledge")
@role_required(*READERS)
def acknowledge_alert(alert_id: uuid.UUID) -> ResponseReturnValue:
    """Acknowledge one alert with a note; a mistake comes back beside the note field."""
    form = _ack_form(alert_id)
    listing = AlertFilterForm(request.args)
    listing.validate()
    if not form.validate_on_submit():
        return _page(listing, alert_id, {alert_id: form}, 400)
    rt = runtime()
    try:
        acknowledge(
            rt.uow, alert_id, signed_in().account.email, _units(), form.note.data, rt.clock()
        )
    except AlertError as exc:
        if exc.field == "alert" and str(exc) == "No such alert.":
            return _page(listing, None, {}, 404, problem=str(exc))
        form.note.errors = [*form.note.errors, str(exc)]
        return _page(listing, alert_id, {alert_id: form}, 400)
    flash("Alert acknowledged.", "done")
    return redirect(url_for("admin.alerts", show=listing.show.data), 303)


def _ack_form(alert_id: uuid.UUID, blank: bool = False) -> AcknowledgeForm:
    """Return an alert's acknowledge form; its fields are named after the alert (unique ids)."""
    prefix = f"alert-{alert_id}"
    if blank:
        return AcknowledgeForm(formdata=None, prefix=prefix)
    return AcknowledgeForm(prefix=prefix)


def _units() -> list[str] | None:
    """Return the units whose alerts the signed-in person sees (None: every unit)."""
    account = signed_in().account
    if account.role == "admin":
        return None
    return [account.unit] if account.unit else []


def _page(
    form: AlertFilterForm,
    focus: uuid.UUID | None,
    forms: dict[uuid.UUID, AcknowledgeForm],
    status: int,
    problem: str = "",
) -> tuple[str, int]:
    """Render the alert list, with the acknowledge form of `focus` as it was sent back."""
    rt = runtime()
    show = form.show.data if form.show.data in _SHOW else "open"
    found = list_alerts(rt, _units(), _SHOW[show], signed_in().account.email)
    page = render_template(
        "admin/alerts.html",
        form=form,
        show=show,
        alerts=found,
        forms={**{v.alert.id: _ack_form(v.alert.id, blank=True) for v in found}, **forms},
        focus=focus,
        problem=problem,
        now=rt.clock(),
        age=age,
    )
    return page, status


def age(since: datetime, now: datetime) -> str:
    """Say how long ago `since` was, roughly: "5 min", "3 h", "2 days"."""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"
