"""The translation grid: a draft's texts, a column per language, with SMS badges per cell.

Admins edit a language column (one form per column), have the machine translator draft a
language's missing texts, approve a machine draft, and add or remove languages; supervisors
read. The badges are computed on the server (bot/i18n/sms) on every render, and again as an
admin types through htmx, so the page works the same without scripts.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.services.flow_admin import FlowAdminError, get_draft
from bot.services.flow_admin.grid import badge, build_grid, read_draft
from bot.services.flow_admin.grid_edit import (
    add_language,
    approve,
    load,
    machine_draft,
    remove_language,
    save_language,
)
from bot.services.runtime import Runtime
from bot.web.admin.blueprint import READERS, WRITERS, bp
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime

GRID = "/flows/<flow_id>/draft/translations"
MAX_TEXT = 2000


@bp.get(GRID)
@role_required(*READERS)
def translation_grid(flow_id: str) -> ResponseReturnValue:
    """Show the draft's texts in every language (or the base language and `?language=`)."""
    rt = runtime()
    try:
        if signed_in().role in WRITERS:
            found, draft = load(rt, flow_id, signed_in().account.email)
        else:
            read = get_draft(rt, flow_id)
            if read is None:
                abort(404, f"Flow {flow_id} has no draft to read.")
            found, draft = read, read_draft(flow_id, read.files)
    except FlowAdminError as exc:
        return _problem(exc, 404 if "flow" in exc.fields else 400)
    only = request.args.get("language") or None
    grid = build_grid(draft, only if only in draft.languages else None, found.problems)
    addable = sorted(set(rt.locales) - set(draft.languages))
    return render_template(
        "admin/grid.html", grid=grid, locales=rt.locales, addable=addable, only=only
    )


@bp.get(f"{GRID}/badge")
@role_required(*READERS)
def translation_badge(flow_id: str) -> ResponseReturnValue:
    """Answer htmx with one cell's SMS badge for the text typed so far."""
    field = request.args.get("field", "")
    text = request.args.get(field, "") if field else ""
    if len(text) > MAX_TEXT:
        return f"Texts are limited to {MAX_TEXT} characters.", 400
    shown = badge(text, request.args.get("question") == "1") if text else None
    return render_template("admin/grid_badge.html", badge=shown)


@bp.post(f"{GRID}/<language>")
@role_required(*WRITERS)
def save_translations(flow_id: str, language: str) -> ResponseReturnValue:
    """Keep one language column as typed."""
    values = {k: v for k, v in request.form.items() if k != "csrf_token"}
    if any(len(v) > MAX_TEXT for v in values.values()):
        return _problem(FlowAdminError({"text": f"limit {MAX_TEXT} characters"}), 400)
    return _act(
        flow_id,
        lambda rt, by: save_language(rt, flow_id, language, values, by),
        "Saved in " + language + ": {}.",
    )


@bp.post(f"{GRID}/<language>/machine")
@role_required(*WRITERS)
def machine_translations(flow_id: str, language: str) -> ResponseReturnValue:
    """Fill a language's missing texts with the machine translator."""
    return _act(
        flow_id,
        lambda rt, by: machine_draft(rt, flow_id, language, by),
        "Drafted by the translator in " + language + ": {}. Review them, then approve.",
    )


@bp.post(f"{GRID}/<language>/approve")
@role_required(*WRITERS)
def approve_translations(flow_id: str, language: str) -> ResponseReturnValue:
    """Mark a machine-drafted language reviewed."""
    return _act(
        flow_id,
        lambda rt, by: approve(rt, flow_id, language, by),
        language + " approved: residents will be offered it once published.",
    )


@bp.post(f"{GRID}/languages")
@role_required(*WRITERS)
def add_translation_language(flow_id: str) -> ResponseReturnValue:
    """Add one of the app's languages to the draft."""
    language = request.form.get("language", "")
    return _act(
        flow_id, lambda rt, by: add_language(rt, flow_id, language, by), language + " added."
    )


@bp.get(f"{GRID}/<language>/remove")
@role_required(*WRITERS)
def confirm_remove_language(flow_id: str, language: str) -> ResponseReturnValue:
    """Ask before a language and its texts leave the draft."""
    draft = get_draft(runtime(), flow_id)
    if draft is None or language not in read_draft(flow_id, draft.files).languages:
        abort(404, f"The draft of {flow_id} does not offer {language}.")
    return render_template("admin/grid_remove.html", flow_id=flow_id, language=language)


@bp.post(f"{GRID}/<language>/remove")
@role_required(*WRITERS)
def remove_translation_language(flow_id: str, language: str) -> ResponseReturnValue:
    """Take a language out of the draft."""
    return _act(
        flow_id,
        lambda rt, by: remove_language(rt, flow_id, language, by),
        language + " removed from the draft.",
    )


def _act(flow_id: str, change: Callable[[Runtime, str], object], done: str) -> ResponseReturnValue:
    """Run a change as the signed-in admin; report it, or show why it was refused."""
    try:
        result = change(runtime(), signed_in().account.email)
    except FlowAdminError as exc:
        return _problem(exc, 400)
    flash(done.format(_texts(result)), "done")
    return redirect(url_for("admin.translation_grid", flow_id=flow_id), 303)


def _texts(count: object) -> str:
    """Say how many texts: "no texts", "1 text", "3 texts"."""
    if not isinstance(count, int):
        return ""
    return "no texts" if count == 0 else "1 text" if count == 1 else f"{count} texts"


def _problem(exc: FlowAdminError, status: int) -> tuple[str, int]:
    """Show why a request was refused, with the way back to the grid."""
    # A flow that is not there has no grid to go back to: link to the flows list instead.
    flow_id = (request.view_args or {}).get("flow_id", "") if status != 404 else ""
    page = render_template("admin/grid_problem.html", reason=str(exc), flow_id=flow_id)
    return page, status
