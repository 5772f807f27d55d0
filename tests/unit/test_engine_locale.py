"""Tests for bot.engine.locale: building Locales from parsed YAML and picking system messages."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.engine.locale import MESSAGE_KEYS, locale_from_dict, system_message
from bot.engine.model import Locale
from tests.unit.engine_fixtures import EN_LOCALE, ES_LOCALE, locales


def test_words_are_stored_normalised() -> None:
    es = locale_from_dict(ES_LOCALE)
    assert es.yes == frozenset({"si", "s", "claro", "correcto"})
    assert es.no == frozenset({"no", "n", "nop"})
    assert es.skip == frozenset({"omitir", "saltar"})
    assert es.keywords["stop"] == frozenset(
        {"alto", "parar", "no mas mensajes", "baja", "cancelar"}
    )
    assert es.keywords["stop_alone"] == frozenset({"no mas"})
    assert es.numbers["cuatro"] == 4 and es.numbers["una"] == 1
    assert (es.code, es.name, es.direction) == ("es", "Español", "ltr")


def test_messages_are_kept_as_written() -> None:
    es = locale_from_dict(ES_LOCALE)
    assert es.messages["hint_yes_no"] == "Responda SÍ o NO."
    assert set(es.messages) == set(MESSAGE_KEYS)


def test_pyyaml_booleans_are_read_as_yes_and_no() -> None:
    # PyYAML (YAML 1.1) turns bare `yes:`/`no:` keys and items into True/False.
    data: dict[Any, Any] = {"code": "en", "messages": {}, True: [True, "y"], False: [False, "n"]}
    en = locale_from_dict(data)
    assert en.yes == frozenset({"yes", "y"})
    assert en.no == frozenset({"no", "n"})


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("numbers", {"Four": 4, "cinq": "5", "vrai": True, "": 3}, {"four": 4}),
        ("skip", "Skip!", frozenset({"skip"})),
        ("skip", None, frozenset()),
        ("skip", ["", "  ", "pass"], frozenset({"pass"})),
        ("direction", "rtl", "rtl"),
        ("direction", "sideways", "ltr"),
        ("keywords", ["not", "a", "mapping"], {}),
    ],
)
def test_odd_values_are_tolerated(field: str, raw: Any, expected: Any) -> None:
    locale = locale_from_dict({"code": "xx", "messages": {}, field: raw})
    assert getattr(locale, field) == expected


@pytest.mark.parametrize("data", [{}, {"code": ""}, {"code": 5}])
def test_a_locale_needs_a_code(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="code"):
        locale_from_dict(data)


def _only(code: str, **messages: str) -> Locale:
    """Make a locale with just these messages."""
    return locale_from_dict({"code": code, "messages": messages})


def test_system_message_renders_in_the_language() -> None:
    text = system_message(locales(), "es", "stop_confirm", {"agency": "Springfield PD"})
    assert text == "No recibirá más mensajes de Springfield PD. Responda ALTA para volver."


def test_system_message_falls_back_to_english_then_to_any_locale() -> None:
    chosen = {"es": _only("es", a="a es"), "fr": _only("fr", b="b fr", c="c fr"),
              "en": _only("en", b="b en")}  # fmt: skip
    assert system_message(chosen, "es", "a", {}) == "a es"
    assert system_message(chosen, "es", "b", {}) == "b en"
    assert system_message(chosen, "es", "c", {}) == "c fr"
    assert system_message(chosen, "de", "a", {}) == "a es"


def test_system_message_keeps_unknown_placeholders() -> None:
    text = system_message(locales(), "en", "unknown", {})
    assert text == "'{keyword}' is not a word I know."


def test_a_missing_system_message_is_empty_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.engine.locale"):
        assert system_message(locales(), "en", "no_such_key", {}) == ""
    assert "no_such_key" in caplog.text


def test_fixture_locales_define_every_message() -> None:
    for data in (EN_LOCALE, ES_LOCALE):
        assert set(data["messages"]) == set(MESSAGE_KEYS)
