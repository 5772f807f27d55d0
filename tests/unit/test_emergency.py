"""A reply that looks like an emergency, in every shipped language, and replies that do not."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.engine.emergency import looks_like_emergency
from bot.engine.model import Locale
from bot.engine.text import render
from bot.flows.locales import load_locales

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt")


@cache
def every() -> tuple[Locale, ...]:
    """Load the shipped locales once, as the services pass them."""
    return tuple(load_locales(LOCALES_DIR).values())


EMERGENCIES = [
    ("en", "please help someone is breaking into my house right now"),
    ("en", "911 emergency"),
    ("en", "HELP ME"),
    ("en", "call 911!!"),
    ("es", "ayuda por favor mi esposo me está golpeando"),
    ("es", "¡Auxilio!"),
    ("es", "es urgente"),
    ("zh", "救命！"),
    ("zh", "快来救命，有人闯入我家"),
    ("zh", "有人闖入我家"),
    ("vi", "cứu tôi với"),
    ("vi", "khẩn cấp!"),
    ("tl", "tulong po, sinasaktan ako"),
    ("ar", "النجدة"),
    ("ar", "ساعدوني من فضلكم"),
    ("ko", "살려주세요"),
    ("ko", "긴급 상황이에요"),
    ("ru", "Помогите!"),
    ("ru", "срочно нужна полиция"),
    ("ht", "anmwe!"),
    ("ht", "se yon ijans"),
    ("so", "i caawi fadlan"),
    ("so", "waa degdeg"),
    ("fr", "Au secours !"),
    ("fr", "c'est une urgence"),
    ("pt", "Socorro!"),
    ("pt", "é uma emergência"),
]


def test_every_language_has_emergency_words() -> None:
    by_code = {locale.code: locale for locale in every()}
    assert all(by_code[code].emergency for code in LANGUAGES)
    assert {language for language, _ in EMERGENCIES} == set(LANGUAGES)


@pytest.mark.parametrize(("language", "text"), EMERGENCIES)
def test_emergencies_are_recognised(language: str, text: str) -> None:
    assert looks_like_emergency(text, every())


@pytest.mark.parametrize(("language", "text"), EMERGENCIES)
def test_a_language_own_list_is_enough(language: str, text: str) -> None:
    own = tuple(locale for locale in every() if locale.code == language)
    assert looks_like_emergency(text, own)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yes",
        "4",
        "The officer was very helpful",
        "He explained everything, thank you",
        "9110",
        "El agente fue muy amable",
        "警察很有礼貌，谢谢。",
        "경찰관이 친절했어요. 감사합니다.",
        "Полицейский был очень вежлив, спасибо.",
        "Le policier était très aimable, merci.",
        "O policial foi muito gentil, obrigado.",
    ],
)
def test_ordinary_replies_are_not_emergencies(text: str) -> None:
    assert not looks_like_emergency(text, every())


def test_the_agency_emergency_number_counts() -> None:
    assert not looks_like_emergency("call 112", ())
    assert looks_like_emergency("call 112", (), numbers=("911", "112"))
    assert looks_like_emergency("911", ())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["help", "unknown", "completed", "emergency"])
def test_every_pointer_gives_the_emergency_number(language: str, key: str) -> None:
    # HELP, the "this number sends surveys" and "survey complete" pointers, and the emergency
    # reply itself all tell the resident whom to call, in their own language.
    locale = next(locale for locale in every() if locale.code == language)
    values = {"agency": "Springfield PD", "help": "555-0100", "keyword": "SURVEY"}
    text = render(locale.messages[key], {**values, "emergency": "112"})
    assert "112" in text
