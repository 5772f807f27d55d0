"""A flow's page: its live version, its draft (start, discard, publish), its version history
(roll back, export, compare two versions).

Supervisors read it; only admins change anything. Every change is a CSRF-protected post that
redirects back to the page (post/redirect/get) and is audited by the service it calls.
"""

from __future__ import annotations

import io
import zipfile

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from bot.flows.problems import FieldProblem
from bot.services.flow_admin import (
    FlowAdminError,
    PublishRefusedError,
    VersionInfo,
    diff_versions,
    discard_draft,
    export_files,
    get_draft,
    list_versions,
    open_draft,
    publish,
    rollback,
)
from bot.web.admin.blueprint import READERS, WRITERS, bp
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime


class ButtonForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """A button that changes a flow (start, discard, publish, roll back): its CSRF token only.

    CSRFProtect checks the token of every post before the view runs.
    """


@bp.get("/flows/<flow_id>")
@role_required(*READERS)
def flow_page(flow_id: str) -> ResponseReturnValue:
    """Show a flow's live version, its draft and its version history."""
    return _page(flow_id, (), 200)


@bp.post("/flows/<flow_id>/draft/start")
@role_required(*WRITERS)
def start_draft(flow_id: str) -> ResponseReturnValue:
    """Open a draft as a copy of the live version (the existing draft if there is one)."""
    draft = open_draft(runtime(), _known(flow_id), by=signed_in().account.email)
    flash(f"Draft of version {draft.based_on} open.", "done")
    return _back(flow_id)


@bp.post("/flows/<flow_id>/draft/discard")
@role_required(*WRITERS)
def throw_away_draft(flow_id: str) -> ResponseReturnValue:
    """Discard the flow's draft."""
    if discard_draft(runtime(), _known(flow_id), by=signed_in().account.email):
        flash("Draft discarded.", "done")
    else:
        flash("There was no draft to discard.", "error")
    return _back(flow_id)


@bp.post("/flows/<flow_id>/draft/publish")
@role_required(*WRITERS)
def publish_draft(flow_id: str) -> ResponseReturnValue:
    """Publish the draft as the next version; list every reason when it is refused."""
    rt = runtime()
    try:
        published = publish(rt, _known(flow_id), by=signed_in().account.email)
    except PublishRefusedError as refused:
        return _page(flow_id, refused.problems, 400)
    except FlowAdminError as exc:
        flash(_reason(exc), "error")
        return _back(flow_id)
    held = ", ".join(published.held_back)
    message = f"Published as version {published.number}; new surveys start on it."
    flash(message + (f" Held back as unreviewed machine drafts: {held}." if held else ""), "done")
    return _back(flow_id)


@bp.get("/flows/<flow_id>/versions/<int:number>/rollback")
@role_required(*WRITERS)
def confirm_rollback(flow_id: str, number: int) -> ResponseReturnValue:
    """Ask before publishing an old version again."""
    version = _version(flow_id, number)
    return render_template("admin/flow_rollback.html", version=version, form=ButtonForm())


@bp.post("/flows/<flow_id>/versions/<int:number>/rollback")
@role_required(*WRITERS)
def roll_back(flow_id: str, number: int) -> ResponseReturnValue:
    """Publish an old version's files again as the flow's next version."""
    _version(flow_id, number)
    try:
        published = rollback(runtime(), flow_id, number, by=signed_in().account.email)
    except PublishRefusedError as refused:
        return _page(flow_id, refused.problems, 400)
    flash(f"Version {number} is live again, as version {published.number}.", "done")
    return _back(flow_id)


@bp.get("/flows/<flow_id>/versions/<int:number>/export")
@role_required(*READERS)
def export_version(flow_id: str, number: int) -> ResponseReturnValue:
    """Download a version's files (as flows/ holds them) in a zip."""
    _version(flow_id, number)
    files = export_files(runtime(), flow_id, number)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(name, text)
    name = f"{flow_id}-v{number}.zip"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(buffer.getvalue(), mimetype="application/zip", headers=headers)


@bp.get("/flows/<flow_id>/diff")
@role_required(*READERS)
def compare_versions(flow_id: str) -> ResponseReturnValue:
    """Show what differs between two versions, question by question and language by language."""
    versions = _versions(flow_id)
    numbers = [version.number for version in versions]
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    if old not in numbers or new not in numbers:
        reason = f"Pick two versions of {flow_id} to compare (versions 1 to {numbers[-1]})."
        page = render_template("admin/problem.html", title="Cannot compare", reason=reason)
        return page, 400
    diff = diff_versions(runtime(), flow_id, old, new)
    return render_template("admin/flow_diff.html", diff=diff, versions=numbers)


def _page(flow_id: str, refused: tuple[FieldProblem, ...], status: int) -> tuple[str, int]:
    """Render the flow page, with the reasons a publish was refused if it was."""
    rt = runtime()
    versions = _versions(flow_id)
    page = render_template(
        "admin/flow.html",
        flow_id=flow_id,
        live=versions[-1],
        versions=list(reversed(versions)),
        draft=get_draft(rt, flow_id),
        refused=refused,
        form=ButtonForm(),
        can_write=signed_in().account.role in WRITERS,
    )
    return page, status


def _versions(flow_id: str) -> list[VersionInfo]:
    """Return the flow's versions, oldest first; 404 when there is no such flow."""
    try:
        return list_versions(runtime(), flow_id)
    except FlowAdminError as exc:
        abort(404, description=_reason(exc))


def _version(flow_id: str, number: int) -> VersionInfo:
    """Return one version of the flow; 404 when there is no such version."""
    for version in _versions(flow_id):
        if version.number == number:
            return version
    abort(404, description=f"Flow {flow_id} has no version {number}.")


def _known(flow_id: str) -> str:
    """Return the flow id once the flow is known to exist (404 otherwise)."""
    _versions(flow_id)
    return flow_id


def _reason(exc: FlowAdminError) -> str:
    """Return a refusal's reasons as one sentence."""
    return "; ".join(exc.fields.values()).capitalize() + "."


def _back(flow_id: str) -> ResponseReturnValue:
    """Redirect to the flow page after a change (post/redirect/get)."""
    return redirect(url_for("admin.flow_page", flow_id=flow_id), 303)
