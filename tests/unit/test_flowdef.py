"""Tests for bot.engine.flowdef: every flow problem, defensive checking, and building a Flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.engine.flowdef import FlowProblem, flow_from_dict, flow_problems
from bot.engine.model import NodeKind, Rule
from tests.unit.engine_fixtures import survey_dict

Edit = Callable[[dict[str, Any]], None]


def node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    """Find a node mapping by id."""
    return next(n for n in data["nodes"] if n["id"] == node_id)


def problems_after(edit: Edit) -> list[FlowProblem]:
    """Apply an edit to a fresh copy of the valid survey and check it."""
    data = survey_dict()
    edit(data)
    return flow_problems(data)


def test_the_survey_has_no_problems() -> None:
    assert flow_problems(survey_dict()) == []


def _set(node_id: str, key: str, value: Any) -> Edit:
    """Make an edit that sets one key of one node."""
    return lambda data: node(data, node_id).__setitem__(key, value)


def _drop(node_id: str, key: str) -> Edit:
    """Make an edit that removes one key of one node."""
    return lambda data: node(data, node_id).pop(key)


def _rules(node_id: str, *rules: dict[str, Any]) -> Edit:
    """Make an edit that replaces a node's next with rules."""
    return _set(node_id, "next", list(rules))


# (edit, expected path, expected message), one row per kind of problem.
PROBLEMS: list[tuple[str, Edit, tuple[str | int, ...], str]] = [
    ("next names no node", _set("why_low", "next", "q9"), ("nodes", 2, "next"),
     "next 'q9' names no node"),
    ("goto names no node", _rules("respect", {"when": {"lte": 2}, "goto": "q9"},
                                  {"goto": "reason"}),
     ("nodes", 1, "next", 0, "goto"), "goto 'q9' names no node"),
    ("start names no node", lambda d: d.__setitem__("start", "q9"), ("start",),
     "start 'q9' names no node"),
    ("duplicate id", _set("concern", "id", "comment"), ("nodes", 7, "id"),
     "duplicate node id 'comment'"),
    ("waiting node without next", _drop("comment", "next"), ("nodes", 7),
     "node 'comment' has no next"),
    ("message node without next", _drop("intro", "next"), ("nodes", 0),
     "node 'intro' has no next"),
    ("end node with next", _set("bye", "next", "intro"), ("nodes", 8, "next"),
     "an end node takes no next"),
    ("last rule has when", _rules("respect", {"when": {"lte": 2}, "goto": "why_low"},
                                  {"when": {"gt": 2}, "goto": "reason"}),
     ("nodes", 1, "next", 1), "the last rule must have no 'when' (the default)"),
    ("default before the end", _rules("respect", {"goto": "reason"},
                                      {"goto": "why_low"}),
     ("nodes", 1, "next", 0), "only the last rule may leave out 'when'"),
    ("text misses a language", lambda d: node(d, "comment")["text"].pop("es"),
     ("nodes", 7, "text"), "text has no 'es'"),
    ("label misses a language", lambda d: node(d, "reason")["options"][1]["label"].pop("en"),
     ("nodes", 3, "options", 1, "label"), "label has no 'en'"),
    ("min_label misses a language", lambda d: node(d, "respect")["min_label"].pop("es"),
     ("nodes", 1, "min_label"), "min_label has no 'es'"),
    ("base language not offered", lambda d: d.__setitem__("base_language", "fr"),
     ("base_language",), "base_language 'fr' is not in languages"),
    ("placeholders differ", _set("comment", "text", {"en": "{agency}?", "es": "¿Algo?"}),
     ("nodes", 7, "text"), "placeholders differ between languages (en: ['agency']; es: [])"),
    ("unknown placeholder", _set("comment", "text", {"en": "{name}?", "es": "{name}?"}),
     ("nodes", 7, "text", "en"), "unknown placeholder {name}"),
    ("duplicate option value", lambda d: node(d, "reason")["options"][3].update(value="noise"),
     ("nodes", 3, "options", 3, "value"), "duplicate option value 'noise'"),
    ("choice without options", _set("reason", "options", []), ("nodes", 3, "options"),
     "a choice needs options"),
    ("scale min equals max", _set("respect", "max", 1), ("nodes", 1, "min"),
     "min 1 must be a number below max 1"),
    ("scale min above max", _set("respect", "min", 7), ("nodes", 1, "min"),
     "min 7 must be a number below max 5"),
    ("negative retries", _set("respect", "retries", -1), ("nodes", 1, "retries"),
     "retries must be a whole number, at least 0"),
    ("zero max_length", _set("comment", "max_length", 0), ("nodes", 7, "max_length"),
     "max_length must be a whole number, at least 1"),
    ("unknown type", _set("comment", "type", "essay"), ("nodes", 7, "type"),
     "unknown type 'essay'"),
    ("no text", _drop("comment", "text"), ("nodes", 7), "node 'comment' has no text"),
    ("unreachable node", lambda d: d["nodes"].insert(8, {
        "id": "orphan", "type": "message", "text": {"en": "x", "es": "x"}, "next": "bye"}),
     ("nodes", 8), "node 'orphan' is unreachable"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [row[1:] for row in PROBLEMS],
    ids=[row[0] for row in PROBLEMS],
)
def test_each_problem_is_reported(edit: Edit, path: tuple[str | int, ...], message: str) -> None:
    assert FlowProblem(path, message) in problems_after(edit)


def test_no_reachable_end_is_reported() -> None:
    data = survey_dict()
    node(data, "comment")["next"] = "intro"  # loops back; bye is now unreachable
    problems = flow_problems(data)
    assert FlowProblem(("nodes",), "no end node is reachable from the start") in problems
    assert FlowProblem(("nodes", 8), "node 'bye' is unreachable") in problems


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "flow",
        {},
        {"nodes": "x"},
        {"nodes": []},
        {"nodes": [1, None, "x"]},
        {"id": 3, "languages": "en", "nodes": [{"id": ["a"], "type": {"x": 1}}]},
        {"languages": ["en", 5], "nodes": [{"id": "a", "type": "end", "text": "hi"}]},
        {"start": ["a"], "nodes": [{"id": "a", "type": "message", "next": {"x": 1}}]},
        {"nodes": [{"id": "a", "type": "scale", "next": [1, {"goto": ["b"], "when": [1]}]}]},
        {"nodes": [{"id": "a", "type": "choice", "options": 5, "next": "a", "text": {}}]},
        {"nodes": [{"id": "a", "type": "choice", "options": [1, {"value": []}], "next": "a"}]},
        {"languages": ["en"], "nodes": [{"id": "a", "type": "text", "text": {"en": 5}}]},
        {"nodes": [{"id": "a", "type": "scale", "min": "1", "max": None, "retries": "x"}]},
        {"nodes": [{"id": "a", "type": "choice", "next": [{"when": {"in": [[1]]}}]}]},
    ],
)
def test_odd_input_is_reported_not_raised(data: Any) -> None:
    problems = flow_problems(data)
    assert problems
    assert all(isinstance(problem, FlowProblem) and problem.message for problem in problems)


