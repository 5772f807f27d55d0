"""Read flow files and their translation files from disk: parsed, schema-checked, matched up.

`flows/<flow>.yaml` defines a flow; `flows/<flow>.<language>.yaml` translates it into one more
language. Nothing here builds a Flow: bot.flows.files does that from the sources read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import DefinitionFileError, shown_path
from bot.flows.translations import structure_problems
from bot.flows.yamlpos import PositionedDocument, check_schema, load_schema, parse_document

# The shipped schemas, whatever directory the flows themselves are read from.
_SCHEMAS = Path(__file__).resolve().parents[2] / "flows"
FLOW_SCHEMA = _SCHEMAS / "schema.json"
TRANSLATION_SCHEMA = _SCHEMAS / "translation.schema.json"
FLOW_SUFFIXES = (".yaml", ".yml")
# post_contact.vi.yaml, post_contact.pt-BR.yaml: the flow, a dot, a language code.
_TRANSLATION_STEM = re.compile(r"^(?P<flow>[^.]+)\.(?P<language>[a-z]{2,3}(?:-[A-Za-z0-9]+)?)$")


class FlowFileError(DefinitionFileError):
    """A flow file is invalid: `flows/post_contact.yaml:42: next 'q9' names no node`."""


@dataclass(frozen=True)
class TranslationFile:
    """One translation file, parsed and checked against the translation schema."""

    path: Path
    source: bytes
    doc: PositionedDocument

    @property
    def data(self) -> Mapping[str, Any]:
        """Return the parsed file."""
        return self.doc.data  # type: ignore[no-any-return]

    @property
    def language(self) -> str:
        """Return the language this file adds."""
        return str(self.data["language"])

    @property
    def machine(self) -> bool:
        """Say whether a machine drafted this file and no person has reviewed it yet."""
        return bool(self.data.get("machine", False))


@dataclass(frozen=True)
class FlowSource:
    """A flow file, parsed and schema-checked, with the translation files that extend it."""

    path: Path
    source: bytes
    doc: PositionedDocument
    translations: tuple[TranslationFile, ...] = ()

    @property
    def id(self) -> str:
        """Return the flow's id."""
        return str(self.doc.data["id"])

    @property
    def data(self) -> Mapping[str, Any]:
        """Return the parsed flow file."""
        return self.doc.data  # type: ignore[no-any-return]


def is_translation_file(path: Path) -> bool:
    """Say whether a file in flows/ is a translation (`<flow>.<language>.yaml`)."""
    return path.suffix in FLOW_SUFFIXES and _TRANSLATION_STEM.match(path.stem) is not None


def read_flow_sources(directory: Path) -> dict[str, FlowSource]:
    """Read every flow in `directory` with its translations, keyed by flow id."""
    bases = read_flow_files(directory)
    return _attach(bases, [p for p in _yaml_files(directory) if is_translation_file(p)])


def read_flow_files(directory: Path) -> dict[str, FlowSource]:
    """Read every flow file in `directory` (not their translations), keyed by flow id."""
    if not directory.is_dir():
        raise NotADirectoryError(f"flows directory {directory} does not exist")
    bases: dict[str, FlowSource] = {}
    for path in (p for p in _yaml_files(directory) if not is_translation_file(p)):
        source = read_flow_file(path)
        if source.id in bases:
            reason = f"flow id {source.id!r} is already used by {shown_path(bases[source.id].path)}"
            raise FlowFileError(path, source.doc.line_of(("id",)), reason)
        bases[source.id] = source
    return bases


def _yaml_files(directory: Path) -> list[Path]:
    """List the YAML files of a directory in name order."""
    return sorted(p for p in directory.iterdir() if p.suffix in FLOW_SUFFIXES)


