"""Statistical language models for longer replies: langdetect (seeded) and lingua, loaded lazily.

Both are built on first use, never at import: langdetect's profiles take a tenth of a second
to read and lingua's models over a second, which a web worker should not pay to start.
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# langdetect answers zh-cn / zh-tw where Parley offers Simplified Chinese as plain zh.
_PROFILE_LANGUAGES = {"zh-cn": "zh", "zh-tw": "zh"}
SEED = 0  # fixed, so the same text always gets the same answer
# langdetect averages this many random walks (its default is 7); on our replies 3 give the same
# answers at less than half the time.
TRIALS = 3
LANGDETECT_TRIALS = 7
_LOCK = threading.Lock()
# Loaded factories by (profiles, seed), shared by every detector of the process.
_FACTORIES: dict[tuple[tuple[str, ...], int], Any] = {}


class StatisticalModel(Protocol):
    """A language model that rates a text's likely languages."""

    name: str

    def probabilities(self, text: str) -> Mapping[str, float]:
        """Rate each language the model knows by how likely `text` is in it (0 to 1)."""
        ...


class LangdetectModel:
    """langdetect with a private, seeded factory holding only the offered languages' profiles."""

    name = "langdetect"

    def __init__(
        self, languages: Iterable[str] | None = None, seed: int = SEED, trials: int = TRIALS
    ) -> None:
        """Prepare (but do not load) a model for `languages`, or every profile when None."""
        self._languages = None if languages is None else frozenset(languages)
        self._seed, self._trials = seed, trials
        self._factory: Any = None
        self._loaded = False

    def probabilities(self, text: str) -> Mapping[str, float]:
        """Rate the offered languages for `text`; {} when it has nothing to go on."""
        if not self._loaded:
            self._factory = _langdetect_factory(self._profiles(), self._seed)
            self._loaded = True
        factory = self._factory
        if factory is None:
            return {}
        from langdetect.lang_detect_exception import LangDetectException

        detector = factory.create()
        detector.n_trial = self._trials
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:
            return {}  # no letters langdetect knows ("ok!!", emoji)
        rates: dict[str, float] = {}
        for item in found:
            code = _PROFILE_LANGUAGES.get(item.lang, item.lang)
            rates[code] = rates.get(code, 0.0) + item.prob
        return rates

    def _profiles(self) -> tuple[str, ...]:
        """Name the profile files to load: the offered languages that langdetect knows."""
        known = sorted(path.name for path in _profile_directory().iterdir())
        if self._languages is None:
            return tuple(known)
        return tuple(
            name for name in known if _PROFILE_LANGUAGES.get(name, name) in self._languages
        )


class LinguaModel:
    """lingua-language-detector restricted to the offered languages it knows.

    Its high-accuracy models take about 150 MB per process; low-accuracy mode (trigrams
    only) about 15 MB, at some cost on short texts.
    """

    name = "lingua"

    def __init__(self, languages: Iterable[str], *, low_accuracy: bool = False) -> None:
        """Prepare (but do not build) a lingua detector for `languages`."""
        self._languages = tuple(sorted(frozenset(languages)))
        self._low_accuracy = low_accuracy
        if low_accuracy:
            self.name = "lingua-low"

    def probabilities(self, text: str) -> Mapping[str, float]:
        """Rate the offered languages lingua knows for `text`; {} when lingua is unusable."""
        detector = _lingua_detector(self._languages, self._low_accuracy)
        if detector is None:
            return {}
        return {
            value.language.iso_code_639_1.name.lower(): value.value
            for value in detector.compute_language_confidence_values(text)
            if value.value > 0.0
        }


# Models by name, so a detector or the benchmark can pick one from configuration.
MODELS: Mapping[str, Callable[[Iterable[str]], StatisticalModel]] = {
    "langdetect": LangdetectModel,
    "lingua": LinguaModel,
    "lingua-low": functools.partial(LinguaModel, low_accuracy=True),
}


def lingua_available() -> bool:
    """Say whether the lingua package is installed."""
    try:
        importlib.import_module("lingua")
    except ImportError:
        return False
    return True


def _profile_directory() -> Path:
    """Locate langdetect's shipped profiles."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return Path(PROFILES_DIRECTORY)


def _langdetect_factory(profiles: tuple[str, ...], seed: int) -> Any:
    """Load a DetectorFactory with these profiles once per process; None if fewer than two."""
    if len(profiles) < 2:
        return None  # langdetect refuses a single profile; one language needs no model anyway
    key = (profiles, seed)
    with _LOCK:  # two threads asking at once must not both spend the load
        factory = _FACTORIES.get(key)
        if factory is None:
            from langdetect.detector_factory import DetectorFactory

            factory = DetectorFactory()
            directory = _profile_directory()
            factory.load_json_profile(
                [(directory / name).read_text(encoding="utf-8") for name in profiles]
            )
            factory.set_seed(seed)
            _FACTORIES[key] = factory
            logger.info("loaded %d langdetect profiles", len(profiles))
    return factory


@functools.lru_cache(maxsize=8)
def _lingua_detector(languages: tuple[str, ...], low_accuracy: bool) -> Any:
    """Build a lingua detector for the languages it knows; None if it knows fewer than two."""
    try:
        lingua = importlib.import_module("lingua")
    except ImportError:
        logger.warning("lingua is not installed; its model rates nothing")
        return None
    known = [
        lingua.Language.from_iso_code_639_1(code)
        for code in (getattr(lingua.IsoCode639_1, language.upper(), None) for language in languages)
        if code is not None
    ]
    if len(known) < 2:
        return None
    builder = lingua.LanguageDetectorBuilder.from_languages(*known)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()
