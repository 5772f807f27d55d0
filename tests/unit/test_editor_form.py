"""The question form read into a node, and a draft's problems sorted beside its fields."""

from __future__ import annotations

from bot.flows.problems import FieldProblem
from bot.web.admin.editor_form import node_of_values, values_of_form, values_of_node
from bot.web.admin.editor_problems import node_problems

NODE = {
    "id": "listened",
    "type": "yes_no",
    "text": {"en": "Listened?", "es": "¿Escuchó?"},
    "next": [{"when": {"eq": False}, "goto": "why"}, {"goto": "bye"}],
}


def test_a_node_shown_and_posted_back_unchanged_is_the_same_node() -> None:
    values = values_of_node(NODE, "en")
    assert values.rules == [{"op": "eq", "value": "no", "goto": "why"}]
    assert values.otherwise == "bye"
    form = {"text": values.text, "rules-0-op": "eq", "rules-0-value": "no"}
    form |= {"rules-0-goto": "why", "rules-1-op": "in", "rules-1-goto": "", "otherwise": "bye"}
    node, errors = node_of_values(NODE, values_of_form(form), "en")
    assert (node, errors) == (NODE, {})


def test_unreadable_rules_and_numbers_are_field_errors() -> None:
    form = {"text": "x", "retries": "2.5", "rules-0-op": "lte", "rules-0-value": "low"}
    form |= {"rules-0-goto": "why", "otherwise": "bye"}
    _, errors = node_of_values(NODE, values_of_form(form), "en")
    assert errors == {
        "retries": "must be a whole number",
        "rules-0-value": "give a whole number, or values split by commas",
    }


def test_problems_go_to_their_field_or_to_other_languages() -> None:
    problems = [
        FieldProblem("nodes[1].text.en", "f.yaml", 3, "should be non-empty"),
        FieldProblem("nodes[1].text.vi", "f.vi.yaml", 4, "text is not translated"),
        FieldProblem("nodes[1].options[0].label", "f.yaml", 5, "label has no 'es'"),
        FieldProblem("nodes[1].next[0].goto", "f.yaml", 6, "names no node"),
        FieldProblem("nodes[1]", "f.yaml", 2, "node 'x' has no next"),
        FieldProblem("nodes[12].text.en", "f.yaml", 9, "another node's"),
    ]
    found = node_problems(problems, 1, "en")
    assert found.fields == {
        "text": ["should be non-empty"],
        "options-0-label": ["label has no 'es'"],
        "next": ["names no node"],
    }
    assert found.question == ["node 'x' has no next"]
    assert found.elsewhere == ["nodes[1].text.vi: text is not translated"]
    assert found.count == 5
