"""Published versions of a flow: list them, publish the draft, roll back, export their files.

A version is never changed. Publishing adds the flow's next number and makes it live; a
rollback publishes an old version's files again under a new number, so the history reads in
order and every conversation keeps the exact version it began on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.engine.text import normalise
from bot.flows.emit import FLOW_HEADER, dump_yaml
from bot.flows.files import build_definition, offered_translations
from bot.flows.problems import FieldProblem, field_name, file_problems
from bot.flows.store import from_file, stored_definition, unused_digest
from bot.flows.texts import base_file_name, source_of_texts
from bot.ports import UnitOfWork
from bot.services.audit import SYSTEM, Action, record
from bot.services.flow_admin.errors import FlowAdminError, PublishRefusedError
from bot.services.runtime import Runtime
from storage.models import FlowVersion

log = logging.getLogger(__name__)

PUBLISHED = "published in the browser"


@dataclass(frozen=True)
class VersionInfo:
    """One published version as the version history lists it."""

    flow_id: str
    number: int
    digest: str
    origin: str
    published_by: str | None
    created_at: datetime
    live: bool
    languages: tuple[str, ...]
    # Scheduled and active conversations that began on this version (they finish on it).
    running: int = 0

    @property
    def from_file(self) -> bool:
        """Say whether the version was read from the flow files at start."""
        return from_file(self.origin)


@dataclass(frozen=True)
class Published:
    """A new live version, and the languages held back as unreviewed machine drafts."""

    flow_id: str
    number: int
    digest: str
    held_back: tuple[str, ...] = ()


def version_files(version: FlowVersion) -> dict[str, str]:
    """Return a version's files: as published, or written from its definition if older."""
    if version.files:
        return dict(version.files)
    # Recorded before files were kept: its definition has every language inline.
    return {base_file_name(version.flow_id): dump_yaml(version.definition, FLOW_HEADER)}


def list_versions(rt: Runtime, flow_id: str) -> list[VersionInfo]:
    """Return every published version of a flow, oldest first, the live one marked."""
    with rt.uow() as uow:
        versions = uow.flows.versions(flow_id)
        if not versions:
            raise FlowAdminError({"flow": f"no flow {flow_id!r}"})
        live, running = versions[-1].number, uow.flows.running(flow_id)
        return [_info(version, live, running.get(version.digest, 0)) for version in versions]


def version_of(uow: UnitOfWork, flow_id: str, number: int) -> FlowVersion:
    """Return a published version; FlowAdminError naming the version if there is none."""
    version = uow.flows.version(flow_id, number)
    if version is None:
        raise FlowAdminError({"version": f"flow {flow_id!r} has no version {number}"})
    return version


def export_files(rt: Runtime, flow_id: str, number: int | None = None) -> dict[str, str]:
    """Return the files of a version (the live one unless `number`), as flows/ holds them."""
    with rt.uow() as uow:
        if number is None:
            latest = uow.flows.latest(flow_id)
            if latest is None:
                raise FlowAdminError({"flow": f"no flow {flow_id!r}"})
            return version_files(latest)
        return version_files(version_of(uow, flow_id, number))


def publish(rt: Runtime, flow_id: str, by: str | None = None, *, force: bool = False) -> Published:
    """Publish the flow's draft as its next version; PublishRefusedError while it has problems.

    Refused too when another version went live since the draft was opened (its changes would
    be undone silently), unless `force`.
    """
    with rt.uow() as uow:
        # Locked: a second admin publishing the same draft waits, then finds it published.
        draft = uow.flows.draft(flow_id, lock=True)
        if draft is None:
            raise FlowAdminError({"draft": f"flow {flow_id!r} has no draft to publish"})
        files = dict(draft.files)
        _refuse_problems(rt, flow_id, files)
        latest = uow.flows.latest(flow_id)
        if latest is not None and latest.number != draft.based_on and not force:
            reason = (
                f"version {latest.number} ({latest.origin}) went live after this draft was "
                f"opened from version {draft.based_on}: review it, then publish anyway"
            )
            raise PublishRefusedError([FieldProblem("", base_file_name(flow_id), 1, reason)])
        published = _add_version(rt, uow, flow_id, files, PUBLISHED, by)
        uow.flows.discard_draft(flow_id)
        detail = f"version {published.number}"
        record(uow, by or SYSTEM, Action.FLOW_PUBLISHED, flow_id, detail, rt.clock())
        uow.commit()
    log.info("flow %s version %d published", flow_id, published.number)
    return published


def rollback(rt: Runtime, flow_id: str, number: int, by: str | None = None) -> Published:
    """Publish an old version's files again, as the flow's next version."""
    with rt.uow() as uow:
        old = version_of(uow, flow_id, number)
        files = version_files(old)
        _refuse_problems(rt, flow_id, files)
        published = _add_version(rt, uow, flow_id, files, f"rollback to version {number}", by)
        detail = f"version {number} published again as version {published.number}"
        record(uow, by or SYSTEM, Action.FLOW_ROLLED_BACK, flow_id, detail, rt.clock())
        uow.commit()
    log.info("flow %s rolled back to version %d as %d", flow_id, number, published.number)
    return published


def _refuse_problems(rt: Runtime, flow_id: str, files: Mapping[str, str]) -> None:
    """Raise PublishRefusedError listing every problem of the files, if they have any."""
    problems = file_problems(flow_id, files, rt.locales)
    if not problems:
        definition = build_definition(source_of_texts(flow_id, files)).definition
        problems = list(_keyword_clashes(rt, flow_id, definition))
    if problems:
        raise PublishRefusedError(problems)


def _keyword_clashes(
    rt: Runtime, flow_id: str, definition: Mapping[str, Any]
) -> Iterator[FieldProblem]:
    """List the start keywords another live flow already answers to (as start-up refuses)."""
    taken = {
        normalise(word): other.id
        for other in rt.flows.values()
        if other.id != flow_id
        for words in other.keywords.values()
        for word in words
    }
    for language, words in definition.get("keywords", {}).items():
        for index, word in enumerate(words):
            owner = taken.get(normalise(word))
            if owner is not None:
                reason = f"keyword {word!r} already starts flow {owner!r}"
                field = field_name(("keywords", language, index))
                yield FieldProblem(field, base_file_name(flow_id), 1, reason)


def _add_version(
    rt: Runtime,
    uow: UnitOfWork,
    flow_id: str,
    files: Mapping[str, str],
    origin: str,
    by: str | None,
) -> Published:
    """Store checked files as the flow's next version, live in this process once committed."""
    source = source_of_texts(flow_id, files)
    built = build_definition(source)
    versions = uow.flows.versions(flow_id)
    row = FlowVersion(
        flow_id=flow_id,
        number=versions[-1].number + 1 if versions else 1,
        digest=unused_digest(built.flow.version, versions),
        definition=stored_definition(built),
        created_at=rt.clock(),
        origin=origin,
        published_by=by,
        files=dict(files),
    )
    uow.flows.add_version(row)
    uow.after_commit(rt.flow_store.refresh)
    offered = {translation.language for translation in offered_translations(source)}
    held = {translation.language for translation in source.translations} - offered
    return Published(flow_id, row.number, row.digest, tuple(sorted(held)))


def _info(version: FlowVersion, live: int, running: int) -> VersionInfo:
    """Describe a version for the history."""
    languages = tuple(str(code) for code in version.definition.get("languages", ()))
    return VersionInfo(
        version.flow_id,
        version.number,
        version.digest,
        version.origin,
        version.published_by,
        version.created_at,
        version.number == live,
        languages,
        running,
    )
