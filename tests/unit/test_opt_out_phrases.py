"""Plain-language opt-outs residents really send, in the shipped locales, are never missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.keywords import match_keyword
from bot.engine.model import Locale
from bot.flows.locales import load_locales

OPT_OUTS = [
    ("no more", "en"),
    ("Opt me out", "en"),
    ("please remove my number", "en"),
    ("Do not message me", "en"),
    ("Quiero darme de baja", "es"),
    ("Cancelar suscripción", "es"),
    ("No me manden más mensajes", "es"),
    ("Je veux me désabonner", "fr"),
    ("Désabonnement", "fr"),
    ("그만하세요", "ko"),
    ("Отписаться от рассылки", "ru"),
    ("الرجاء التوقف", "ar"),
    ("ayoko na", "tl"),
    ("Mwen pa vle mesaj ankò", "ht"),
    ("退订", "zh"),
]
ANSWERS = ["nothing more", "no", "yes", "5", "arrêté", "the officer was fine", "sí", "không"]


@pytest.fixture(scope="module")
def locales() -> list[Locale]:
    """Load the shipped locales."""
    return list(load_locales(Path(__file__).resolve().parents[2] / "locales").values())


@pytest.mark.parametrize(("text", "language"), OPT_OUTS)
def test_plain_language_opt_outs(locales: list[Locale], text: str, language: str) -> None:
    hit = match_keyword(text, locales)
    assert hit is not None and hit.kind == "stop"
    assert hit.language == language


@pytest.mark.parametrize("text", ANSWERS)
def test_ordinary_answers_stay_answers(locales: list[Locale], text: str) -> None:
    assert match_keyword(text, locales) is None
