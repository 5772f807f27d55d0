"""Benchmark language detection of short survey replies: Parley's detector against bare models.

Run from the repository root: .venv/bin/python bench/langid.py [--data FILE ...] [--repeat 20]
Each data file has lines `text<TAB>hint<TAB>expected` (`#` lines are comments); a detector's
None keeps the hint. Scored: Parley's detect_language (word lists, scripts, then langdetect),
Parley with lingua as its model, langdetect alone (seeded, every profile, zh-cn/zh-tw read as
zh, any other language it names is simply wrong), langdetect restricted to the offered
languages, and lingua alone (restricted to the offered languages it knows). Times are the mean
per call over every pass with cached answers dropped between passes; models load before timing
(their load is shown apart). Target: Parley at least 95 % on dev, under 200 µs per call.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.flows.files import load_flows  # noqa: E402
from bot.flows.locales import load_locales  # noqa: E402
from bot.i18n.detect import LanguageDetector  # noqa: E402
from bot.i18n.statistical import (  # noqa: E402
    LANGDETECT_TRIALS,
    LangdetectModel,
    LinguaModel,
    StatisticalModel,
    lingua_available,
)

DEV_DATA = ROOT.parent / "shared" / "langid" / "dev.tsv"
TARGET_ACCURACY = 0.95
TARGET_MICROSECONDS = 200.0
Row = tuple[str, str, str]
Detect = Callable[[str, str | None], str | None]


@dataclass
class Contender:
    """A detector under test: how to call it and how to drop what it remembers."""

    name: str
    detect: Detect
    forget: Callable[[], None] = lambda: None
    model: CountingModel | None = None


class CountingModel:
    """Wrap a statistical model to count how often a detector falls back on it."""

    def __init__(self, inner: StatisticalModel) -> None:
        """Count calls to `inner`."""
        self.inner, self.name, self.calls = inner, inner.name, 0

    def probabilities(self, text: str) -> Mapping[str, float]:
        """Pass the call on, counting it."""
        self.calls += 1
        return self.inner.probabilities(text)


def read_rows(path: Path) -> list[Row]:
    """Read `text, hint, expected` rows, skipping comments and blank lines."""
    rows: list[Row] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, hint, expected = line.split("\t")
        rows.append((text, hint, expected))
    return rows


def model_alone(model: StatisticalModel) -> Detect:
    """Detect with a bare model: its most likely language, None when it rates nothing."""

    def detect(text: str, hint: str | None) -> str | None:
        rates = model.probabilities(text)
        return max(rates, key=rates.__getitem__) if rates else None

    return detect


def parley(name: str, detector: LanguageDetector, detect: Detect | None = None) -> Contender:
    """Test a Parley detector, counting the replies it hands to its statistical model."""
    counted = CountingModel(detector.model)
    detector.model = counted
    return Contender(name, detect or detector.detect, detector.clear_cache, counted)


def contenders() -> list[Contender]:
    """Build every detector to compare, Parley's shipped one first."""
    locales, flows = load_locales(ROOT / "locales"), load_flows(ROOT / "flows")
    shipped = LanguageDetector(locales, flows)  # as bootstrap() wires it
    offered = shipped.languages
    trials = LANGDETECT_TRIALS  # langdetect as shipped; Parley's own model uses fewer
    found = [parley("Parley (detect_language, langdetect)", shipped)]
    found += [
        parley(f"Parley with {model}", LanguageDetector(locales, flows, offered, model=model))
        for model in ("lingua", "lingua-low")
    ]
    found += [
        Contender("langdetect alone (all profiles)", model_alone(LangdetectModel(trials=trials))),
        Contender(
            "langdetect alone (offered only)", model_alone(LangdetectModel(offered, trials=trials))
        ),
        Contender("lingua alone (offered it knows)", model_alone(LinguaModel(offered))),
    ]
    if not lingua_available():
        print("(lingua-language-detector is not installed: its rows rate nothing)")
    return found


def score(contender: Contender, rows: Sequence[Row], repeat: int) -> tuple[float, float, int]:
    """Return accuracy, mean µs per call over `repeat` uncached passes, and model calls."""
    correct = sum((contender.detect(text, hint) or hint) == want for text, hint, want in rows)
    if contender.model is not None:
        contender.model.calls = 0
    elapsed = 0.0
    for _ in range(repeat):
        contender.forget()
        start = time.perf_counter()
        for text, hint, _want in rows:
            contender.detect(text, hint)
        elapsed += time.perf_counter() - start
    calls = contender.model.calls // repeat if contender.model is not None else -1
    return correct / len(rows), elapsed / (repeat * len(rows)) * 1e6, calls


def warm_up(contender: Contender) -> float:
    """Load a contender's models with one long reply; return the seconds it took."""
    start = time.perf_counter()
    contender.detect("the officer explained everything very clearly and politely", "es")
    if contender.model is not None:
        # Word lists settle the reply above; load the model as a reply they cannot would.
        contender.model.inner.probabilities("the officer explained everything")
    contender.forget()
    return time.perf_counter() - start


def report(path: Path, repeat: int, found: Sequence[Contender], loads: Sequence[float]) -> bool:
    """Print one data file's table; say whether Parley met both targets."""
    rows = read_rows(path)
    print(f"\n{path} ({len(rows)} replies, {repeat} timed passes)\n")
    print("| detector | accuracy | µs/call | model calls/pass | first call (load) s |")
    print("|---|---:|---:|---:|---:|")
    met = True
    for index, (contender, load) in enumerate(zip(found, loads, strict=True)):
        accuracy, micros, calls = score(contender, rows, repeat)
        shown_calls = "–" if calls < 0 else str(calls)
        print(f"| {contender.name} | {accuracy:.1%} | {micros:,.0f} | {shown_calls} | {load:.2f} |")
        if index == 0:
            met = accuracy >= TARGET_ACCURACY and micros < TARGET_MICROSECONDS
    return met


def main() -> int:
    """Score every detector on each data file and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help=f"default: {DEV_DATA}")
    parser.add_argument("--repeat", type=int, default=20, help="timed passes per detector")
    args = parser.parse_args()
    found = contenders()
    loads = [warm_up(contender) for contender in found]
    met = [report(path, args.repeat, found, loads) for path in args.data or [DEV_DATA]]
    print("\nModels are loaded once per process: a row reusing an earlier row's shows no load.")
    target = f"≥ {TARGET_ACCURACY:.0%} and < {TARGET_MICROSECONDS:.0f} µs/call"
    print(f"\nParley target ({target}): {'met' if all(met) else 'NOT met'}")
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
