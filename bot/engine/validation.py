"""The checks behind flow_problems: mistakes in a parsed flow YAML the JSON schema cannot see.

Branching (`next` and rules) is checked in flowlinks; use both through flowdef.flow_problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bot.engine.model import NodeKind
from bot.engine.text import placeholders

ProblemPath = tuple[str | int, ...]
ALLOWED_PLACEHOLDERS = frozenset({"agency", "complaints", "help"})
_KINDS = {kind.value: kind for kind in NodeKind}
_LOCAL_FIELDS = ("text", "min_label", "max_label")


def is_name(value: Any) -> bool:
    """Say whether a YAML value can be an id or a language code (a non-empty string)."""
    return isinstance(value, str) and bool(value)


def is_int(value: Any) -> bool:
    """Say whether a YAML value is a whole number (YAML booleans are not numbers)."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class FlowProblem:
    """One mistake in a flow; `path` points into the parsed YAML (e.g. ("nodes", 3, "next"))."""

    path: ProblemPath
    message: str


@dataclass(frozen=True)
class Doc:
    """The parts of a flow every check needs, read defensively once (see flowdef)."""

    data: Mapping[str, Any]
    nodes: tuple[tuple[int, Mapping[str, Any]], ...]
    ids: frozenset[str]
    languages: tuple[str, ...]


def shape_problems(data: Mapping[str, Any]) -> Iterator[FlowProblem]:
    """Report the basic shape errors the schema should have caught, in case it did not run."""
    if not isinstance(data.get("id"), str):
        yield FlowProblem(("id",), "'id' must be a string")
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(map(is_name, languages)):
        yield FlowProblem(("languages",), "'languages' must list language codes like 'en'")
    nodes = data.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        yield FlowProblem(("nodes",), "'nodes' must be a non-empty list")
        return
    for index, node in enumerate(nodes):
        if not isinstance(node, Mapping):
            yield FlowProblem(("nodes", index), "a node must be a mapping")
        elif not is_name(node.get("id")):
            yield FlowProblem(("nodes", index, "id"), "a node needs an 'id'")
        elif kind_of(node) is None:
            yield FlowProblem(("nodes", index, "type"), f"unknown type {node.get('type')!r}")


def _check_top(doc: Doc) -> Iterator[FlowProblem]:
    """Require the base language among the languages, and `start` (if given) to name a node."""
    base, start = doc.data.get("base_language"), doc.data.get("start")
    if base is not None and base not in doc.languages:
        yield FlowProblem(("base_language",), f"base_language '{base}' is not in languages")
    if start is not None and not names_node(doc, start):
        yield FlowProblem(("start",), f"start '{start}' names no node")


def names_node(doc: Doc, value: Any) -> bool:
    """Say whether a YAML value is the id of a node (odd values, even unhashable, are not)."""
    return isinstance(value, str) and value in doc.ids


def _check_ids(doc: Doc) -> Iterator[FlowProblem]:
    """Report node ids used more than once."""
    seen: set[str] = set()
    for index, node in doc.nodes:
        node_id = node.get("id")
        if is_name(node_id) and node_id in seen:
            yield FlowProblem(("nodes", index, "id"), f"duplicate node id '{node_id}'")
        seen.add(str(node_id))


def kind_of(node: Mapping[str, Any]) -> NodeKind | None:
    """Return a node's kind, or None when its type is unknown."""
    kind = node.get("type")
    return _KINDS.get(kind) if isinstance(kind, str) else None


