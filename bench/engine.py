"""Benchmark the pure engine: complete surveys through begin() and step() on one core.

Run from the repository root: .venv/bin/python bench/engine.py [--seconds 3] [--in-code]
Uses flows/post_contact.yaml and locales/*.yaml when they and their loaders exist, else an
8-node survey and two small locales built here. Target: at least 20,000 steps per second.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from bot.engine.model import Flow, Locale, Node

TARGET_STEPS_PER_SECOND = 20_000
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
VALUES = {"agency": "Springfield PD", "complaints": "555-0100", "help": "555-0199"}


def _local(en: str, es: str) -> dict[str, str]:
    """Give a text in English and Spanish."""
    return {"en": en, "es": es}


def survey() -> dict[str, Any]:
    """Return a realistic 8-node post-contact survey as a parsed-YAML mapping."""
    respect_rules = [{"when": {"lte": 2}, "goto": "why_low"}, {"goto": "reason"}]
    options = [
        {"value": "traffic", "label": _local("Traffic", "Tráfico"), "synonyms": {"en": ["car"]}},
        {"value": "noise", "label": _local("Noise complaint", "Queja por ruido")},
        {"value": "crime", "label": _local("Reporting a crime", "Denunciar un delito")},
        {"value": "other", "label": _local("Other", "Otro")},
    ]
    nodes = [
        {"id": "intro", "type": "message", "next": "respect",
         "text": _local("{agency}: thanks for your time.", "{agency}: gracias por su tiempo.")},
        {"id": "respect", "type": "scale", "min": 1, "max": 5, "next": respect_rules,
         "min_label": _local("not at all", "nada"), "max_label": _local("fully", "totalmente"),
         "text": _local("Were you treated with respect?", "¿Le trataron con respeto?")},
        {"id": "why_low", "type": "text", "next": "reason",
         "text": _local("What went wrong?", "¿Qué salió mal?")},
        {"id": "reason", "type": "choice", "options": options, "next": "again",
         "text": _local("What was the contact about?", "¿De qué se trató?")},
        {"id": "again", "type": "yes_no", "next": "recommend",
         "text": _local("Would you contact {agency} again?", "¿Volvería a contactar a {agency}?")},
        {"id": "recommend", "type": "nps", "next": "comment",
         "text": _local("Would you recommend {agency}?", "¿Recomendaría a {agency}?")},
        {"id": "comment", "type": "text", "next": "bye",
         "text": _local("Anything else?", "¿Algo más?")},
        {"id": "bye", "type": "end", "text": _local("Thank you!", "¡Gracias!")},
    ]  # fmt: skip
    return {"id": "bench", "name": "Bench", "base_language": "en", "languages": ["en", "es"],
            "nodes": nodes}  # fmt: skip


def _messages(hints: tuple[str, str, str], reprompts: tuple[str, str]) -> dict[str, str]:
    """Build the system messages the engine sends."""
    return {"hint_yes_no": hints[0], "hint_scale": hints[1], "hint_skip": hints[2],
            "reprompt": reprompts[0], "reprompt_text": reprompts[1]}  # fmt: skip


def locale_dicts() -> list[dict[str, Any]]:
    """Return small English and Spanish locales as parsed-YAML mappings."""
    en_words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten"]  # fmt: skip
    es_words = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
                "diez"]  # fmt: skip
    en_hints = ("Reply YES or NO.", "Reply {min} ({min_label}) to {max} ({max_label}).",
                "Reply SKIP to skip.")  # fmt: skip
    es_hints = ("Responda SÍ o NO.", "Responda de {min} ({min_label}) a {max} ({max_label}).",
                "Responda OMITIR para saltar.")  # fmt: skip
    return [
        {"code": "en", "name": "English", "yes": ["yes", "y"], "no": ["no", "n"],
         "skip": ["skip"], "numbers": dict(zip(en_words, range(11), strict=True)),
         "messages": _messages(en_hints, ("Sorry, I didn't get that.", "Please reply."))},
        {"code": "es", "name": "Español", "yes": ["sí", "si"], "no": ["no"],
         "skip": ["omitir"], "numbers": dict(zip(es_words, range(11), strict=True)),
         "messages": _messages(es_hints, ("Perdone, no le entendí.", "Responda, por favor."))},
    ]  # fmt: skip


def _loader(modules: tuple[str, ...], name: str) -> Callable[[Path], Any] | None:
    """Find a loader function in the first of `modules` that has it."""
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def load_inputs(in_code: bool) -> tuple[Flow, dict[str, Locale], str]:
    """Use the shipped post_contact flow and locales when loadable, else the in-code ones."""
    from bot.engine.flowdef import flow_from_dict
    from bot.engine.locale import locale_from_dict

    source = "in-code 8-node survey"
    flow = flow_from_dict(survey(), version="bench")
    locales = {data["code"]: locale_from_dict(data) for data in locale_dicts()}
    load_flows = _loader(("bot.flows", "bot.flows.files"), "load_flows")
    if not in_code and load_flows and (ROOT / "flows" / "post_contact.yaml").exists():
        try:
            flow = load_flows(ROOT / "flows")["post_contact"]
            source = "flows/post_contact.yaml"
        except Exception as error:  # a half-written flow file must not stop the benchmark
            print(f"(could not load flows/post_contact.yaml: {error}; using the in-code survey)")
    load_locales = _loader(("bot.flows.locales",), "load_locales")
    if load_locales is not None and source != "in-code 8-node survey":
        try:
            locales = {**locales, **load_locales(ROOT / "locales")}
        except Exception as error:
            print(f"(could not load locales/: {error}; using the in-code locales)")
    return flow, locales, source


def replies_for(node: Node) -> tuple[str, ...]:
    """Give a resident's varied replies to a node, one in six not understood at first."""
    low, high = node.min, node.max
    mid = (low + high) // 2
    by_kind: Mapping[str, tuple[str, ...]] = {
        "choice": ("1", "2️⃣", "three", "maybe", "Other", "4"),
        "scale": (str(high), f"{mid} stars", f"{mid}/{high}", "dunno", f"{mid}\ufe0f\u20e3", "⭐"),
        "nps": (str(high), f"{mid} stars", f"{mid}/{high}", "dunno", "nine", str(low)),
        "yes_no": ("yes", "No", "1", "hmm", "sí", "y"),
        "text": ("The officer was polite.", "skip", "Fine", "  ", "Muy amable", "ok"),
    }
    return by_kind.get(node.kind.value, ("ok",))


