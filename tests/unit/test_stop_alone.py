"""Stop words that are also ordinary answers ("no más", "huwag na po", "the end") opt out only
when they are the whole message; the stop phrases residents send that were missing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.engine.keywords import KeywordHit, match_keyword
from bot.engine.model import Locale
from bot.flows.locales import load_locales

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


@cache
def every() -> tuple[Locale, ...]:
    """Load the shipped locales once, as the services pass them."""
    return tuple(load_locales(LOCALES_DIR).values())


# (language, the word alone: an opt-out, the word inside an answer: not one)
AMBIGUOUS = [
    ("es", "No más", "No más, gracias"),
    ("es", "no mas", "no más gracias!"),
    ("es", "Basta", "Basta, gracias"),
    ("tl", "Huwag na po", "Huwag na po, salamat"),
    ("tl", "Tama na po", "Tama na po, salamat po"),
    ("en", "END", "The end"),
    ("en", "no more", "No more, thanks"),
]


@pytest.mark.parametrize(("language", "alone", "answer"), AMBIGUOUS)
def test_an_ambiguous_stop_word_alone_opts_out(language: str, alone: str, answer: str) -> None:
    assert match_keyword(alone, every()) == KeywordHit("stop", language)
    assert match_keyword(f"{alone}!", every()) == KeywordHit("stop", language)


@pytest.mark.parametrize(("language", "alone", "answer"), AMBIGUOUS)
def test_an_ambiguous_stop_word_inside_an_answer_does_not(
    language: str, alone: str, answer: str
) -> None:
    assert match_keyword(answer, every()) is None


# Unambiguous opt-outs stay opt-outs whatever surrounds them.
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "stop, thanks"),
        ("en", "Please stop texting me, thanks"),
        ("en", "no more texts please"),
        ("es", "No más mensajes, gracias"),
        ("es", "Ya basta, gracias"),
        ("tl", "tigil na po, salamat"),
    ],
)
def test_clear_opt_outs_with_thanks_still_opt_out(language: str, text: str) -> None:
    hit = match_keyword(text, every())
    assert hit is not None and hit.kind == "stop"
    assert hit.language == language or language == "en"


MISSING_PHRASES = [
    ("es", "basta"),
    ("es", "ya basta"),
    ("vi", "đừng gửi nữa"),
    ("vi", "Đừng gửi tin nữa"),
    ("vi", "dung gui nua"),
    ("tl", "tama na"),
    ("tl", "tama na po"),
    ("ar", "لا ترسل"),
    ("ar", "لا ترسل لي رسائل"),
    ("ar", "لا ترسلوا لي رسائل"),
    ("ko", "보내지마세요"),
    ("ko", "보내지마"),
    ("ru", "прекратите"),
    ("ru", "Отмена"),
]


@pytest.mark.parametrize(("language", "text"), MISSING_PHRASES)
def test_stop_phrases_residents_send(language: str, text: str) -> None:
    assert match_keyword(text, every()) == KeywordHit("stop", language)
