"""Check a parsed flow YAML mapping (docs/flows.md) and turn it into a Flow."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.engine.flowlinks import check_links
from bot.engine.model import AnswerValue, Flow, LocalText, Node, NodeKind, Option, Rule
from bot.engine.text import normalise
from bot.engine.validation import ALLOWED_PLACEHOLDERS, CHECKS, Doc, FlowProblem, shape_problems

__all__ = ["ALLOWED_PLACEHOLDERS", "FlowProblem", "flow_from_dict", "flow_problems"]

# NPS is by definition 0..10, whatever the YAML says.
_NPS_RANGE = (0, 10)
# `answered: false` means the same as `no_answer: true`, and the other way round.
_NEGATED = {"answered": "no_answer", "no_answer": "answered"}


def flow_problems(data: Mapping[str, Any]) -> list[FlowProblem]:
    """List every mistake in a parsed flow; an empty list means flow_from_dict will succeed."""
    if not isinstance(data, Mapping):
        return [FlowProblem((), "a flow must be a mapping")]
    problems = list(shape_problems(data))
    doc = _read(data)
    for check in (*CHECKS, check_links):
        problems.extend(check(doc))
    return problems


def _read(data: Mapping[str, Any]) -> Doc:
    """Collect the well-formed nodes and languages of a flow mapping for the checks."""
    raw_nodes = data.get("nodes")
    nodes = tuple(
        (index, node)
        for index, node in enumerate(raw_nodes if isinstance(raw_nodes, list) else ())
        if isinstance(node, Mapping)
    )
    languages = data.get("languages")
    languages = languages if isinstance(languages, list) else []
    return Doc(
        data=data,
        nodes=nodes,
        ids=frozenset(node["id"] for _, node in nodes if isinstance(node.get("id"), str)),
        languages=tuple(lang for lang in languages if isinstance(lang, str)),
    )


def flow_from_dict(data: Mapping[str, Any], version: str) -> Flow:
    """Build a Flow from a parsed flow mapping for which flow_problems reported nothing."""
    nodes = tuple(_node(raw) for raw in data["nodes"])
    languages = tuple(str(lang) for lang in data["languages"])
    return Flow(
        id=str(data["id"]),
        name=str(data.get("name") or data["id"]),
        version=version,
        base_language=str(data.get("base_language") or languages[0]),
        languages=languages,
        start=str(data.get("start") or nodes[0].id),
        nodes={node.id: node for node in nodes},
        keywords=_word_lists(data.get("keywords")),
    )


def _node(raw: Mapping[str, Any]) -> Node:
    """Build one Node from its YAML mapping, applying the documented defaults."""
    kind = NodeKind(raw["type"])
    low, high = _NPS_RANGE if kind is NodeKind.NPS else (1, 5)
    if kind is NodeKind.SCALE:
        low, high = raw.get("min", low), raw.get("max", high)
    next_ = raw.get("next")
    return Node(
        id=str(raw["id"]),
        kind=kind,
        text=_local(raw.get("text")),
        next=next_ if isinstance(next_, str) else None,
        rules=tuple(_rule(rule) for rule in next_) if isinstance(next_, list) else (),
        options=tuple(_option(opt) for opt in raw["options"]) if kind is NodeKind.CHOICE else (),
        min=int(low),
        max=int(high),
        min_label=_local(raw.get("min_label")),
        max_label=_local(raw.get("max_label")),
        retries=int(raw.get("retries", 2)),
        skip_words=_word_lists(raw.get("skip_words")),
        max_length=int(raw.get("max_length", 1000)),
    )


def _rule(raw: Mapping[str, Any]) -> Rule:
    """Build a Rule: `when: {lte: 2}, goto: x` gives Rule("lte", "x", 2); no `when` is always."""
    goto = str(raw["goto"])
    when = raw.get("when")
    if not when:
        return Rule(op="always", next=goto)
    ((op, value),) = when.items()
    if op in _NEGATED:
        return Rule(op=op if value else _NEGATED[op], next=goto)
    return Rule(op=str(op), next=goto, value=_value(value))


def _value(value: Any) -> AnswerValue | tuple[AnswerValue, ...]:
    """Freeze a rule's comparison value (lists become tuples)."""
    if isinstance(value, list):
        return tuple(value)
    return value  # type: ignore[no-any-return]


def _option(raw: Mapping[str, Any]) -> Option:
    """Build an Option, normalising its synonyms for matching (labels are shown as written)."""
    return Option(
        value=str(raw["value"]),
        label=_local(raw.get("label")),
        synonyms=_word_lists(raw.get("synonyms")),
    )


def _local(raw: Any) -> LocalText:
    """Read a {language: text} mapping as strings."""
    if not isinstance(raw, Mapping):
        return {}
    return {str(lang): str(text) for lang, text in raw.items() if text is not None}


def _word_lists(raw: Any) -> Mapping[str, tuple[str, ...]]:
    """Read {language: [words]} with every word normalised, dropping empty ones."""
    if not isinstance(raw, Mapping):
        return {}
    lists: dict[str, tuple[str, ...]] = {}
    for lang, words in raw.items():
        items = words if isinstance(words, list) else [words]
        lists[str(lang)] = tuple(w for w in (normalise(str(item)) for item in items) if w)
    return lists
