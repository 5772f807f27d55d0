"""Check how a flow's nodes link up: every `next`, and branching rules with their operators."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from bot.engine.model import SCORED_KINDS, NodeKind
from bot.engine.validation import (
    Doc,
    FlowProblem,
    ProblemPath,
    is_int,
    kind_of,
    names_node,
    options_of,
)

_FLAG_OPS = frozenset({"answered", "no_answer"})
_ORDER_OPS = frozenset({"lt", "lte", "gt", "gte"})
_VALUE_OPS = _ORDER_OPS | {"eq", "ne", "in"}

# What a rule may compare each kind of answer with.
_ANSWER_TYPES: Mapping[NodeKind, Callable[[Any], bool]] = {
    NodeKind.SCALE: is_int,
    NodeKind.NPS: is_int,
    NodeKind.YES_NO: lambda value: isinstance(value, bool),
    NodeKind.CHOICE: lambda value: isinstance(value, str),
    NodeKind.TEXT: lambda value: isinstance(value, str),
}


def check_links(doc: Doc) -> Iterator[FlowProblem]:
    """Check every node's `next`: present where needed, naming nodes, rules well ordered."""
    for index, node in doc.nodes:
        kind, next_, path = kind_of(node), node.get("next"), ("nodes", index, "next")
        if kind is NodeKind.END:
            if next_ is not None:
                yield FlowProblem(path, "an end node takes no next")
        elif next_ is None or next_ == []:
            yield FlowProblem(("nodes", index), f"node '{node.get('id')}' has no next")
        elif isinstance(next_, list):
            yield from _rule_problems(doc, node, next_, path)
        elif not names_node(doc, next_):
            yield FlowProblem(path, f"next '{next_}' names no node")


def _rule_problems(
    doc: Doc, node: Mapping[str, Any], rules: list[Any], path: ProblemPath
) -> Iterator[FlowProblem]:
    """Check a list of branching rules: targets, the final default, operators and values."""
    for position, rule in enumerate(rules):
        here, last = (*path, position), position == len(rules) - 1
        if not isinstance(rule, Mapping):
            yield FlowProblem(here, "a rule must be a mapping with 'goto'")
            continue
        if not names_node(doc, rule.get("goto")):
            yield FlowProblem((*here, "goto"), f"goto '{rule.get('goto')}' names no node")
        when = rule.get("when")
        if when is None and not last:
            yield FlowProblem(here, "only the last rule may leave out 'when'")
        elif when is not None and last:
            yield FlowProblem(here, "the last rule must have no 'when' (the default)")
        if when is not None:
            yield from _when_problems(node, when, (*here, "when"))


def _when_problems(node: Mapping[str, Any], when: Any, path: ProblemPath) -> Iterator[FlowProblem]:
    """Check that `when` holds one known operator with a value that fits the node's answer."""
    if not isinstance(when, Mapping) or len(when) != 1:
        yield FlowProblem(path, "'when' must hold exactly one operator")
        return
    ((op, value),) = when.items()
    message = _operator_problem(kind_of(node), node, str(op), value)
    if message:
        yield FlowProblem((*path, str(op)), message)


def _operator_problem(kind: NodeKind | None, node: Mapping[str, Any], op: str, value: Any) -> str:
    """Explain why `op value` cannot apply to this node's answers ("" when it can)."""
    if op in _FLAG_OPS:
        return "" if isinstance(value, bool) else f"'{op}' takes true or false"
    if op not in _VALUE_OPS:
        return f"unknown operator '{op}'"
    fits = _ANSWER_TYPES.get(kind) if kind else None
    if fits is None:
        return f"a {kind} node has no answer to compare"
    if op in _ORDER_OPS and kind not in SCORED_KINDS:
        return f"'{op}' needs a number question, not {kind}"
    if op == "in" and not isinstance(value, list):
        return "'in' takes a list of values"
    options = [option.get("value") for _, option in options_of(node)]
    for item in value if op == "in" else [value]:
        if not fits(item):
            return f"'{op}' cannot compare a {kind} answer with {item!r}"
        if kind is NodeKind.CHOICE and item not in options:
            return f"'{item}' is not an option value of this choice"
    return ""