def options_of(node: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    """Return a node's well-formed options with their positions."""
    options = node.get("options")
    listed = options if isinstance(options, list) else []
    return [(position, opt) for position, opt in enumerate(listed) if isinstance(opt, Mapping)]


def _check_texts(doc: Doc) -> Iterator[FlowProblem]:
    """Check every localised text: all languages given, same and known placeholders."""
    for index, node in doc.nodes:
        kind = kind_of(node)
        if kind is not None and kind is not NodeKind.END and "text" not in node:
            yield FlowProblem(("nodes", index), f"node '{node.get('id')}' has no text")
        for name in _LOCAL_FIELDS:
            if name in node:
                yield from _local_problems(doc, node[name], ("nodes", index, name), name)
        for position, option in options_of(node):
            path = ("nodes", index, "options", position, "label")
            yield from _local_problems(doc, option.get("label"), path, "label")


def _local_problems(doc: Doc, texts: Any, path: ProblemPath, name: str) -> Iterator[FlowProblem]:
    """Check one {language: text} mapping."""
    if not isinstance(texts, Mapping):
        yield FlowProblem(path, f"{name} must map languages to texts")
        return
    for lang in doc.languages:
        if not isinstance(texts.get(lang), str):
            yield FlowProblem(path, f"{name} has no '{lang}'")
    used = {lang: placeholders(text) for lang, text in texts.items() if isinstance(text, str)}
    for lang, names in used.items():
        for unknown in sorted(names - ALLOWED_PLACEHOLDERS):
            yield FlowProblem((*path, lang), f"unknown placeholder {{{unknown}}}")
    if len(set(used.values())) > 1:
        listing = "; ".join(f"{lang}: {sorted(names)}" for lang, names in used.items())
        yield FlowProblem(path, f"placeholders differ between languages ({listing})")


def _check_word_lists(doc: Doc) -> Iterator[FlowProblem]:
    """Require keywords, skip_words and synonyms to map languages to lists of words."""
    lists: list[tuple[ProblemPath, Any]] = [(("keywords",), doc.data.get("keywords"))]
    for index, node in doc.nodes:
        lists.append((("nodes", index, "skip_words"), node.get("skip_words")))
        for position, option in options_of(node):
            lists.append(
                (("nodes", index, "options", position, "synonyms"), option.get("synonyms"))
            )
    for path, words in lists:
        if words is None:
            continue
        rows = words.values() if isinstance(words, Mapping) else [None]
        if not all(isinstance(row, list) and all(isinstance(w, str) for w in row) for row in rows):
            yield FlowProblem(path, f"'{path[-1]}' must map languages to lists of words")


def _check_questions(doc: Doc) -> Iterator[FlowProblem]:
    """Check choice options, scale bounds, retries and max_length."""
    for index, node in doc.nodes:
        kind, path = kind_of(node), ("nodes", index)
        if kind is NodeKind.CHOICE:
            yield from _option_problems(node, path)
        lo, hi = node.get("min", 1), node.get("max", 5)
        if kind is NodeKind.SCALE and not (is_int(lo) and is_int(hi) and lo < hi):
            yield FlowProblem((*path, "min"), f"min {lo!r} must be a number below max {hi!r}")
        for key, least in (("retries", 0), ("max_length", 1)):
            if key in node and not (is_int(node[key]) and node[key] >= least):
                yield FlowProblem((*path, key), f"{key} must be a whole number, at least {least}")


def _option_problems(node: Mapping[str, Any], path: ProblemPath) -> Iterator[FlowProblem]:
    """Require a choice to have options with distinct string values."""
    options = node.get("options")
    if not isinstance(options, list) or not options:
        yield FlowProblem((*path, "options"), "a choice needs options")
        return
    seen: set[str] = set()
    for position, option in enumerate(options):
        value = option.get("value") if isinstance(option, Mapping) else None
        here = (*path, "options", position, "value")
        if not isinstance(value, str) or not value:
            yield FlowProblem(here, "an option needs a string value")
        elif value in seen:
            yield FlowProblem(here, f"duplicate option value '{value}'")
        else:
            seen.add(value)


def _targets(node: Mapping[str, Any]) -> list[str]:
    """List the node ids a node can move on to."""
    next_ = node.get("next")
    if isinstance(next_, list):
        return [str(rule.get("goto")) for rule in next_ if isinstance(rule, Mapping)]
    return [next_] if isinstance(next_, str) else []


def _check_graph(doc: Doc) -> Iterator[FlowProblem]:
    """Report nodes no path reaches, and flows in which no end node can be reached."""
    if not doc.nodes:
        return
    by_id = {node["id"]: node for _, node in doc.nodes if is_name(node.get("id"))}
    start = doc.data.get("start", doc.nodes[0][1].get("id"))
    reached: set[str] = set()
    todo = [start] if names_node(doc, start) else []
    while todo:
        node_id = todo.pop()
        if node_id not in reached and node_id in by_id:
            reached.add(node_id)
            todo.extend(_targets(by_id[node_id]))
    if not reached:
        return
    for index, node in doc.nodes:
        if is_name(node.get("id")) and node["id"] not in reached:
            yield FlowProblem(("nodes", index), f"node '{node.get('id')}' is unreachable")
    if not any(kind_of(by_id[node_id]) is NodeKind.END for node_id in reached):
        yield FlowProblem(("nodes",), "no end node is reachable from the start")


# Every check but the links (flowlinks builds on the helpers above).
CHECKS: tuple[Callable[[Doc], Iterator[FlowProblem]], ...] = (
    _check_top,
    _check_ids,
    _check_texts,
    _check_word_lists,
    _check_questions,
    _check_graph,
)
