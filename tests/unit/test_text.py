"""Tests for bot.engine.text: normalise(), render() and placeholders()."""

from __future__ import annotations

import pytest

from bot.engine.text import normalise, placeholders, render


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("YES", "yes"),
        ("  Stop!  ", "stop"),
        ("stop.", "stop"),
        ("No   más", "no mas"),
        ("Sí", "si"),
        ("ÉTÉ", "ete"),
        ("Niño", "nino"),
        ("Straße", "strasse"),
        ("4️⃣", "4"),
        ("4\u20e3", "4"),
        ("🔟", "10"),
        ("４", "4"),
        ("٤", "4"),
        ("❶", "1"),
        ("①", "1"),
        ("²", "2"),
        ("👍 great 👍", "great"),
        ("¿Qué?", "que"),
        ("«Tráfico»", "trafico"),
        ("4/5", "4/5"),
        ("don’t text", "don't text"),
        ("line\none\ttwo", "line one two"),
        ("!!!", ""),
        ("", ""),
        ("⭐⭐⭐", ""),
    ],
)
def test_normalise_latin_and_digit_forms(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是的", "是的"),  # Chinese untouched
        ("نعم", "نعم"),  # Arabic untouched
        ("네", "네"),  # Hangul survives the NFD/NFC round trip
        ("안녕하세요!", "안녕하세요"),
        ("Да", "да"),  # Cyrillic is lowercased, not mangled
        ("Йод", "йод"),  # й keeps its breve: it is a letter, not an accent
        ("ёлка", "ёлка"),
        ("नहीं", "नहीं"),  # Devanagari vowel signs are kept
        ("Không", "khong"),  # Vietnamese is Latin script: accents go
        ("Cảm ơn", "cam on"),
        ("Việt", "viet"),
    ],
)
def test_normalise_keeps_other_scripts(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize("raw", ["Sí, claro", "4️⃣ estrellas", "Йод", "네!", "ÉTÉ ⭐"])
def test_normalise_is_idempotent(raw: str) -> None:
    once = normalise(raw)
    assert normalise(once) == once


VALUES = {"agency": "Springfield PD", "help": "555-0199"}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{agency}: hello", "Springfield PD: hello"),
        ("Call {help} or {agency}", "Call 555-0199 or Springfield PD"),
        ("Keep {unknown} as is", "Keep {unknown} as is"),
        ("No placeholders", "No placeholders"),
        ("Literal {{braces}}", "Literal {braces}"),
        ("Unbalanced { brace {agency}", "Unbalanced { brace Springfield PD"),
        ("Unbalanced } brace", "Unbalanced } brace"),
        ("Positional {0}", "Positional {0}"),
        ("Empty {}", "Empty {}"),
        ("Attribute {agency.upper}", "Attribute {agency.upper}"),
        ("Spec {agency:>16}", "Spec   Springfield PD"),
        ("Bad spec {agency:d}", "Bad spec {agency:d}"),
        ("Unknown spec {nope:>5}", "Unknown spec {nope:>5}"),
        ("Conversion {agency!r}", "Conversion 'Springfield PD'"),
    ],
)
def test_render(template: str, expected: str) -> None:
    assert render(template, VALUES) == expected


def test_render_does_not_reinterpret_values() -> None:
    assert render("{agency}", {"agency": "{help}"}) == "{help}"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{agency}: call {help}", {"agency", "help"}),
        ("nothing here", set()),
        ("{{escaped}}", set()),
        ("{a.b} {c[0]}", {"a", "c"}),
        ("{0}", {"0"}),
        ("broken { {agency}", {"agency"}),
    ],
)
def test_placeholders(template: str, expected: set[str]) -> None:
    assert placeholders(template) == frozenset(expected)
