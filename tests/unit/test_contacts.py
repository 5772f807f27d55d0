"""{help} and {complaints} per language: the agency's value for a language, else for all, else the
locale's own wording, never an English sentence inside another language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.conversation import Context
from bot.engine.locale import language_values, system_message
from bot.engine.model import Locale
from bot.engine.text import render
from bot.errors import ConfigError
from bot.flows.files import load_flows
from bot.flows.locales import load_locales

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = ("en", "es", "zh", "zh-Hant", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt")
ENGLISH = ("the department", "front desk", "non-emergency line")


@cache
def shipped() -> dict[str, Locale]:
    """Load the shipped locales once."""
    return load_locales(LOCALES_DIR)


def context(settings: Settings) -> Context:
    """Build the engine context as bootstrap() does."""
    locales = shipped()
    by_language = language_values(locales, settings.agency_contacts, settings.contacts)
    return Context(locales, settings.placeholder_values, by_language)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
@pytest.mark.parametrize("key", ["help", "completed"])
def test_unset_contacts_are_worded_in_the_resident_language(language: str, key: str) -> None:
    ctx = context(Settings())
    text = system_message(ctx.locales, language, key, ctx.values_for(language))
    assert not any(english in text for english in ENGLISH), text
    assert shipped()[language].defaults["help"] in text


def test_a_contact_set_for_every_language_is_used_in_every_language() -> None:
    ctx = context(Settings(help_contact="555-0100"))
    for language in LANGUAGES:
        assert ctx.values_for(language)["help"] == "555-0100"


def test_a_contact_set_for_one_language_wins_there_only() -> None:
    env = {
        "HELP_CONTACT": "555-0100",
        "HELP_CONTACT_ES": "la línea 555-0199",
        "COMPLAINTS_CONTACT_ZH_HANT": "前台",
    }
    settings = Settings.from_env(env)
    assert settings.contacts == {
        "es": {"help": "la línea 555-0199"},
        "zh-hant": {"complaints": "前台"},
    }
    ctx = context(settings)
    assert ctx.values_for("es")["help"] == "la línea 555-0199"
    assert ctx.values_for("pt")["help"] == "555-0100"
    assert ctx.values_for("en")["help"] == "555-0100"


def test_english_keeps_its_own_default_wording() -> None:
    values = context(Settings()).values_for("en")
    assert values["help"] == "the department's non-emergency line"
    assert values["complaints"] == "the department's front desk"
    assert values["emergency"] == "911"


# es and pt read right with a phone number and with the default wording alike.
@pytest.mark.parametrize(
    ("language", "phone", "wording"),
    [
        ("es", "Consultas: 555-0100.", "Consultas: la línea de no emergencia de la policía."),
        ("pt", "Dúvidas: 555-0100.", "Dúvidas: a linha de atendimento não emergencial da polícia."),
    ],
)
def test_help_reads_right_with_a_phone_number(language: str, phone: str, wording: str) -> None:
    for settings, expected in ((Settings(help_contact="555-0100"), phone), (Settings(), wording)):
        ctx = context(settings)
        text = system_message(ctx.locales, language, "help", ctx.values_for(language))
        assert expected in text


def test_the_emergency_number_is_a_setting() -> None:
    assert Settings.from_env({"EMERGENCY_NUMBER": "112"}).placeholder_values["emergency"] == "112"
    with pytest.raises(ConfigError, match="EMERGENCY_NUMBER"):
        Settings.from_env({"EMERGENCY_NUMBER": "call the police"})


# The survey's closing text names where complaints go: after a colon, so that it reads right
# whether the agency gives a phone number or leaves the locale's wording.
@pytest.mark.parametrize(
    ("language", "phone"),
    [
        ("es", "Para presentar una queja: 555-0199."),
        ("pt", "Para fazer uma reclamação: 555-0199."),
    ],
)
def test_the_closing_text_reads_right_with_a_phone_number(language: str, phone: str) -> None:
    flow = load_flows(LOCALES_DIR.parent / "flows")["post_contact"]
    for settings, expected in (
        (Settings(complaints_contact="555-0199"), phone),
        (Settings(), phone.replace("555-0199", shipped()[language].defaults["complaints"])),
    ):
        values = context(settings).values_for(language)
        assert expected in render(flow.nodes["thanks"].text[language], values)
