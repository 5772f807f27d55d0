"""Scores with units ("4 stars", "5점", "五分") and "out of" words ("4 из 5") in all twelve
shipped locales, and the replies that must still be refused."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from bot.engine.locale import locale_from_dict
from bot.engine.model import Locale, Node, NodeKind
from bot.engine.parsing import Parsed, parse_answer
from bot.flows.locales import load_locales

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
SCALE = Node(id="respect", kind=NodeKind.SCALE, text={}, min=1, max=5)
NPS = Node(id="recommend", kind=NodeKind.NPS, text={}, min=0, max=10)
NOT_OK = Parsed(ok=False)


@cache
def shipped() -> dict[str, Locale]:
    """Load the shipped locales once, checked against locales/schema.json as at start-up."""
    return load_locales(LOCALES_DIR)


# (language, reply, score on a 1-5 scale)
SCORES = [
    ("en", "4 stars", 4),
    ("en", "4 out of 5", 4),
    ("en", "5 points", 5),
    ("es", "4 estrellas", 4),
    ("es", "4 de 5", 4),
    ("es", "cuatro sobre cinco", 4),
    ("zh", "4星", 4),
    ("zh", "5分", 5),
    ("zh", "五分", 5),
    ("zh", "四颗星", 4),
    ("zh", "4 分", 4),
    ("zh", "３分", 3),
    ("vi", "4 sao", 4),
    ("vi", "4 điểm", 4),
    ("vi", "4 trên 5", 4),
    ("vi", "bốn sao", 4),
    ("tl", "4 bituin", 4),
    ("tl", "4 sa 5", 4),
    ("tl", "apat na bituin", 4),
    ("ar", "٤ نجوم", 4),
    ("ar", "٤ من ٥", 4),
    ("ar", "أربع نجوم", 4),
    ("ar", "5 نقاط", 5),
    ("ko", "5점", 5),
    ("ko", "4️⃣점", 4),
    ("ko", "4점이요", 4),
    ("ko", "다섯 점", 5),
    ("ko", "오점", 5),
    ("ru", "4 звезды", 4),
    ("ru", "5 звёзд", 5),
    ("ru", "4 из 5", 4),
    ("ru", "4 балла из 5", 4),
    ("ru", "пять баллов", 5),
    ("ht", "4 zetwal", 4),
    ("ht", "4 sou 5", 4),
    ("ht", "kat zetwal", 4),
    ("so", "4 xiddig", 4),
    ("so", "4 ka mid ah 5", 4),
    ("so", "afar xiddig", 4),
    ("fr", "4 étoiles", 4),
    ("fr", "4 sur 5", 4),
    ("fr", "quatre étoiles", 4),
    ("pt", "4 estrelas", 4),
    ("pt", "4 de 5", 4),
    ("pt", "quatro estrelas", 4),
]


@pytest.mark.parametrize(("language", "text", "score"), SCORES)
def test_score_with_its_own_locale(language: str, text: str, score: int) -> None:
    assert parse_answer(SCALE, text, (shipped()[language],)) == Parsed(ok=True, value=score)


@pytest.mark.parametrize(("language", "text", "score"), SCORES)
def test_score_with_every_locale(language: str, text: str, score: int) -> None:
    every = tuple(shipped().values())
    assert parse_answer(SCALE, text, every) == Parsed(ok=True, value=score)


# English units and "out of" are built in; every other score above needs its locale's words.
@pytest.mark.parametrize(("language", "text"), [(c[0], c[1]) for c in SCORES if c[0] != "en"])
def test_without_its_words_a_score_with_a_unit_is_refused(language: str, text: str) -> None:
    bare = replace(shipped()[language], units=frozenset(), out_of=frozenset())
    assert parse_answer(SCALE, text, (bare,)) == NOT_OK


@pytest.mark.parametrize(
    "text",
    [
        # units never make an out-of-range number valid
        "50分",
        "6점",
        "6 estrellas",
        "0 sao",
        "10 звёзд",
        "六颗星",
        # the top must be the scale's
        "4 из 10",
        "4 sou 10",
        "4 de 10",
        "9 من 10",
        # words that look like units but are not
        "5分钟",
        "4点",
        "5분",
        "4 sao 5",
        "4 minutos",
        # a unit or "out of" word alone, or with no number
        "sao",
        "점",
        "分",
        "de 5",
        "estrellas",
        "4 5",
    ],
)
def test_refused_on_a_one_to_five_scale(text: str) -> None:
    assert parse_answer(SCALE, text, tuple(shipped().values())) == NOT_OK


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10점", Parsed(ok=True, value=10)),
        ("9 из 10", Parsed(ok=True, value=9)),
        ("十分", Parsed(ok=True, value=10)),
        ("0 sao", Parsed(ok=True, value=0)),
        ("11점", NOT_OK),
        ("9 sur 5", NOT_OK),
        ("4 из 5", NOT_OK),
    ],
)
def test_nps_with_units(text: str, expected: Parsed) -> None:
    assert parse_answer(NPS, text, tuple(shipped().values())) == expected


def test_locale_words_are_read_normalised_and_optional() -> None:
    locale = locale_from_dict(
        {"code": "xx", "messages": {}, "units": ["Étoiles", ""], "out_of": "SUR",
         "filler": ["S’il vous plaît"]}
    )  # fmt: skip
    assert (locale.units, locale.out_of) == (frozenset({"etoiles"}), frozenset({"sur"}))
    assert locale.filler == frozenset({"s'il vous plait"})
    bare = locale_from_dict({"code": "xx", "messages": {}})
    assert (bare.filler, bare.units, bare.out_of) == (frozenset(), frozenset(), frozenset())