def read_flow_source(path: Path) -> FlowSource:
    """Read one flow file with the translation files beside it."""
    if is_translation_file(path):
        raise FlowFileError(path, 1, "this is a translation file: load the flow it translates")
    base = read_flow_file(path)
    siblings = sorted(
        p for p in path.parent.iterdir() if is_translation_file(p) and _named_flow(p) == base.id
    )
    return _attach({base.id: base}, siblings)[base.id]


def read_flow_file(path: Path) -> FlowSource:
    """Parse one flow file and check it against flows/schema.json (no translations)."""
    return parse_flow_file(path.read_bytes(), path)


def parse_flow_file(source: bytes, path: Path) -> FlowSource:
    """Parse a flow file's content and check it against flows/schema.json (no translations)."""
    doc = parse_document(source, path, FlowFileError)
    check_schema(doc, load_schema(FLOW_SCHEMA), path, FlowFileError)
    return FlowSource(path, source, doc)


def read_translation_file(path: Path) -> TranslationFile:
    """Parse one translation file; check its schema and that its name gives flow and language."""
    return parse_translation_file(path.read_bytes(), path)


def parse_translation_file(source: bytes, path: Path) -> TranslationFile:
    """Parse a translation file's content, checked as read_translation_file checks it."""
    doc = parse_translation(source, path)
    for key in ("flow", "language"):
        if doc.data[key] != _name_part(path, key):
            reason = f"{key} {doc.data[key]!r} does not match the file name {path.name!r}"
            raise FlowFileError(path, doc.line_of((key,)), reason)
    return TranslationFile(path, source, doc)


def parse_translation(source: bytes, path: Path) -> PositionedDocument:
    """Parse a translation file's content and check it against flows/translation.schema.json."""
    doc = parse_document(source, path, FlowFileError)
    check_schema(doc, load_schema(TRANSLATION_SCHEMA), path, FlowFileError)
    return doc


def _name_part(path: Path, part: str) -> str:
    """Return the flow or the language a translation file's name gives."""
    match = _TRANSLATION_STEM.match(path.stem)
    return match.group(part) if match else ""


def _named_flow(path: Path) -> str:
    """Return the flow a translation file's name says it translates."""
    return _name_part(path, "flow")


def _attach(bases: dict[str, FlowSource], paths: Iterable[Path]) -> dict[str, FlowSource]:
    """Read translation files and give each flow its own, refusing any that do not fit."""
    return attach_translations(bases, (read_translation_file(path) for path in paths))


def attach_translations(
    bases: dict[str, FlowSource], translations: Iterable[TranslationFile]
) -> dict[str, FlowSource]:
    """Give each flow its translations, refusing any that do not fit."""
    found: dict[str, list[TranslationFile]] = {flow_id: [] for flow_id in bases}
    for translation in translations:
        path = translation.path
        base = bases.get(translation.data["flow"])
        if base is None:
            reason = f"there is no flow {translation.data['flow']!r} to translate"
            raise FlowFileError(path, translation.doc.line_of(("flow",)), reason)
        _check_fits(base, found[base.id], translation)
        found[base.id].append(translation)
    return {
        flow_id: FlowSource(base.path, base.source, base.doc, tuple(found[flow_id]))
        for flow_id, base in bases.items()
    }


def _check_fits(base: FlowSource, others: list[TranslationFile], new: TranslationFile) -> None:
    """Refuse a translation of a language the flow already has, or of what the flow lacks."""
    line = new.doc.line_of(("language",))
    if new.language in base.data["languages"]:
        reason = f"language {new.language!r} is already given inline in {base.path.name}"
        raise FlowFileError(new.path, line, reason)
    for other in others:
        if other.language == new.language:
            reason = f"language {new.language!r} is already translated in {other.path.name}"
            raise FlowFileError(new.path, line, reason)
    problems = structure_problems(base.data, new.data)
    if problems:
        first = min(problems, key=lambda problem: new.doc.line_of(problem.path))
        raise FlowFileError(new.path, new.doc.line_of(first.path), first.message)
