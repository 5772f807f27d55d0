"""Load survey flows from flows/*.yaml: schema-checked, then checked for sense, then versioned."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from bot.engine.flowdef import flow_from_dict, flow_problems
from bot.engine.model import Flow
from bot.engine.text import normalise
from bot.yamlpos import (
    DefinitionFileError,
    PositionedDocument,
    check_schema,
    load_schema,
    parse_document,
    shown_path,
)

logger = logging.getLogger(__name__)

# The shipped schema, whatever directory the flows themselves are read from.
FLOW_SCHEMA = Path(__file__).resolve().parent.parent / "flows" / "schema.json"
FLOW_SUFFIXES = (".yaml", ".yml")


class FlowFileError(DefinitionFileError):
    """A flow file is invalid: `flows/post_contact.yaml:42: next 'q9' names no node`."""


def load_flow_file(path: Path) -> Flow:
    """Load and check one flow file; raise FlowFileError naming the line of the first problem."""
    return _read(path)[0]


def load_flows(directory: Path) -> dict[str, Flow]:
    """Load every flow in `directory`, refusing two flows that share an id or a keyword."""
    if not directory.is_dir():
        raise NotADirectoryError(f"flows directory {directory} does not exist")
    flows: dict[str, Flow] = {}
    files: dict[str, Path] = {}
    keywords: dict[str, tuple[str, Path]] = {}
    for path in sorted(p for p in directory.iterdir() if p.suffix in FLOW_SUFFIXES):
        flow, doc = _read(path)
        if flow.id in files:
            reason = f"flow id {flow.id!r} is already used by {shown_path(files[flow.id])}"
            raise FlowFileError(path, doc.line_of(("id",)), reason)
        _claim_keywords(flow, doc, path, keywords)
        flows[flow.id], files[flow.id] = flow, path
        logger.info("loaded flow %s version %s from %s", flow.id, flow.version, path.name)
    return flows


def flow_version(source: bytes) -> str:
    """Version a flow by its file's content: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256(source).hexdigest()[:12]


def _read(path: Path) -> tuple[Flow, PositionedDocument]:
    """Parse, validate and build one flow, keeping its document for later line look-ups."""
    source = path.read_bytes()
    doc = parse_document(source, path, FlowFileError)
    check_schema(doc, load_schema(FLOW_SCHEMA), path, FlowFileError)
    problems = flow_problems(doc.data)
    if problems:
        # The most specific problem first: a broken `next` (("nodes", 0, "next")) is the cause,
        # the unreachable node it strands (("nodes", 1)) only its consequence.
        first = min(problems, key=lambda problem: (-len(problem.path), doc.line_of(problem.path)))
        raise FlowFileError(path, doc.line_of(first.path), first.message)
    return flow_from_dict(doc.data, flow_version(source)), doc


def _claim_keywords(
    flow: Flow, doc: PositionedDocument, path: Path, claimed: dict[str, tuple[str, Path]]
) -> None:
    """Record the flow's start keywords, refusing one another flow already uses."""
    for language, words in doc.data.get("keywords", {}).items():
        for index, word in enumerate(words):
            key = normalise(word)
            owner = claimed.setdefault(key, (flow.id, path))
            if owner[0] != flow.id:
                reason = (
                    f"keyword {word!r} already starts flow {owner[0]!r} ({shown_path(owner[1])})"
                )
                raise FlowFileError(path, doc.line_of(("keywords", language, index)), reason)
