"""Tests for branching at run time: each rule operator of bot.engine.conversation.step()."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine.conversation import begin, step
from bot.engine.model import ConversationState
from bot.engine.render import texts_of
from tests.unit.engine_fixtures import NOW, context, flow_of, make_flow, run, survey_dict

FLOW = make_flow()
CTX = context()


@pytest.mark.parametrize(
    ("answer", "branch"),
    [("1", "why_low"), ("2", "why_low"), ("3", "reason"), ("5", "reason"), ("skip", "reason")],
)
def test_scale_branches_on_lte(answer: str, branch: str) -> None:
    state = begin(FLOW, "en", CTX).state
    assert step(FLOW, state, answer, NOW, CTX).state.node_id == branch


# (when, answer, branch taken: "hit" when the rule matched, "miss" for the default)
OPERATORS: list[tuple[dict[str, Any], str, str]] = [
    ({"eq": 3}, "3", "hit"), ({"eq": 3}, "4", "miss"), ({"eq": 3}, "skip", "miss"),
    ({"ne": 3}, "4", "hit"), ({"ne": 3}, "3", "miss"), ({"ne": 3}, "skip", "miss"),
    ({"in": [1, 2]}, "2", "hit"), ({"in": [1, 2]}, "3", "miss"),
    ({"lt": 3}, "2", "hit"), ({"lt": 3}, "3", "miss"),
    ({"lte": 3}, "3", "hit"), ({"lte": 3}, "4", "miss"), ({"lte": 3}, "skip", "miss"),
    ({"gt": 3}, "4", "hit"), ({"gt": 3}, "3", "miss"),
    ({"gte": 3}, "3", "hit"), ({"gte": 3}, "2", "miss"),
    ({"answered": True}, "1", "hit"), ({"answered": True}, "skip", "miss"),
    ({"no_answer": True}, "skip", "hit"), ({"no_answer": True}, "1", "miss"),
    ({"answered": False}, "skip", "hit"),
]  # fmt: skip


@pytest.mark.parametrize(("when", "answer", "branch"), OPERATORS)
def test_rule_operators(when: dict[str, Any], answer: str, branch: str) -> None:
    flow = flow_of(
        {"id": "q", "type": "scale", "next": [{"when": when, "goto": "hit"}, {"goto": "miss"}]},
        {"id": "hit", "type": "end"},
        {"id": "miss", "type": "end"},
    )
    results, _ = run(flow, "en", [answer])
    assert texts_of(results[-1].prompts) == (f"{branch} (en)",)


@pytest.mark.parametrize(("answer", "branch"), [("yes", "miss"), ("no", "hit"), ("1", "miss")])
def test_yes_no_eq_compares_booleans_strictly(answer: str, branch: str) -> None:
    flow = flow_of(
        {"id": "q", "type": "yes_no", "next": [{"when": {"eq": False}, "goto": "hit"},
                                               {"goto": "miss"}]},
        {"id": "hit", "type": "end"}, {"id": "miss", "type": "end"},
    )  # fmt: skip
    assert texts_of(run(flow, "en", [answer])[0][-1].prompts) == (f"{branch} (en)",)


def test_choice_in_rule() -> None:
    data = survey_dict()
    data["nodes"][3]["next"] = [{"when": {"in": ["traffic", "noise"]}, "goto": "concern"},
                                {"goto": "again"}]  # fmt: skip
    flow = make_flow(data)
    state = ConversationState("reason", "en")
    assert step(flow, state, "noise", NOW, CTX).state.node_id == "recommend"  # via concern
    assert step(flow, state, "other", NOW, CTX).state.node_id == "again"
