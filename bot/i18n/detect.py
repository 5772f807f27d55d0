"""Tell which language a resident's reply is in, or that it carries no reliable signal.

A reply goes through a table of stages, each of which decides, says "no signal", or passes:
no letters at all (a digit, an emoji); a whole answer from our locales and flows ("no
gracias", "español"); a non-Latin script (Hangul is Korean); a letter only Vietnamese uses;
the words themselves, weighed by how many languages share each; and, for longer replies our
word lists cannot settle, a statistical model. A word several languages share ("no", "si")
decides nothing on its own, and a reply that fits the conversation's language (the hint)
keeps it: switching a resident's language on a guess is worse than not switching.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Final, Literal

from bot.engine.model import Flow, Locale
from bot.i18n.scripts import (
    CHINESE,
    TRADITIONAL_CHINESE,
    han_variant,
    has_vietnamese_letters,
    script_language,
)
from bot.i18n.statistical import MODELS, StatisticalModel
from bot.i18n.vocabulary import Languages, build_vocabulary, fold, phrase_key, words_of
from bot.i18n.wordlists import NEUTRAL

logger = logging.getLogger(__name__)


class _Pass(Enum):
    """A stage's way of saying "not mine to decide, ask the next one"."""

    ON = "on"


PASS: Final = _Pass.ON
# A language, None for "no reliable signal", or PASS.
Verdict = str | None | Literal[_Pass.ON]

# Replies shorter than this are too short for a statistical model to say anything reliable:
# on "no problem" or "no me gusta" both models guess, langdetect with full confidence.
MIN_MODEL_WORDS = 3
MIN_MODEL_LETTERS = 8
# A model alone (no known word to go on) must be this sure before we switch a language.
MIN_MODEL_CONFIDENCE = 0.8
# How much the model's rating counts against one word that only one language uses.
MODEL_WEIGHT = 1.5
CACHE_SIZE = 4096
# A word typed without accents counts less for a language that is hardly ever written so:
# Vietnamese stripped of its marks collides with the short words of others ("te", "se", "bon").
BARE_WEIGHTS = {"vi": 0.5}
_CHINESE = frozenset({CHINESE, TRADITIONAL_CHINESE})


@dataclass
class _Reply:
    """One reply, prepared once for every stage: folded text, its words, their scores."""

    folded: str
    pairs: list[tuple[str, str]]
    scores: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> _Reply:
        """Prepare a reply's text for the stages."""
        folded = fold(text)
        return cls(folded, words_of(folded))


