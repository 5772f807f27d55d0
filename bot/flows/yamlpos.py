"""Read YAML definition files keeping every node's line, and report problems as file:line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match
from yaml.nodes import Node, ScalarNode, SequenceNode

from bot.errors import DefinitionFileError

# Where a value sits in a document, as JSON Schema sees it: ("nodes", 3, "next").
JsonPath = tuple[str | int, ...]

_BOOL_TAG = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, as editors read them: `no`, `yes`, `on` stay words."""

    yaml_implicit_resolvers = {  # noqa: RUF012 - the table PyYAML reads, per class
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class PositionedDocument:
    """Plain data parsed from YAML, with the 1-based line of every key and value in it."""

    data: Any
    value_lines: Mapping[JsonPath, int]
    key_lines: Mapping[JsonPath, int]

    def line_of(self, path: Sequence[str | int]) -> int:
        """Return the line of the key naming `path` (or of its value), else of its parent's."""
        at = tuple(path)
        while at:
            line = self.key_lines.get(at) or self.value_lines.get(at)
            if line is not None:
                return line
            at = at[:-1]
        return self.value_lines.get((), 1)


class _Builder:
    """Turn a composed YAML node graph into plain data, noting where each piece came from."""

    def __init__(self, loader: _Loader, fail: Callable[[int, str], DefinitionFileError]) -> None:
        self.loader = loader
        self.fail = fail
        self.value_lines: dict[JsonPath, int] = {}
        self.key_lines: dict[JsonPath, int] = {}
        # Collections being built right now: an alias back into one of them would never end.
        self.open: set[int] = set()

    def build(self, node: Node, path: JsonPath) -> Any:
        """Build the value of `node`, found at `path`."""
        self.value_lines[path] = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            return self.loader.construct_object(node)
        if id(node) in self.open:
            raise self.fail(node.start_mark.line + 1, "an alias refers to itself")
        self.open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.open.discard(id(node))

    def mapping(self, node: Node, path: JsonPath) -> dict[str, Any]:
        """Build a mapping, refusing duplicate keys that YAML would silently overwrite."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key, line = self.key(key_node), key_node.start_mark.line + 1
            if key in result:
                raise self.fail(line, f"duplicate key {key!r}")
            self.key_lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result

    def key(self, node: Node) -> str:
        """Read a mapping key as written: JSON keys are strings, so `1:` is "1"."""
        if not isinstance(node, ScalarNode):
            raise self.fail(node.start_mark.line + 1, "a key must be a word, not a list or mapping")
        return str(node.value)


def parse_document(
    source: bytes, file: Path, error: type[DefinitionFileError]
) -> PositionedDocument:
    """Parse one YAML document with the line of every value; raise `error` on bad YAML."""
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source[: exc.start].count(b"\n") + 1
        raise error(file, line, "the file is not UTF-8 text") from exc
    loader = _Loader(text)
    builder = _Builder(loader, lambda line, reason: error(file, line, reason))
    try:
        root = loader.get_single_node()
        data = None if root is None else builder.build(root, ())
    except yaml.MarkedYAMLError as exc:
        raise error(file, *_syntax_problem(exc)) from exc
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise error(file, line, f"character {exc.character!r} is not allowed") from exc
    finally:
        loader.dispose()
    return PositionedDocument(data, builder.value_lines, builder.key_lines)


def _syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """Give the line and a readable reason for a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    reason = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
    # The scanner often notices a problem a line after its cause; say where that began.
    if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        reason += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return line, reason


@lru_cache(maxsize=8)
def load_schema(path: Path) -> Mapping[str, Any]:
    """Read a JSON Schema file once."""
    schema: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def check_schema(
    doc: PositionedDocument,
    schema: Mapping[str, Any],
    file: Path,
    error: type[DefinitionFileError],
) -> None:
    """Raise `error` for the first place, in file order, where the document breaks the schema."""
    found = []
    for problem in Draft202012Validator(schema).iter_errors(doc.data):
        at, reason = explain(problem)
        # Order by where the offending value sits; on one spot an unknown (mistyped) key
        # explains a missing one better than the other way round.
        where = doc.line_of(tuple(problem.absolute_path))
        found.append((where, _PRIORITY.get(str(problem.validator), 1), doc.line_of(at), reason))
    if found:
        _, _, line, reason = min(found)
        raise error(file, line, reason)


_Handler = Callable[[ValidationError, JsonPath], tuple[JsonPath, str]]


def explain(problem: ValidationError) -> tuple[JsonPath, str]:
    """Turn a schema error into the path to point at and a sentence a flow author understands."""
    if problem.validator in ("oneOf", "anyOf") and problem.context:
        return explain(best_match(problem.context))
    handler = _HANDLERS.get(str(problem.validator))
    path: JsonPath = tuple(problem.absolute_path)
    return handler(problem, path) if handler else (path, problem.message)


def _subject(path: JsonPath) -> str:
    """Name the value at `path` for a message: 'retries', item 2 of 'nodes', the file."""
    if not path:
        return "the file"
    if isinstance(path[-1], int):
        return f"item {path[-1] + 1} of {_subject(path[:-1])}"
    return repr(path[-1])


def _parts(problem: ValidationError) -> tuple[Any, Any, Mapping[str, Any]]:
    """Return the keyword's value, the offending instance and the schema object around them."""
    schema = problem.schema if isinstance(problem.schema, Mapping) else {}
    return problem.validator_value, problem.instance, schema


def _required(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    wanted, instance, _ = _parts(problem)
    missing = [key for key in wanted if key not in instance]
    return path, f"missing required field {missing[0]!r}"


def _additional(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    _, instance, schema = _parts(problem)
    known, patterns = schema.get("properties", {}), schema.get("patternProperties", {})
    extras = [k for k in instance if k not in known and not any(re.search(p, k) for p in patterns)]
    if not extras:
        return path, problem.message
    title = schema.get("title")
    where = f" for {'an' if title[0] in 'aeiou' else 'a'} {title}" if title else ""
    return (*path, extras[0]), f"unknown field {extras[0]!r}{where}"


def _pattern(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    pattern, instance, schema = _parts(problem)
    wants = schema.get("patternErrorMessage") or f"must match {pattern}"
    if "propertyNames" in problem.relative_schema_path:
        # A bad key: jsonschema reports it at its mapping, the line is the key's own.
        return (*path, instance), f"{instance!r} {wants}"
    shown = instance if len(instance) <= 40 else instance[:37] + "..."
    return path, f"{_subject(path)} {wants}, not {shown!r}"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


def _type(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    wanted, _, schema = _parts(problem)
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    # errorMessage (as VS Code's JSON support reads it) says what is wanted in authors' terms.
    wants = schema.get("errorMessage") or "must be " + " or ".join(_TYPE_WORDS[n] for n in names)
    return path, f"{_subject(path)} {wants}"


def _bound(template: str, when_one: str = "") -> _Handler:
    """Make a handler filling `template` with the subject and the keyword's value."""

    def handler(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
        value, _, _ = _parts(problem)
        # "must not be empty" reads better than "needs at least 1 items".
        chosen = when_one if when_one and value == 1 else template
        return path, chosen.format(subject=_subject(path), n=json.dumps(value))

    return handler


def _enum(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    allowed, instance, _ = _parts(problem)
    return path, f"{_subject(path)} must be one of {', '.join(map(str, allowed))}, not {instance!r}"


def _max_properties(problem: ValidationError, path: JsonPath) -> tuple[JsonPath, str]:
    limit, _, schema = _parts(problem)
    names = ", ".join(schema.get("properties", {}))
    if names and limit == 1:
        return path, f"{_subject(path)} must hold only one of {names}"
    return path, f"{_subject(path)} can hold at most {limit} entries"


_EMPTY = "{subject} must not be empty"
_HANDLERS: dict[str, _Handler] = {
    "required": _required,
    "additionalProperties": _additional,
    "pattern": _pattern,
    "type": _type,
    "enum": _enum,
    "const": _bound("{subject} must be {n}"),
    "minimum": _bound("{subject} must be at least {n}"),
    "maximum": _bound("{subject} must be at most {n}"),
    "minItems": _bound("{subject} needs at least {n} items", _EMPTY),
    "maxItems": _bound("{subject} can hold at most {n} items"),
    "minLength": _bound("{subject} needs at least {n} characters", _EMPTY),
    "maxLength": _bound("{subject} can be at most {n} characters long"),
    "minProperties": _bound("{subject} needs at least {n} entries", _EMPTY),
    "maxProperties": _max_properties,
    "uniqueItems": _bound("{subject} lists the same item twice"),
}
_PRIORITY = {"additionalProperties": 0, "required": 2}
