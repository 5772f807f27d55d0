"""A draft as the question editor reads and saves it: the flow file's data, saved and audited.

The editor changes the flow file only; translation files are kept byte for byte (comments and
all) unless an edit must change them too (a removed question's texts go with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.flows.emit import FLOW_HEADER, TRANSLATION_HEADER, data_of_files, dump_yaml
from bot.flows.sources import FlowFileError, is_translation_file
from bot.services.audit import Action, record
from bot.services.flow_admin.drafts import DraftView, get_draft
from bot.services.flow_admin.errors import FlowAdminError
from bot.services.runtime import Runtime


@dataclass(frozen=True)
class EditableDraft:
    """A draft with its flow file read as data: what the editor changes."""

    view: DraftView
    base_name: str
    base: dict[str, Any]
    translations: dict[str, dict[str, Any]]

    @property
    def base_language(self) -> str:
        """Return the language the editor shows and edits texts in."""
        return str(self.base.get("base_language") or "en")


def editable_draft(rt: Runtime, flow_id: str) -> EditableDraft | None:
    """Return the flow's draft read as data, None if it has none; FlowAdminError if unreadable."""
    view = get_draft(rt, flow_id)
    if view is None:
        return None
    try:
        data = data_of_files(view.files)
    except FlowFileError as exc:
        reason = f"{exc.path.name}:{exc.line}: {exc.reason}; fix it in the YAML view"
        raise FlowAdminError({"draft": reason}) from exc
    bases = [name for name in data if not is_translation_file(Path(name))]
    if len(bases) != 1 or not isinstance(data[bases[0]], dict):
        raise FlowAdminError({"draft": "the draft has no single flow file to edit"})
    translations = {
        name: value for name, value in data.items() if name != bases[0] and isinstance(value, dict)
    }
    return EditableDraft(view, bases[0], data[bases[0]], translations)


def save_edit(
    rt: Runtime,
    draft: EditableDraft,
    base: Mapping[str, Any],
    by: str,
    detail: str,
    translations: Mapping[str, Mapping[str, Any]] | None = None,
) -> DraftView:
    """Keep an edited flow file (and any changed translations) as the draft, audited."""
    files = dict(draft.view.files)
    files[draft.base_name] = dump_yaml(base, FLOW_HEADER)
    for name, data in (translations or {}).items():
        files[name] = dump_yaml(data, TRANSLATION_HEADER)
    flow_id = draft.view.flow_id
    with rt.uow() as uow:
        if uow.flows.draft(flow_id) is None:
            raise FlowAdminError({"draft": "the draft was discarded meanwhile"})
        now = rt.clock()
        uow.flows.save_draft(flow_id, files, draft.view.based_on, by, now)
        record(uow, by, Action.FLOW_DRAFT_SAVED, flow_id, detail, now)
        uow.commit()
    saved = get_draft(rt, flow_id)
    assert saved is not None  # just saved above
    return saved
