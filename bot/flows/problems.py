"""Every problem of a flow's files at once, each at a field path a form can show it beside.

Start-up stops at a flow file's first error (`flows/x.yaml:42: reason`); an admin editing a
draft wants them all, each next to its field: `nodes[2].text.es`. The checks are the same ones
(the JSON Schemas, bot.engine's flow checks, the translation rules of bot.flows.translations),
with each path turned from a translation file's shape into the merged flow's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
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
from bot.flows.translations import merge_translations, translation_gaps, translation_view
from bot.flows.yamlpos import JsonPath, explain, load_schema, parse_document


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
    """Parse every file and list each place it breaks its JSON Schema."""
    for name, text in sorted(files.items()):
        try:
            doc = parse_document(text.encode("utf-8"), Path(name), FlowFileError)
        except FlowFileError as exc:
            yield _whole(exc)
            continue
        translation = is_translation_file(Path(name))
        schema = load_schema(TRANSLATION_SCHEMA if translation else FLOW_SCHEMA)
        for problem in Draft202012Validator(schema).iter_errors(doc.data):
            at, reason = explain(problem)
            field = _translated_field(doc.data, at) if translation else field_name(at)
            yield FieldProblem(field, name, doc.line_of(at), reason)


def _translated_field(data: Any, path: JsonPath) -> str:
    """Name a translation file's field before its flow is known: translations.es.nodes.x."""
    language = data.get("language") if isinstance(data, Mapping) else None
    return field_name(("translations", str(language or "?"), *path))


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
    """Check the flow with its offered translations merged in."""
    offered = offered_translations(source)
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