def test_flow_from_dict_builds_the_survey() -> None:
    data = survey_dict()
    data.pop("start")
    flow = flow_from_dict(data, version="v1")
    assert (flow.id, flow.version, flow.base_language) == ("post_contact", "v1", "en")
    assert flow.languages == ("en", "es")
    assert flow.start == "intro"  # defaults to the first node
    assert list(flow.nodes) == [n["id"] for n in data["nodes"]]
    assert flow.keywords == {"en": ("survey",), "es": ("encuesta",)}


def test_flow_from_dict_converts_rules() -> None:
    respect = flow_from_dict(survey_dict(), version="v1").nodes["respect"]
    assert respect.next is None
    assert respect.rules == (Rule(op="lte", next="why_low", value=2), Rule("always", "reason"))


def test_flow_from_dict_node_fields() -> None:
    data = survey_dict()
    node(data, "recommend").update(min=3, max=4)  # ignored: NPS is always 0..10
    flow = flow_from_dict(data, version="v1")
    recommend, respect, why_low = (flow.nodes[i] for i in ("recommend", "respect", "why_low"))
    assert recommend.kind is NodeKind.NPS and (recommend.min, recommend.max) == (0, 10)
    assert (respect.min, respect.max, respect.retries) == (1, 5, 2)
    assert respect.min_label == {"en": "not at all", "es": "nada"}
    assert why_low.max_length == 40 and flow.nodes["comment"].max_length == 1000
    assert why_low.skip_words == {"en": ("nothing",), "es": ("nada",)}
    assert flow.nodes["again"].retries == 1
    traffic = flow.nodes["reason"].options[0]
    assert traffic.value == "traffic"
    assert traffic.label == {"en": "Traffic", "es": "Tráfico"}  # shown as written
    assert traffic.synonyms == {"en": ("car", "driving"), "es": ("coche", "carro")}


def test_flow_from_dict_normalises_synonyms_and_skip_words() -> None:
    data = survey_dict()
    node(data, "reason")["options"][0]["synonyms"] = {"es": ["Camión", " AUTO! "]}
    node(data, "why_low")["skip_words"] = {"es": ["Nada."]}
    flow = flow_from_dict(data, version="v1")
    assert flow.nodes["reason"].options[0].synonyms == {"es": ("camion", "auto")}
    assert flow.nodes["why_low"].skip_words == {"es": ("nada",)}


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """List the path of every value inside a parsed YAML structure."""
    children: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    found = [path] if path else []
    for key, child in children:
        found.extend(_paths(child, (*path, key)))
    return found


def _replaced(path: tuple[Any, ...], junk: Any) -> dict[str, Any]:
    """Return the survey with the value at `path` replaced by `junk`."""
    data = survey_dict()
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = junk
    return data


JUNK = [None, 0, -1, True, "", "x", [], {}, [None], {"x": None}]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_any_odd_value_anywhere_is_checked_without_raising(junk: Any) -> None:
    # Whatever one value becomes, checking never raises, and a flow that passes the checks
    # always builds: that is the contract the flow loader relies on.
    for path in _paths(survey_dict()):
        data = _replaced(path, junk)
        if not flow_problems(data):
            flow_from_dict(data, version="v1")


OPTIONAL_KEYS = ["min", "max", "retries", "max_length", "skip_words", "options", "min_label"]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_odd_optional_fields_are_checked_without_raising(junk: Any) -> None:
    for position in range(len(SURVEY_NODES)):
        for key in OPTIONAL_KEYS:
            data = _replaced(("nodes", position, key), junk)
            if not flow_problems(data):
                flow_from_dict(data, version="v1")


SURVEY_NODES = survey_dict()["nodes"]


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d.__setitem__("keywords", {"en": "SURVEY"}), ("keywords",)),
        (_set("why_low", "skip_words", ["nothing"]), ("nodes", 2, "skip_words")),
        (lambda d: node(d, "reason")["options"][0].__setitem__("synonyms", {"en": [1]}),
         ("nodes", 3, "options", 0, "synonyms")),
    ],
)  # fmt: skip
def test_word_lists_must_map_languages_to_words(edit: Edit, path: tuple[str | int, ...]) -> None:
    message = f"'{path[-1]}' must map languages to lists of words"
    assert FlowProblem(path, message) in problems_after(edit)
