"""Edits to a flow's data as the question editor makes them: add, remove, move, update a node.

Pure functions on plain data (a flow file's mapping and its translations' mappings); each
returns new data and leaves its input alone. Nodes are linked by `next`, not by their place in
the list, so moving or adding keeps the list's reading order and its links in step: a node whose
fallback `next` went to the node listed after it (it "follows on") still goes to whatever is
listed after it once the list has changed. Ids never change: answers are stored under them.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

Data = dict[str, Any]
KINDS = ("yes_no", "scale", "nps", "choice", "text", "message", "end")
# What a new node of each type starts with besides its id, type and text.
_STARTERS: dict[str, Data] = {
    "yes_no": {"retries": 2},
    "scale": {"min": 1, "max": 5, "retries": 2},
    "nps": {"retries": 2},
    "choice": {"retries": 2, "options": []},
    "text": {"retries": 2, "max_length": 1600},
    "message": {},
    "end": {},
}


class EditError(ValueError):
    """An edit that cannot apply: no such node, or an unknown type."""


def nodes_of(base: Mapping[str, Any]) -> list[Data]:
    """Return the flow's nodes that are mappings (a broken draft may hold anything)."""
    nodes = base.get("nodes")
    return [node for node in nodes if isinstance(node, dict)] if isinstance(nodes, list) else []


def index_of(base: Mapping[str, Any], node_id: str) -> int:
    """Return the place of the node with this id in the flow's list; EditError if none."""
    for index, node in enumerate(nodes_of(base)):
        if node.get("id") == node_id:
            return index
    raise EditError(f"the draft has no question {node_id!r}")


def new_id(base: Mapping[str, Any]) -> str:
    """Return an id no node of the flow has: q1, q2, ..."""
    taken = {node.get("id") for node in nodes_of(base)}
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def add_node(base: Mapping[str, Any], kind: str) -> tuple[Data, str]:
    """Add a node of `kind` with empty text before the closing end nodes; return it and its id."""
    if kind not in KINDS:
        raise EditError(f"unknown question type {kind!r}")
    data = copy.deepcopy(dict(base))
    nodes = nodes_of(data)
    node_id = new_id(data)
    language = str(data.get("base_language", "en"))
    node: Data = {"id": node_id, "type": kind, "text": {language: ""}, **_STARTERS[kind]}
    at = len(nodes)
    while at > 0 and nodes[at - 1].get("type") == "end":
        at -= 1
    following = _follow_ons(nodes) | {node_id}
    nodes.insert(at, copy.deepcopy(node))
    data["nodes"] = _relinked(nodes, following)
    return data, node_id


def remove_node(
    base: Mapping[str, Any], translations: Sequence[Mapping[str, Any]], node_id: str
) -> tuple[Data, list[Data]]:
    """Remove a node; links to it go where it went, and translations drop its texts."""
    data = copy.deepcopy(dict(base))
    nodes = nodes_of(data)
    gone = nodes.pop(index_of(data, node_id))
    target = fallback(gone)
    if target is not None:
        for node in nodes:
            _retarget(node, node_id, target)
        if data.get("start") == node_id:
            data["start"] = target
    data["nodes"] = nodes
    kept = [copy.deepcopy(dict(t)) for t in translations]
    for translation in kept:
        texts = translation.get("nodes")
        if isinstance(texts, dict):
            texts.pop(node_id, None)
    return data, kept


def move_node(base: Mapping[str, Any], node_id: str, step: int) -> Data:
    """Move a node one place up (step -1) or down (+1) in the list, keeping follow-on links."""
    data = copy.deepcopy(dict(base))
    nodes = nodes_of(data)
    here = index_of(data, node_id)
    there = here + (1 if step > 0 else -1)
    if not 0 <= there < len(nodes):
        return data
    following = _follow_ons(nodes)
    first = nodes[0].get("id")
    nodes[here], nodes[there] = nodes[there], nodes[here]
    data["nodes"] = _relinked(nodes, following)
    if data.get("start") == first:
        # The flow began at the top of the list: it still does.
        data["start"] = nodes[0].get("id")
    return data


def update_node(base: Mapping[str, Any], node_id: str, node: Mapping[str, Any]) -> Data:
    """Replace a node's fields with `node`'s; its id stays."""
    data = copy.deepcopy(dict(base))
    nodes = nodes_of(data)
    nodes[index_of(data, node_id)] = {**copy.deepcopy(dict(node)), "id": node_id}
    data["nodes"] = nodes
    return data


def fallback(node: Mapping[str, Any]) -> str | None:
    """Return where a node goes when no rule matches: its `next` id or its last rule's goto."""
    next_ = node.get("next")
    if isinstance(next_, str):
        return next_
    if isinstance(next_, list) and next_ and isinstance(next_[-1], dict):
        last = next_[-1]
        return str(last["goto"]) if "when" not in last and "goto" in last else None
    return None


def _follow_ons(nodes: Sequence[Mapping[str, Any]]) -> set[str]:
    """Return the ids of the nodes whose fallback is the node listed right after them."""
    return {
        str(here.get("id"))
        for here, after in itertools.pairwise(nodes)
        if fallback(here) is not None and fallback(here) == after.get("id")
    }


def _relinked(nodes: list[Data], following: set[str]) -> list[Data]:
    """Point each follow-on node's fallback at the node now listed after it."""
    for here, after in itertools.pairwise(nodes):
        if here.get("id") in following:
            _set_fallback(here, str(after.get("id")))
    return nodes


def _set_fallback(node: Data, target: str) -> None:
    """Make a node go to `target` when no rule matches."""
    next_ = node.get("next")
    if isinstance(next_, list) and next_ and isinstance(next_[-1], dict):
        next_[-1]["goto"] = target
    else:
        node["next"] = target


def _retarget(node: Data, old: str, new: str) -> None:
    """Send every link of a node that went to `old` to `new` instead."""
    next_ = node.get("next")
    if next_ == old:
        node["next"] = new
    elif isinstance(next_, list):
        for rule in next_:
            if isinstance(rule, dict) and rule.get("goto") == old:
                rule["goto"] = new