def run(seconds: float, in_code: bool = False) -> tuple[int, int, float]:
    """Run complete surveys for about `seconds`; return (surveys, steps, elapsed)."""
    from bot.engine.conversation import Context, begin, step
    from bot.engine.model import Status

    flow, locales, source = load_inputs(in_code)
    print(f"flow: {source} ({len(flow.nodes)} nodes), languages {', '.join(flow.languages)}")
    ctx = Context(locales=locales, values=VALUES)
    answers = {node_id: itertools.cycle(replies_for(node)) for node_id, node in flow.nodes.items()}
    languages: Iterator[str] = itertools.cycle(flow.languages)
    surveys = steps = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for _ in range(100):
            state = begin(flow, next(languages), ctx).state
            while state.status is Status.ACTIVE and state.node_id is not None:
                state = step(flow, state, next(answers[state.node_id]), NOW, ctx).state
                steps += 1
            surveys += 1
    return surveys, steps, time.perf_counter() - started


def main() -> int:
    """Print steps per second and microseconds per step; exit 1 below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run (seconds)")
    parser.add_argument("--in-code", action="store_true", help="use the in-code survey")
    args = parser.parse_args()
    surveys, steps, elapsed = run(args.seconds, args.in_code)
    rate = steps / elapsed
    print(f"{surveys} surveys, {steps} steps in {elapsed:.2f} s on one core")
    print(f"{rate:,.0f} steps/s, {1e6 / rate:.1f} µs/step (target ≥ {TARGET_STEPS_PER_SECOND:,})")
    return 0 if rate >= TARGET_STEPS_PER_SECOND else 1


if __name__ == "__main__":
    sys.exit(main())
