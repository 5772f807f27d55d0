"""The questions the results dashboard reports on, read from the flow versions surveys ran on.

Labels are the flow's base language (the staff's language); a question asked in several
versions takes its newest version's wording. Choice, scale, yes/no and NPS questions are
counted per answer; scale and NPS are also averaged; free text goes to the comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.model import SCORED_KINDS, Flow, Node, NodeKind
from bot.ports import FlowStore, UnknownFlowVersionError

COUNTED = frozenset({NodeKind.CHOICE, NodeKind.SCALE, NodeKind.YES_NO, NodeKind.NPS})
ASKED = COUNTED | {NodeKind.TEXT}


@dataclass(frozen=True)
class QuestionInfo:
    """One question as the dashboard names it: its text and each answer's label, in order."""

    flow_id: str
    id: str
    kind: NodeKind
    label: str
    # (stored value, label) for every answer it offers, in the order it offers them.
    answers: tuple[tuple[object, str], ...]
    order: int

    @property
    def counted(self) -> bool:
        """Say whether its answers are categories or scores to count (not free text)."""
        return self.kind in COUNTED

    @property
    def scored(self) -> bool:
        """Say whether its answers are scores to average (a scale or NPS)."""
        return self.kind in SCORED_KINDS

    def answer_label(self, value: object) -> str:
        """Return the label of a stored answer value (the value itself if not offered)."""
        for offered, label in self.answers:
            if offered == value and type(offered) is type(value):
                return label
        return str(value)


def questions_of(store: FlowStore, versions: Iterable[tuple[str, str]]) -> list[QuestionInfo]:
    """Return the questions of the given (flow, digest) versions, in flow order.

    Versions are given oldest first, so the newest wording of a question wins.
    """
    found: dict[tuple[str, str], QuestionInfo] = {}
    for flow_id, digest in versions:
        try:
            flow = store.get(flow_id, digest)
        except UnknownFlowVersionError:
            continue  # begun before versions were kept: its answers count, unlabelled
        for order, node in enumerate(flow.nodes.values()):
            if node.kind in ASKED:
                found[flow_id, node.id] = _info(flow, node, order)
    return sorted(found.values(), key=lambda q: (q.flow_id, q.order, q.id))


def _info(flow: Flow, node: Node, order: int) -> QuestionInfo:
    """Describe one question in the flow's base language."""
    base = flow.base_language
    return QuestionInfo(
        flow.id, node.id, node.kind, node.text.get(base, node.id), _answers(node, base), order
    )


def _answers(node: Node, base: str) -> tuple[tuple[object, str], ...]:
    """Return each answer a question offers, with its label."""
    if node.kind is NodeKind.CHOICE:
        return tuple((o.value, o.label.get(base, o.value)) for o in node.options)
    if node.kind is NodeKind.TEXT:
        return ()
    if node.kind is NodeKind.YES_NO:
        return ((True, "Yes"), (False, "No"))
    low, high = (0, 10) if node.kind is NodeKind.NPS else (node.min, node.max)
    ends = {low: node.min_label.get(base, ""), high: node.max_label.get(base, "")}
    return tuple((n, f"{n} ({ends[n]})" if ends.get(n) else str(n)) for n in range(low, high + 1))
