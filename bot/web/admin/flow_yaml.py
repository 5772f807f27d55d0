"""A flow's draft as YAML: each of its files in a text area, saved as typed, problems beside them.

The draft is kept even while invalid (an admin's work in progress); each problem shows beside
its file with its line, from the same checks start-up makes (bot.flows.problems).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.flows.problems import FieldProblem
from bot.services.flow_admin import DraftView, FlowAdminError, get_draft, save_draft
from bot.web.admin.blueprint import WRITERS, bp
from bot.web.admin.flow_versions import ButtonForm
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime

# A posted file's text comes in a field named after the file: "file:tiny.vi.yaml".
_FIELD = "file:"
# The most text a file may hold: far above any survey, well below a request too big to read.
MAX_FILE_CHARS = 200_000


@bp.get("/flows/<flow_id>/draft/yaml")
@role_required(*WRITERS)
def draft_yaml(flow_id: str) -> ResponseReturnValue:
    """Show the draft's files, each with its problems."""
    draft = get_draft(runtime(), flow_id)
    if draft is None:
        flash("This flow has no draft: start one first.", "error")
        return redirect(url_for("admin.flow_page", flow_id=flow_id), 303)
    return _page(draft, 200)


@bp.post("/flows/<flow_id>/draft/yaml")
@role_required(*WRITERS)
def save_draft_yaml(flow_id: str) -> ResponseReturnValue:
    """Keep the posted files as the draft, then show it again with its problems."""
    rt = runtime()
    draft = get_draft(rt, flow_id)
    if draft is None:
        flash("This flow has no draft: start one first.", "error")
        return redirect(url_for("admin.flow_page", flow_id=flow_id), 303)
    files = {name: request.form.get(_FIELD + name, "") for name in draft.files}
    too_long = [name for name, text in files.items() if len(text) > MAX_FILE_CHARS]
    if too_long:
        flash(f"{too_long[0]} is over {MAX_FILE_CHARS} characters: not saved.", "error")
        return _page(draft, 400, files)
    try:
        saved = save_draft(rt, flow_id, files, by=signed_in().account.email)
    except FlowAdminError as exc:
        flash("; ".join(exc.fields.values()), "error")
        return _page(draft, 400, files)
    count = len(saved.problems)
    flash(
        f"Draft saved with {count} problem{'' if count == 1 else 's'}."
        if count
        else "Draft saved. It has no problems: it can be published.",
        "error" if count else "done",
    )
    return redirect(url_for("admin.draft_yaml", flow_id=flow_id), 303)


def _page(draft: DraftView, status: int, typed: dict[str, str] | None = None) -> tuple[str, int]:
    """Render the files (as typed, when a save was refused) with their problems."""
    problems: dict[str, list[FieldProblem]] = {name: [] for name in draft.files}
    for problem in sorted(draft.problems, key=lambda found: found.line):
        problems.setdefault(problem.file, []).append(problem)
    page = render_template(
        "admin/flow_yaml.html",
        draft=draft,
        files=typed or draft.files,
        problems=problems,
        field=_FIELD,
        form=ButtonForm(),
    )
    return page, status
