"""Every problem of a flow's files at once, each at a field path a form can show it beside.

Start-up stops at a flow file's first error (`flows/x.yaml:42: reason`); an admin editing a
draft wants them all, each next to its field: `nodes[2].text.es`. The checks are the same ones
(the JSON Schemas, bot.engine's flow checks, the translation rules of bot.flows.translations),
with each path turned from a translation file's shape into the merged flow's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from bot.engine.flowdef import flow_problems
from bot.errors import DefinitionFileError
from bot.flows.files import locator, offered_translations
from bot.flows.sources import (
    FLOW_SCHEMA,
    TRANSLATION_SCHEMA,
    FlowFileError,
    FlowSource,
    is_translation_file,
)
from bot.flows.texts import source_of_texts
from bot.flows.translations import (
    merge_translations,
    structure_problems,
    translation_gaps,
    translation_view,
)
from bot.flows.yamlpos import (
    JsonPath,
    PositionedDocument,
    explain,
    load_schema,
    parse_document,
)


@dataclass(frozen=True)
class FieldProblem:
    """One problem: the field it is about (`nodes[2].text.es`; "" for a whole file), where."""

    field: str
    file: str
    line: int
    message: str


def field_name(path: JsonPath) -> str:
    """Write a path into the flow as a form names its field: nodes[2].options[0].label.es."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name


def file_problems(
    flow_id: str, files: Mapping[str, str], locales: Collection[str]
) -> list[FieldProblem]:
    """Check a flow's files as start-up would, and list every problem found, in file order."""
    problems = list(_schema_problems(files))
    if problems:
        return problems
    try:
        source = source_of_texts(flow_id, files)
    except FlowFileError as exc:
        return [_whole(exc)]
    alone = [_at(source, problem.path, problem.message) for problem in flow_problems(source.data)]
    if alone:
        return alone
    return [*_language_problems(source, locales), *_merged_problems(source)]


def _at(source: FlowSource, path: JsonPath, message: str) -> FieldProblem:
    """Report a problem of the flow file itself at its field."""
    return FieldProblem(field_name(path), source.path.name, source.doc.line_of(path), message)


def _whole(exc: DefinitionFileError) -> FieldProblem:
    """Report a problem only known by its file and line."""
    return FieldProblem("", exc.path.name, exc.line, exc.reason)


def _schema_problems(files: Mapping[str, str]) -> Iterator[FieldProblem]:
    """Parse every file and list each place it breaks its JSON Schema or its flow's shape."""
    docs: dict[str, PositionedDocument] = {}
    for name, text in sorted(files.items()):
        try:
            docs[name] = parse_document(text.encode("utf-8"), Path(name), FlowFileError)
        except FlowFileError as exc:
            yield _whole(exc)
    bases = [name for name in docs if not is_translation_file(Path(name))]
    base = docs[bases[0]].data if len(bases) == 1 else None
    if bases and not _schema_sound(base, FLOW_SCHEMA):
        yield from _against(bases[0], docs[bases[0]], FLOW_SCHEMA, field_name)
        base = None
    for name, doc in docs.items():
        if name not in bases:
            yield from _translation_problems(name, doc, base)


def _schema_sound(data: Any, schema: Path) -> bool:
    """Say whether data passes a JSON Schema."""
    return Draft202012Validator(load_schema(schema)).is_valid(data)


def _against(
    name: str, doc: PositionedDocument, schema: Path, naming: Callable[[JsonPath], str]
) -> Iterator[FieldProblem]:
    """List each place a parsed file breaks a JSON Schema, its field named by `naming`."""
    for problem in Draft202012Validator(load_schema(schema)).iter_errors(doc.data):
        at, reason = explain(problem)
        yield FieldProblem(naming(at), name, doc.line_of(at), reason)


def _translation_problems(
    name: str, doc: PositionedDocument, base: Mapping[str, Any] | None
) -> Iterator[FieldProblem]:
    """Check a translation file's schema, then (its flow being sound) what it names."""
    data = doc.data if isinstance(doc.data, Mapping) else {}
    language = str(data.get("language") or "?")

    def naming(at: JsonPath) -> str:
        """Name a translation's field as the merged flow's when the flow is known."""
        path = merged_path(base, language, at) if base else ("translations", language, *at)
        return field_name(path)

    if not _schema_sound(doc.data, TRANSLATION_SCHEMA):
        yield from _against(name, doc, TRANSLATION_SCHEMA, naming)
    elif base is not None:
        for problem in structure_problems(base, data):
            yield FieldProblem(
                naming(problem.path), name, doc.line_of(problem.path), problem.message
            )


def _language_problems(source: FlowSource, locales: Collection[str]) -> Iterator[FieldProblem]:
    """List what each offered language lacks: texts, placeholders, a locale for system texts."""
    for index, language in enumerate(source.data["languages"]):
        if language not in locales:
            yield _no_locale(source, ("languages", index), language, source.path.name)
        view = translation_view(source.data, language)
        for gap in translation_gaps(source.data, view):
            at = merged_path(source.data, language, gap.path)
            yield FieldProblem(field_name(at), source.path.name, source.doc.line_of(at), gap.reason)
    for translation in offered_translations(source):
        language, name = translation.language, translation.path.name
        if language not in locales:
            yield _no_locale(source, ("languages",), language, name)
        for gap in translation_gaps(source.data, translation.data):
            field = field_name(merged_path(source.data, language, gap.path))
            yield FieldProblem(field, name, translation.doc.line_of(gap.path), gap.reason)


def _no_locale(source: FlowSource, at: JsonPath, language: str, name: str) -> FieldProblem:
    """Report an offered language Parley has no system messages in (locales/)."""
    reason = f"language {language!r} has no locale file for its system messages"
    return FieldProblem(field_name(at), name, source.doc.line_of(at), reason)


def _merged_problems(source: FlowSource) -> Iterator[FieldProblem]:
    """Check the flow with its complete offered translations merged in (gaps are listed apart)."""
    offered = [
        translation
        for translation in offered_translations(source)
        if not translation_gaps(source.data, translation.data)
    ]
    merged, origins = merge_translations(source.data, [t.data for t in offered])
    locate = locator(source, offered, origins)
    for problem in flow_problems(merged):
        path, line = locate(problem.path)
        yield FieldProblem(field_name(problem.path), path.name, line, problem.message)


def merged_path(data: Mapping[str, Any], language: str, path: JsonPath) -> JsonPath:
    """Turn a path into a translation of `language` into the path of the merged flow's field."""
    if path[:1] == ("keywords",):
        return ("keywords", language, *path[1:])
    nodes = {node["id"]: (index, node) for index, node in enumerate(data["nodes"])}
    if len(path) < 2 or path[0] != "nodes" or path[1] not in nodes:
        return ("translations", language, *path)
    index, node = nodes[str(path[1])]
    rest = path[2:]
    if not rest:
        rest = ("text",) if "text" in node else ()
        return ("nodes", index, *rest, language) if rest else ("nodes", index)
    if rest[0] == "options" and len(rest) > 2:
        values = [option["value"] for option in node.get("options", ())]
        if rest[1] in values:
            at = ("options", values.index(rest[1]), rest[2], language, *rest[3:])
            return ("nodes", index, *at)
    return ("nodes", index, rest[0], language, *rest[1:])
