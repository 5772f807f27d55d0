"""Tests for bot.engine.flowlinks through flow_problems: rule operators must fit the answers."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.flowdef import FlowProblem, flow_from_dict, flow_problems
from bot.engine.model import Rule
from tests.unit.engine_fixtures import survey_dict


def node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    """Find a node mapping by id."""
    return next(n for n in data["nodes"] if n["id"] == node_id)


def index(data: dict[str, Any], node_id: str) -> int:
    """Find a node's position by id."""
    return next(i for i, n in enumerate(data["nodes"]) if n["id"] == node_id)


def with_rule(node_id: str, when: dict[str, Any]) -> dict[str, Any]:
    """Return the survey with a node's first branch (or its next) guarded by `when`."""
    data = survey_dict()
    target = node(data, node_id)
    nexts = target["next"] if isinstance(target["next"], list) else [{"goto": target["next"]}]
    target["next"] = [{"when": when, "goto": nexts[0]["goto"]}, {"goto": nexts[-1]["goto"]}]
    return data


# Rules on `again` (yes_no), `respect` (scale) and `reason` (choice) that compare wrongly.
OPERATORS: list[tuple[str, str, dict[str, Any], str]] = [
    ("lt on a choice", "reason", {"lt": 2}, "'lt' needs a number question, not choice"),
    ("eq on a choice with a non-option", "reason", {"eq": "bike"},
     "'bike' is not an option value of this choice"),
    ("in on a choice with a non-option", "reason", {"in": ["traffic", "bike"]},
     "'bike' is not an option value of this choice"),
    ("eq on a choice with a number", "reason", {"eq": 1},
     "'eq' cannot compare a choice answer with 1"),
    ("eq on a scale with a word", "respect", {"eq": "high"},
     "'eq' cannot compare a scale answer with 'high'"),
    ("gte on a scale with a boolean", "respect", {"gte": True},
     "'gte' cannot compare a scale answer with True"),
    ("in on a scale without a list", "respect", {"in": 3}, "'in' takes a list of values"),
    ("eq on yes_no with a number", "again", {"eq": 1},
     "'eq' cannot compare a yes_no answer with 1"),
    ("gt on yes_no", "again", {"gt": False}, "'gt' needs a number question, not yes_no"),
    ("lte on text", "comment", {"lte": 3}, "'lte' needs a number question, not text"),
    ("unknown operator", "respect", {"between": [1, 2]}, "unknown operator 'between'"),
    ("answered with a number", "respect", {"answered": 1}, "'answered' takes true or false"),
    ("compare on a message", "intro", {"eq": "x"}, "a message node has no answer to compare"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("node_id", "when", "message"),
    [row[1:] for row in OPERATORS],
    ids=[row[0] for row in OPERATORS],
)
def test_operators_must_fit_the_answer(node_id: str, when: dict[str, Any], message: str) -> None:
    data = with_rule(node_id, when)
    op = next(iter(when))
    path = ("nodes", index(data, node_id), "next", 0, "when", op)
    assert FlowProblem(path, message) in flow_problems(data)


@pytest.mark.parametrize(
    ("node_id", "when"),
    [
        ("reason", {"eq": "traffic"}),
        ("reason", {"ne": "other"}),
        ("reason", {"in": ["traffic", "noise"]}),
        ("respect", {"gte": 4}),
        ("recommend", {"in": [9, 10]}),
        ("again", {"eq": True}),
        ("comment", {"eq": "ok"}),
        ("comment", {"no_answer": True}),
        ("intro", {"answered": False}),
    ],
)
def test_fitting_operators_pass(node_id: str, when: dict[str, Any]) -> None:
    data = with_rule(node_id, when)
    assert flow_problems(data) == []


def test_when_needs_exactly_one_operator() -> None:
    data = survey_dict()
    node(data, "respect")["next"][0]["when"] = {"lte": 2, "gte": 1}
    path = ("nodes", 1, "next", 0, "when")
    assert FlowProblem(path, "'when' must hold exactly one operator") in flow_problems(data)


@pytest.mark.parametrize(
    ("when", "rule"),
    [
        ({"in": [1, 2]}, Rule("in", "why_low", (1, 2))),
        ({"answered": True}, Rule("answered", "why_low")),
        ({"answered": False}, Rule("no_answer", "why_low")),
        ({"no_answer": False}, Rule("answered", "why_low")),
        ({"ne": 3}, Rule("ne", "why_low", 3)),
    ],
)
def test_flow_from_dict_rule_forms(when: dict[str, Any], rule: Rule) -> None:
    data = survey_dict()
    node(data, "respect")["next"][0]["when"] = when
    assert flow_from_dict(data, version="v1").nodes["respect"].rules[0] == rule
