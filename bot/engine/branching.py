"""Choose a flow's branch: the rules that send an answer down one path or another."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

from bot.engine.model import AnswerValue, Node, Rule

RuleValue = AnswerValue | tuple[AnswerValue, ...]
Test = Callable[[AnswerValue, RuleValue], bool]


def next_id(node: Node, value: AnswerValue) -> str | None:
    """Pick where to go after a node: the first rule the answer satisfies, else `next`."""
    for rule in node.rules:
        if satisfies(rule, value):
            return rule.next
    return node.next


def _same(value: AnswerValue, target: AnswerValue) -> bool:
    """Compare strictly: True is not 1 and 1 is not True."""
    return isinstance(value, bool) == isinstance(target, bool) and value == target


def _is_number(value: object) -> bool:
    """Say whether a value is a whole number and not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def _ordered(test: Callable[[int, int], bool]) -> Test:
    """Make a numeric comparison that is false unless both sides are numbers."""

    def check(value: AnswerValue, target: RuleValue) -> bool:
        if isinstance(value, int) and isinstance(target, int) and _is_number(value):
            return _is_number(target) and test(value, target)
        return False

    return check


# Comparisons against a value are false for an unanswered question: use no_answer for that.
_TESTS: Mapping[str, Test] = {
    "eq": lambda value, target: (
        value is not None and not isinstance(target, tuple) and _same(value, target)
    ),
    "ne": lambda value, target: (
        value is not None and not isinstance(target, tuple) and not _same(value, target)
    ),
    "in": lambda value, target: (
        value is not None
        and isinstance(target, tuple)
        and any(_same(value, item) for item in target)
    ),
    "lt": _ordered(operator.lt),
    "lte": _ordered(operator.le),
    "gt": _ordered(operator.gt),
    "gte": _ordered(operator.ge),
    "answered": lambda value, target: value is not None,
    "no_answer": lambda value, target: value is None,
    "always": lambda value, target: True,
}


def satisfies(rule: Rule, value: AnswerValue) -> bool:
    """Say whether an answer satisfies a rule; unknown operators never match."""
    test = _TESTS.get(rule.op)
    return test is not None and test(value, rule.value)
