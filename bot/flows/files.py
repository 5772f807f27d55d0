"""Load survey flows from flows/: each flow file with its translation files, checked, versioned.

Loading is publishing: a flow is offered in a translated language only when its translation
file is complete, its placeholders match, and a person has reviewed it (`machine: false`).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.flowdef import FlowProblem, flow_from_dict, flow_problems
from bot.engine.model import Flow
from bot.engine.text import normalise
from bot.errors import shown_path
from bot.flows.sources import (
    FLOW_SCHEMA,
    FLOW_SUFFIXES,
    FlowFileError,
    FlowSource,
    TranslationFile,
    read_flow_source,
    read_flow_sources,
)
from bot.flows.translations import Origins, merge_translations, translation_gaps
from bot.flows.yamlpos import JsonPath

__all__ = [
    "FLOW_SCHEMA",
    "FLOW_SUFFIXES",
    "FlowDefinition",
    "FlowFileError",
    "build_definition",
    "build_flow",
    "flow_version",
    "load_flow_definitions",
    "load_flow_file",
    "load_flows",
    "offered_translations",
    "preview_flow",
    "source_texts",
]

logger = logging.getLogger(__name__)

# Where a problem at a path of the merged flow lies: (file, line).
Locate = Callable[[JsonPath], tuple[Path, int]]


@dataclass(frozen=True)
class _Built:
    """A flow, the merged mapping it was built from, and where each part of that came from."""

    flow: Flow
    data: Mapping[str, Any]
    locate: Locate


@dataclass(frozen=True)
class FlowDefinition:
    """A flow as built from its files, with the definition it was built from.

    `definition` is the flow file's mapping with the offered translations merged in: kept in
    the database (bot.flows.store), it builds the same Flow again after the files have changed.
    """

    flow: Flow
    definition: Mapping[str, Any]
    # The files it was read from, name -> text: the database keeps them to export them again.
    files: Mapping[str, str] = field(default_factory=dict)


def load_flow_file(path: Path) -> Flow:
    """Load and check one flow file and its translations; raise FlowFileError naming a line."""
    return build_flow(read_flow_source(path))


def load_flows(directory: Path) -> dict[str, Flow]:
    """Load every flow in `directory`, refusing two flows that share an id or a keyword."""
    return {flow_id: loaded.flow for flow_id, loaded in load_flow_definitions(directory).items()}


def load_flow_definitions(directory: Path) -> dict[str, FlowDefinition]:
    """Load every flow in `directory` with its definition, as load_flows does."""
    flows: dict[str, FlowDefinition] = {}
    keywords: dict[str, tuple[str, Path]] = {}
    for flow_id, source in read_flow_sources(directory).items():
        built = _build(source)
        _claim_keywords(built, keywords)
        flows[flow_id] = FlowDefinition(built.flow, built.data, source_texts(source))
        logger.info(
            "loaded flow %s version %s from %s in %s",
            flow_id,
            built.flow.version,
            source.path.name,
            ", ".join(built.flow.languages),
        )
    return flows


def build_flow(source: FlowSource) -> Flow:
    """Build a flow in its inline languages and every reviewed, complete translation."""
    return _build(source).flow


def build_definition(source: FlowSource) -> FlowDefinition:
    """Build a flow as build_flow does, with the merged definition it was built from."""
    built = _build(source)
    return FlowDefinition(built.flow, built.data, source_texts(source))


def source_texts(source: FlowSource) -> dict[str, str]:
    """Return a flow's files as texts by file name: its own, then each translation's."""
    files = {source.path.name: source.source.decode("utf-8")}
    for translation in source.translations:
        files[translation.path.name] = translation.source.decode("utf-8")
    return files


def offered_translations(source: FlowSource) -> tuple[TranslationFile, ...]:
    """Return the translations residents are offered: all but unreviewed machine drafts."""
    return tuple(translation for translation in source.translations if not translation.machine)


def preview_flow(source: FlowSource) -> Flow:
    """Build a flow with every translation, drafts and gaps too: for reports, never residents."""
    merged, _ = merge_translations(source.data, [t.data for t in source.translations])
    return flow_from_dict(merged, _version(source, source.translations))


def flow_version(source: bytes, *translations: bytes) -> str:
    """Version a flow by its files' content: the first 12 hex digits of their SHA-256."""
    digest = hashlib.sha256(source)
    for translation in translations:
        # A separator, so that moving text from one file to the next changes the version.
        digest.update(b"\0" + translation)
    return digest.hexdigest()[:12]


def _version(source: FlowSource, translations: Sequence[TranslationFile]) -> str:
    """Version a flow by its file and the translation files it was built with."""
    return flow_version(source.source, *(translation.source for translation in translations))


def _build(source: FlowSource) -> _Built:
    """Check a flow alone, then its translations, then the whole; build it if all is well."""
    _refuse(flow_problems(source.data), lambda path: (source.path, source.doc.line_of(path)))
    offered = offered_translations(source)
    for draft in (t for t in source.translations if t not in offered):
        logger.warning(
            "%s is a machine translation awaiting review; flow %s is not offered in %s",
            shown_path(draft.path),
            source.id,
            draft.language,
        )
    for translation in offered:
        gaps = translation_gaps(source.data, translation.data)
        if gaps:
            first = min(gaps, key=lambda gap: translation.doc.line_of(gap.path))
            line = translation.doc.line_of(first.path)
            raise FlowFileError(translation.path, line, first.reason)
    merged, origins = merge_translations(source.data, [t.data for t in offered])
    locate = locator(source, offered, origins)
    _refuse(flow_problems(merged), locate)
    return _Built(flow_from_dict(merged, _version(source, offered)), merged, locate)


def _refuse(problems: list[FlowProblem], locate: Locate) -> None:
    """Raise FlowFileError for the most telling of a flow's problems, if it has any."""
    if not problems:
        return
    # The most specific problem first: a broken `next` (("nodes", 0, "next")) is the cause,
    # the unreachable node it strands (("nodes", 1)) only its consequence.
    first = min(problems, key=lambda problem: (-len(problem.path), locate(problem.path)))
    raise FlowFileError(*locate(first.path), first.message)


def locator(
    source: FlowSource, translations: Sequence[TranslationFile], origins: Origins
) -> Locate:
    """Make a function giving the file and line of any path into the merged flow mapping."""

    def locate(path: JsonPath) -> tuple[Path, int]:
        """Return the file and line holding `path` of the merged flow."""
        # The longest prefix a translation file supplied owns the path; the rest is the flow's.
        for cut in range(len(path), 0, -1):
            origin = origins.get(path[:cut])
            if origin is not None:
                number, inner = origin
                translation = translations[number]
                return translation.path, translation.doc.line_of((*inner, *path[cut:]))
        return source.path, source.doc.line_of(path)

    return locate


def _claim_keywords(built: _Built, claimed: dict[str, tuple[str, Path]]) -> None:
    """Record the flow's start keywords, refusing one another flow already uses."""
    flow = built.flow
    for language, words in built.data.get("keywords", {}).items():
        for index, word in enumerate(words):
            key = normalise(word)
            path, line = built.locate(("keywords", language, index))
            owner = claimed.setdefault(key, (flow.id, path))
            if owner[0] != flow.id:
                reason = (
                    f"keyword {word!r} already starts flow {owner[0]!r} ({shown_path(owner[1])})"
                )
                raise FlowFileError(path, line, reason)
