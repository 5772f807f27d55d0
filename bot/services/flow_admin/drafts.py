"""A flow's one draft: opened as a copy of the live version, saved, checked, discarded.

A draft is the flow's files (base file plus one per translation, as in flows/) and may be
saved while invalid: an admin's work in progress. Its problems are listed with every read and
save, each at its field, from the same checks start-up makes; publishing refuses while any remain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.engine.model import Flow
from bot.flows.emit import files_of_data
from bot.flows.files import build_definition
from bot.flows.problems import FieldProblem, file_problems
from bot.flows.texts import source_of_texts
from bot.ports import UnitOfWork
from bot.services.audit import SYSTEM, Action, record
from bot.services.flow_admin.errors import FlowAdminError
from bot.services.flow_admin.versions import version_files
from bot.services.runtime import Runtime
from storage.models import FlowDraft

_FLOW_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class DraftView:
    """A flow's draft as an admin sees it: its files, where it came from, what is wrong."""

    flow_id: str
    based_on: int | None
    files: Mapping[str, str]
    updated_at: datetime
    updated_by: str | None
    problems: tuple[FieldProblem, ...]

    @property
    def valid(self) -> bool:
        """Say whether the draft passes every check (it may still be refused for a race)."""
        return not self.problems


def open_draft(rt: Runtime, flow_id: str, by: str | None = None) -> DraftView:
    """Return the flow's draft, first copying the live version into one if it has none."""
    with rt.uow() as uow:
        draft = uow.flows.draft(flow_id)
        if draft is None:
            latest = uow.flows.latest(flow_id)
            if latest is None:
                raise FlowAdminError({"flow": f"no flow {flow_id!r}"})
            files = version_files(latest)
            draft = uow.flows.save_draft(flow_id, files, latest.number, by, rt.clock())
            detail = f"opened a draft from version {latest.number}"
            record(uow, by or SYSTEM, Action.FLOW_DRAFT_SAVED, flow_id, detail, rt.clock())
            uow.commit()
        return _view(rt, draft)


def get_draft(rt: Runtime, flow_id: str) -> DraftView | None:
    """Return the flow's draft, if it has one."""
    with rt.uow() as uow:
        draft = uow.flows.draft(flow_id)
        return _view(rt, draft) if draft is not None else None


def save_draft(
    rt: Runtime, flow_id: str, files: Mapping[str, str], by: str | None = None
) -> DraftView:
    """Keep new files as the flow's draft (a new flow when it has none) and list its problems."""
    if not _FLOW_ID.match(flow_id):
        raise FlowAdminError({"flow": "must be an id: lower-case letters, digits and _"})
    if not files:
        raise FlowAdminError({"files": "a draft needs at least its flow file"})
    with rt.uow() as uow:
        draft = uow.flows.draft(flow_id)
        based_on = draft.based_on if draft is not None else _live_number(uow, flow_id)
        saved = uow.flows.save_draft(flow_id, files, based_on, by, rt.clock())
        view = _view(rt, saved)
        detail = f"{len(view.problems)} problem(s)" if view.problems else "no problems"
        record(uow, by or SYSTEM, Action.FLOW_DRAFT_SAVED, flow_id, detail, rt.clock())
        uow.commit()
    return view


def save_draft_data(
    rt: Runtime,
    flow_id: str,
    base: Mapping[str, Any],
    translations: Sequence[Mapping[str, Any]] = (),
    by: str | None = None,
) -> DraftView:
    """Keep a draft edited as data (the form editor): written out as the flow's files."""
    return save_draft(rt, flow_id, files_of_data(base, translations), by)


def discard_draft(rt: Runtime, flow_id: str, by: str | None = None) -> bool:
    """Throw the flow's draft away; say whether it had one."""
    with rt.uow() as uow:
        discarded = uow.flows.discard_draft(flow_id)
        if discarded:
            record(uow, by or SYSTEM, Action.FLOW_DRAFT_DISCARDED, flow_id, "", rt.clock())
        uow.commit()
    return discarded


def draft_flow(rt: Runtime, flow_id: str) -> Flow | None:
    """Build the flow's draft as publishing would (None: none); refused while it has problems."""
    draft = get_draft(rt, flow_id)
    if draft is None:
        return None
    if draft.problems:
        count = len(draft.problems)
        raise FlowAdminError({"draft": f"the draft has {count} problem(s): fix them to preview it"})
    return build_definition(source_of_texts(flow_id, draft.files)).flow


def _live_number(uow: UnitOfWork, flow_id: str) -> int | None:
    """Return the number of the flow's live version, if it has one."""
    latest = uow.flows.latest(flow_id)
    return latest.number if latest is not None else None


def _view(rt: Runtime, draft: FlowDraft) -> DraftView:
    """Describe a draft with its problems, checked as start-up checks flow files."""
    files = dict(draft.files)
    problems = file_problems(draft.flow_id, files, rt.locales)
    return DraftView(
        draft.flow_id, draft.based_on, files, draft.updated_at, draft.updated_by, tuple(problems)
    )
