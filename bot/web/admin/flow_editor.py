"""The question editor: a flow draft's questions in forms, so nobody needs to write YAML.

Admins add, remove, move and edit questions; supervisors read. Every change is saved to the
draft (invalid drafts included: work in progress), audited, and ends in a redirect; the draft's
problems, from the same checks start-up makes, show next to the fields they are about.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from bot.engine.flowdef import ALLOWED_PLACEHOLDERS
from bot.services.flow_admin import FlowAdminError, open_draft
from bot.services.flow_admin.draft_edits import (
    EditableDraft,
    editable_draft,
    save_edit,
)
from bot.services.flow_admin.editing import (
    KINDS,
    EditError,
    add_node,
    index_of,
    move_node,
    nodes_of,
    remove_node,
    update_node,
)
from bot.web.admin.blueprint import READERS, WRITERS, bp
from bot.web.admin.editor_form import (
    OPERATORS,
    QuestionValues,
    local_text,
    node_of_values,
    values_of_form,
    values_of_node,
)
from bot.web.admin.editor_problems import node_problems
from bot.web.auth import role_required, signed_in
from bot.web.context import runtime, settings

_LIST = "admin.draft_questions"


@bp.get("/flows/<flow_id>/draft/questions")
@role_required(*READERS)
def draft_questions(flow_id: str) -> ResponseReturnValue:
    """List the draft's questions in order, with what each asks; offer to open a draft."""
    draft = _draft(flow_id)
    rows = []
    if draft is not None:
        for index, node in enumerate(nodes_of(draft.base)):
            mapped = node_problems(draft.view.problems, index, draft.base_language)
            rows.append((node, local_text(node.get("text"), draft.base_language), mapped))
    page = render_template(
        "admin/editor.html", flow_id=flow_id, draft=draft, rows=rows, kinds=KINDS, writer=_writer()
    )
    return page


@bp.post("/flows/<flow_id>/draft/open")
@role_required(*WRITERS)
def open_flow_draft(flow_id: str) -> ResponseReturnValue:
    """Open a draft as a copy of the live version, then list its questions."""
    try:
        open_draft(runtime(), flow_id, _by())
    except FlowAdminError as exc:
        abort(404, "; ".join(exc.fields.values()))
    return redirect(url_for(_LIST, flow_id=flow_id), 303)


@bp.post("/flows/<flow_id>/draft/questions")
@role_required(*WRITERS)
def add_question(flow_id: str) -> ResponseReturnValue:
    """Add a question of the chosen type and open it to be worded."""
    draft = _must_draft(flow_id)
    kind = request.form.get("type", "")
    if kind not in KINDS:
        abort(400, "Choose a question type from the list.")
    base, node_id = add_node(draft.base, kind)
    save_edit(runtime(), draft, base, _by(), f"added question {node_id} ({kind})")
    flash(f"Question {node_id} added: word it below.", "done")
    return redirect(url_for("admin.draft_question", flow_id=flow_id, qid=node_id), 303)


@bp.post("/flows/<flow_id>/draft/questions/<qid>/move")
@role_required(*WRITERS)
def move_question(flow_id: str, qid: str) -> ResponseReturnValue:
    """Move a question one place up or down."""
    draft = _must_draft(flow_id)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400, "Move a question up or down.")
    base = move_node(draft.base, _known(draft, qid), -1 if direction == "up" else 1)
    save_edit(runtime(), draft, base, _by(), f"moved question {qid} {direction}")
    return redirect(url_for(_LIST, flow_id=flow_id, _anchor=f"q-{qid}"), 303)


@bp.post("/flows/<flow_id>/draft/questions/<qid>/remove")
@role_required(*WRITERS)
def remove_question(flow_id: str, qid: str) -> ResponseReturnValue:
    """Remove a question and its translations; links to it go where it went."""
    draft = _must_draft(flow_id)
    names = list(draft.translations)
    base, kept = remove_node(draft.base, list(draft.translations.values()), _known(draft, qid))
    changed = dict(zip(names, kept, strict=True))
    save_edit(runtime(), draft, base, _by(), f"removed question {qid}", changed)
    flash(f"Question {qid} removed.", "done")
    return redirect(url_for(_LIST, flow_id=flow_id), 303)


@bp.route("/flows/<flow_id>/draft/questions/<qid>", methods=["GET", "POST"])
@role_required(*READERS)
def draft_question(flow_id: str, qid: str) -> ResponseReturnValue:
    """Show one question's form; save it (admins), its problems shown at their fields."""
    draft = _must_draft(flow_id)
    index = index_of(draft.base, _known(draft, qid))
    node = nodes_of(draft.base)[index]
    if request.method == "GET":
        return _question_page(draft, index, values_of_node(node, draft.base_language), {})
    if not _writer():
        abort(403)
    values = values_of_form(request.form)
    new, errors = node_of_values(node, values, draft.base_language)
    if errors:
        return _question_page(draft, index, values, errors), 400
    save_edit(runtime(), draft, update_node(draft.base, qid, new), _by(), f"edited question {qid}")
    flash("Draft saved.", "done")
    return redirect(url_for("admin.draft_question", flow_id=flow_id, qid=qid), 303)


def _question_page(
    draft: EditableDraft, index: int, values: QuestionValues, errors: dict[str, str]
) -> str:
    """Render a question's form with its values, unreadable fields and the draft's problems."""
    node = nodes_of(draft.base)[index]
    mapped = node_problems(draft.view.problems, index, draft.base_language)
    for name, message in errors.items():
        mapped.fields.setdefault(name, []).insert(0, message)
    examples = settings().placeholder_values
    tokens = [(f"{{{name}}}", examples.get(name, "")) for name in sorted(ALLOWED_PLACEHOLDERS)]
    targets = [str(other.get("id")) for other in nodes_of(draft.base) if other is not node]
    return render_template(
        "admin/editor_question.html",
        draft=draft,
        node=node,
        values=values,
        problems=mapped,
        unsaved=bool(errors),
        placeholders=tokens,
        targets=targets,
        operators=OPERATORS,
        writer=_writer(),
    )


def _draft(flow_id: str) -> EditableDraft | None:
    """Return the flow's draft as data; a draft no form can read is a 404 with the reason."""
    try:
        return editable_draft(runtime(), flow_id)
    except FlowAdminError as exc:
        abort(404, "; ".join(exc.fields.values()))


def _must_draft(flow_id: str) -> EditableDraft:
    """Return the flow's draft, or answer 404 when it has none."""
    draft = _draft(flow_id)
    if draft is None:
        abort(404, f"Flow {flow_id} has no draft: open one from its questions page.")
    return draft


def _known(draft: EditableDraft, qid: str) -> str:
    """Return a question id the draft has, or answer 404."""
    try:
        index_of(draft.base, qid)
    except EditError as exc:
        abort(404, str(exc))
    return qid


def _writer() -> bool:
    """Say whether the signed-in person may change drafts."""
    return signed_in().account.role in WRITERS


def _by() -> str:
    """Return who is making the change, for the draft and the audit log."""
    return str(signed_in().account.email)