class LanguageDetector:
    """Detect the language of residents' replies among the languages Parley offers."""

    def __init__(
        self,
        locales: Mapping[str, Locale],
        flows: Mapping[str, Flow],
        languages: Iterable[str] | None = None,
        *,
        model: str | StatisticalModel = "langdetect",
    ) -> None:
        """Index our locales' and flows' words; offer `languages` (default: all they speak)."""
        if languages is None:
            spoken = {code for flow in flows.values() for code in flow.languages}
            languages = set(locales) | spoken
        self.languages: Languages = frozenset(languages)
        self._vocabulary = build_vocabulary(locales, flows, self.languages)
        self.model = MODELS[model](self.languages) if isinstance(model, str) else model
        self._cache: dict[tuple[str, str | None], str | None] = {}
        self._stages: tuple[Callable[[_Reply, str | None], Verdict], ...] = (
            self._letterless,
            self._whole_answer,
            self._script,
            self._vietnamese,
            self._words,
            self._statistical,
        )

    def detect(self, text: str, hint: str | None = None) -> str | None:
        """Return the language `text` is written in, or None when it carries no signal."""
        key = (text, hint)
        cached = self._cache.get(key, PASS)  # one look-up: another thread may clear the cache
        if cached is not PASS:
            return cached
        found = self._decide(text, hint)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()  # replies rarely repeat beyond the usual few; start afresh
        self._cache[key] = found
        return found

    def clear_cache(self) -> None:
        """Forget the answers remembered so far (for measuring the uncached cost)."""
        self._cache.clear()

    def _decide(self, text: str, hint: str | None) -> str | None:
        """Run the stages in order until one decides."""
        reply = _Reply.of(text)
        for stage in self._stages:
            verdict = stage(reply, hint)
            if verdict is not PASS:
                return verdict
        return None

    def _letterless(self, reply: _Reply, hint: str | None) -> Verdict:
        """Find no signal in a reply without letters: digits, emoji, punctuation."""
        return None if not reply.pairs else PASS

    def _whole_answer(self, reply: _Reply, hint: str | None) -> Verdict:
        """Recognise an answer our locales or flows list as a whole ("no gracias", "español")."""
        languages = self._vocabulary.phrases.get(phrase_key(reply.pairs))
        if not languages:
            return PASS
        if hint in languages:
            return hint
        if len(languages) > 1 and languages <= _CHINESE:
            return PASS  # "沒有" is in both Chinese word lists: the script tells them apart
        # An answer several languages share ("no", "ok") says nothing about which one.
        return next(iter(languages)) if len(languages) == 1 else None

    def _script(self, reply: _Reply, hint: str | None) -> Verdict:
        """Tell the language from a non-Latin script, or no signal if it is not offered."""
        language = script_language(reply.folded)
        if language is None:
            return PASS
        if language in _CHINESE:
            return self._chinese(reply, hint)
        return language if language in self.languages else None

    def _chinese(self, reply: _Reply, hint: str | None) -> Verdict:
        """Tell Traditional from Simplified Chinese, keeping the hint's when nothing tells."""
        offered = _CHINESE & self.languages
        variant = han_variant(reply.folded)
        if hint in offered and variant is None:
            return hint  # "好", "是的": written the same in both
        if variant in offered:
            return variant
        # One Chinese offered: it is the one, whichever characters the resident writes.
        if len(offered) == 1:
            return next(iter(offered))
        return CHINESE if offered else None

    def _vietnamese(self, reply: _Reply, hint: str | None) -> Verdict:
        """Tell Vietnamese by a letter only it uses (ơ ư đ ă, tone-marked vowels)."""
        if not has_vietnamese_letters(reply.folded):
            return PASS
        return "vi" if "vi" in self.languages else None

    def _words(self, reply: _Reply, hint: str | None) -> Verdict:
        """Decide by the reply's known words, or pass a reply they leave open to the model."""
        known, unknown, fits_hint = self._weigh(reply, hint)
        if not known:
            # Only words every language texts ("ok", "lol"): nothing to go on, even for a model.
            return None if not unknown else PASS
        if fits_hint and (not unknown or len(reply.pairs) < MIN_MODEL_WORDS or unknown < known):
            # Every word we know is one the resident's current language uses, and they are most
            # of the reply: switching needs stronger evidence than a model's guess at the rest.
            return hint
        ranked = sorted(reply.scores.values(), reverse=True)
        margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
        # Settled when one language leads by a whole word, or leads and most words are known
        # (unless the hint explains every known word: then the unknown ones must settle it).
        if margin >= 1.0 or (margin > 0 and unknown <= known and not fits_hint):
            return max(reply.scores, key=reply.scores.__getitem__)
        return PASS

    def _weigh(self, reply: _Reply, hint: str | None) -> tuple[int, int, bool]:
        """Score each language by the reply's words; count known and unknown words.

        Each known word shares one vote among the languages using it, so "gracias" is a vote
        for Spanish and "no" half a vote each for English and Spanish. Says whether every
        known word is one the hint's language uses.
        """
        scores = reply.scores
        known, unknown, fits_hint = 0, 0, True
        for word, plain in reply.pairs:
            languages = self._vocabulary.languages_of(word, plain)
            if not languages:
                unknown += plain not in NEUTRAL
                continue
            known += 1
            fits_hint = fits_hint and hint in languages
            share = 1.0 / len(languages)
            for language in languages:
                weight = BARE_WEIGHTS.get(language, 1.0) if word == plain else 1.0
                scores[language] = scores.get(language, 0.0) + share * weight
        return known, unknown, fits_hint

    def _statistical(self, reply: _Reply, hint: str | None) -> Verdict:
        """Ask the statistical model about a reply long enough, with the word scores as prior."""
        letters = sum(len(word) for word, _ in reply.pairs)
        if len(reply.pairs) < MIN_MODEL_WORDS or letters < MIN_MODEL_LETTERS:
            return None
        rates = {
            code: rate
            for code, rate in self.model.probabilities(reply.folded).items()
            if code in self.languages
        }
        scores = reply.scores
        if not scores:
            if not rates or max(rates.values()) < MIN_MODEL_CONFIDENCE:
                return None
            scores = dict(rates)
        else:
            for code, rate in rates.items():
                scores[code] = scores.get(code, 0.0) + MODEL_WEIGHT * rate
        return _leader(scores, hint)


def _leader(scores: Mapping[str, float], hint: str | None) -> str | None:
    """Pick the top-scoring language: the hint if it is among the top, None on another tie."""
    top = max(scores.values())
    leaders = [code for code, score in scores.items() if score >= top - 1e-9]
    if hint in leaders:
        return hint
    # A tie is no signal; picking one would depend on set order, which varies by process.
    return leaders[0] if len(leaders) == 1 else None
