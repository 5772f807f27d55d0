"""Every SMS text the engine sends for the shipped flow and a set of edge-case questions.

`python -m tests.unit.sms_texts > tests/unit/data/sms_texts.json` wrote the golden file that
tests/unit/test_sms_golden.py compares with; it was run once, on the code from before the engine
returned structured prompts (commit 8322403), so the file records the texts as residents got them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from bot.config.settings import Settings
from bot.engine.conversation import Context, begin, prompt, step
from bot.engine.flowdef import flow_from_dict
from bot.engine.locale import language_values
from bot.engine.model import ConversationState, Flow, Node, NodeKind
from bot.engine.render import texts_of
from bot.flows.files import load_flows
from bot.flows.locales import load_locales

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("data") / "sms_texts.json"
NOW = datetime(2025, 3, 14, 15, 9, tzinfo=UTC)
_CHOICE = {"options": [{"value": "a", "label": {"en": "Apple", "es": "Manzana"}},
                       {"value": "b", "label": {"en": "Pear"}}]}  # fmt: skip
# Questions whose hints take every branch of the hint code: ends with and without labels.
EDGE_NODES: dict[str, dict[str, Any]] = {
    "choice": {"type": "choice", **_CHOICE},
    "scale_labelled": {"type": "scale", "min": 0, "max": 3, "min_label": {"en": "bad"},
                       "max_label": {"en": "good", "es": "bien"}},
    "scale_bare": {"type": "scale"},
    "scale_min_label": {"type": "scale", "min_label": {"en": "low"}},
    "nps_max_label": {"type": "nps", "max_label": {"en": "sure"}},
    "yes_no": {"type": "yes_no"},
    "text": {"type": "text"},
}  # fmt: skip


@cache
def shipped_context() -> Context:
    """Give the engine the shipped locales and default placeholder values, as bootstrap does."""
    locales = load_locales(ROOT / "locales")
    values = Settings().placeholder_values
    return Context(locales, values, language_values(locales, Settings().agency_contacts, {}))


def edge_flow() -> Flow:
    """Build a flow asking one edge-case question of each kind, then ending."""
    ids = list(EDGE_NODES)
    nodes = [
        {"id": node_id, **spec, "text": {"en": f"{node_id}?"}, "next": after}
        for node_id, spec, after in zip(ids, EDGE_NODES.values(), [*ids[1:], "bye"], strict=True)
    ]
    nodes.append({"id": "bye", "type": "end", "text": {"en": "Bye {agency}."}})
    data = {"id": "edge", "base_language": "en", "languages": ["en", "es"], "nodes": nodes}
    return flow_from_dict(data, version="golden")


def answers_to(node: Node) -> tuple[str, ...]:
    """Give the replies that take a question down each of its branches."""
    if node.kind is NodeKind.CHOICE:
        return tuple(str(n) for n in range(1, len(node.options) + 1))
    if node.kind in (NodeKind.SCALE, NodeKind.NPS):
        return (str(node.min), str(node.max))
    if node.kind is NodeKind.YES_NO:
        return ("yes", "no")
    return ("The officer was kind.", "skip")


def _question_texts(
    flow: Flow, node: Node, language: str, ctx: Context
) -> Iterator[tuple[str, list[str]]]:
    """Yield (name, texts) for a question: its prompt, its re-prompt, what follows each answer."""
    state = ConversationState(node.id, language)
    yield node.id, [prompt(flow, state, ctx)]
    unreadable = "   " if node.kind is NodeKind.TEXT else "???"
    yield f"{node.id} re-prompt", list(texts_of(step(flow, state, unreadable, NOW, ctx).prompts))
    for reply in answers_to(node):
        yield f"{node.id} <- {reply}", list(texts_of(step(flow, state, reply, NOW, ctx).prompts))


def flow_texts(flow: Flow, language: str, ctx: Context) -> dict[str, list[str]]:
    """Render what `flow` sends in `language`: the opening, then every question's texts."""
    texts = {"opening": list(texts_of(begin(flow, language, ctx).prompts))}
    for node in flow.nodes.values():
        if node.waits:
            texts.update(_question_texts(flow, node, language, ctx))
    return texts


def sms_texts() -> dict[str, dict[str, dict[str, list[str]]]]:
    """Render every flow's texts in every shipped locale: {flow: {language: {name: texts}}}."""
    ctx = shipped_context()
    flows = [*load_flows(ROOT / "flows").values(), edge_flow()]
    return {
        flow.id: {code: flow_texts(flow, code, ctx) for code in sorted(ctx.locales)}
        for flow in flows
    }


if __name__ == "__main__":
    json.dump(sms_texts(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")
