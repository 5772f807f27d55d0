"""Pure edits of a flow's data: add, remove, move and update nodes, links kept in step."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.services.flow_admin.editing import (
    EditError,
    add_node,
    fallback,
    move_node,
    new_id,
    remove_node,
    update_node,
)


def flow() -> dict[str, Any]:
    """Return a small flow: a message, two questions (one branching), an end."""
    return {
        "id": "tiny",
        "base_language": "en",
        "languages": ["en"],
        "start": "hello",
        "nodes": [
            {"id": "hello", "type": "message", "text": {"en": "Hi"}, "next": "rate"},
            {
                "id": "rate",
                "type": "scale",
                "min": 1,
                "max": 5,
                "text": {"en": "Rate"},
                "next": [{"when": {"lte": 2}, "goto": "bye"}, {"goto": "why"}],
            },
            {"id": "why", "type": "text", "text": {"en": "Why?"}, "next": "bye"},
            {"id": "bye", "type": "end", "text": {"en": "Bye"}},
        ],
    }


def ids(data: dict[str, Any]) -> list[str]:
    """Return the node ids in listed order."""
    return [node["id"] for node in data["nodes"]]


def links(data: dict[str, Any]) -> dict[str, str | None]:
    """Return where each node goes when no rule matches."""
    return {node["id"]: fallback(node) for node in data["nodes"]}


def test_a_new_question_goes_before_the_end_and_is_linked_in() -> None:
    before = flow()
    after, node_id = add_node(before, "yes_no")
    assert node_id == "q5" and before == flow()  # the input is left alone
    assert ids(after) == ["hello", "rate", "why", "q5", "bye"]
    assert links(after) == {"hello": "rate", "rate": "why", "why": "q5", "q5": "bye", "bye": None}
    assert after["nodes"][3] == {
        "id": "q5",
        "type": "yes_no",
        "text": {"en": ""},
        "retries": 2,
        "next": "bye",
    }
    with pytest.raises(EditError):
        add_node(before, "essay")


def test_new_ids_never_repeat_one_in_use() -> None:
    data = flow()
    data["nodes"][0]["id"] = "q5"
    assert new_id(data) == "q6"


def test_moving_keeps_follow_on_links_and_leaves_rules_alone() -> None:
    up = move_node(flow(), "why", -1)
    assert ids(up) == ["hello", "why", "rate", "bye"]
    # Each node went on to the one listed after it, and still does: the flow reads in the new
    # order. The rule of `rate` (a jump, not a follow-on) still goes where it went.
    assert links(up) == {"hello": "why", "why": "rate", "rate": "bye", "bye": None}
    assert up["nodes"][2]["next"][0] == {"when": {"lte": 2}, "goto": "bye"}
    assert move_node(flow(), "hello", -1) == flow()  # already first


def test_moving_the_first_node_moves_the_start() -> None:
    moved = move_node(flow(), "hello", 1)
    assert ids(moved)[0] == "rate" and moved["start"] == "rate"


def test_removing_sends_links_where_the_node_went_and_drops_its_translations() -> None:
    translation = {"flow": "tiny", "language": "vi", "nodes": {"why": {"text": "?"}, "bye": {}}}
    data, (kept,) = remove_node(flow(), [translation], "why")
    assert ids(data) == ["hello", "rate", "bye"]
    assert data["nodes"][1]["next"] == [{"when": {"lte": 2}, "goto": "bye"}, {"goto": "bye"}]
    assert kept["nodes"] == {"bye": {}} and "why" in translation["nodes"]
    started, _ = remove_node(flow(), [], "hello")
    assert started["start"] == "rate"
    with pytest.raises(EditError):
        remove_node(flow(), [], "nope")


def test_an_update_keeps_the_id() -> None:
    node = copy.deepcopy(flow()["nodes"][2])
    node.update(id="renamed", text={"en": "Tell us why"})
    data = update_node(flow(), "why", node)
    assert data["nodes"][2]["id"] == "why" and data["nodes"][2]["text"] == {"en": "Tell us why"}
