"""Locale catalogs: the shipped ones load and agree; a bad locale file names its line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.engine.locale import MESSAGE_KEYS
from bot.engine.model import Locale
from bot.engine.text import normalise, placeholders
from bot.flows.locales import PLACEHOLDERS, LocaleFileError, load_locales

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
SHIPPED = ("en", "es")


@pytest.fixture(scope="module")
def locales() -> dict[str, Locale]:
    """Load the shipped locales once."""
    return load_locales(LOCALES)


def test_the_shipped_locales_load(locales: dict[str, Locale]) -> None:
    for code in SHIPPED:
        assert locales[code].code == code
    assert locales["es"].name == "Español"


def test_the_schema_requires_exactly_the_messages_the_engine_sends() -> None:
    schema = json.loads((LOCALES / "schema.json").read_text(encoding="utf-8"))
    messages = schema["properties"]["messages"]
    assert sorted(messages["required"]) == sorted(MESSAGE_KEYS)
    assert sorted(messages["properties"]) == sorted(MESSAGE_KEYS)


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_present_and_non_empty(locales: dict[str, Locale], code: str) -> None:
    messages = locales[code].messages
    assert sorted(messages) == sorted(MESSAGE_KEYS)
    assert all(text.strip() for text in messages.values())


@pytest.mark.parametrize("key", MESSAGE_KEYS)
def test_a_message_uses_the_same_known_placeholders_in_every_locale(
    locales: dict[str, Locale], key: str
) -> None:
    used = {code: placeholders(locale.messages[key]) for code, locale in locales.items()}
    assert len(set(used.values())) == 1, used
    assert used["en"] <= PLACEHOLDERS


@pytest.mark.parametrize(
    ("key", "required"),
    [
        ("stop_confirm", {"agency"}),
        ("help", {"agency", "help"}),
        ("unknown", {"agency", "keyword"}),
        ("completed", {"agency", "help"}),
        ("hint_scale", {"min", "max", "min_label", "max_label"}),
    ],
)
def test_messages_that_must_name_the_sender_do(
    locales: dict[str, Locale], key: str, required: set[str]
) -> None:
    for locale in locales.values():
        assert required <= placeholders(locale.messages[key]), (locale.code, key)


def test_no_message_links_anywhere(locales: dict[str, Locale]) -> None:
    # A text from the police with a link looks like a scam; contacts come from placeholders.
    for locale in locales.values():
        for key, text in locale.messages.items():
            assert "http" not in text.lower() and "www." not in text.lower(), (locale.code, key)


def test_yes_and_no_are_read_as_words(locales: dict[str, Locale]) -> None:
    assert {"yes", "y"} <= locales["en"].yes
    assert {"no", "n"} <= locales["en"].no
    assert {"si", "s"} <= locales["es"].yes  # stored normalised: "sí" is "si"
    assert "no" in locales["es"].no
    assert locales["es"].numbers["cuatro"] == 4


def test_keywords_never_answer_a_question(locales: dict[str, Locale]) -> None:
    # A resident answering "no" or "pass" must not be opted out or shown the help text.
    answers: set[str] = set()
    for locale in locales.values():
        answers |= locale.yes | locale.no | locale.skip | set(locale.numbers)
    for locale in locales.values():
        for kind, words in locale.keywords.items():
            assert not words & answers, (locale.code, kind, words & answers)


def test_keyword_kinds_do_not_overlap(locales: dict[str, Locale]) -> None:
    seen: dict[str, str] = {}
    for locale in locales.values():
        for kind, words in locale.keywords.items():
            for word in words:
                assert seen.setdefault(word, kind) == kind, (word, kind, seen[word])


def test_stop_words_of_every_language_are_there(locales: dict[str, Locale]) -> None:
    assert {"stop", "unsubscribe", "opt out"} <= locales["en"].keywords["stop"]
    assert {normalise("alto"), normalise("ya basta")} <= locales["es"].keywords["stop"]
    assert {normalise("no más"), normalise("basta")} <= locales["es"].keywords["stop_alone"]


def copy_locales(tmp_path: Path) -> Path:
    """Copy the shipped locales into a scratch directory."""
    directory = tmp_path / "locales"
    directory.mkdir()
    for code in SHIPPED:
        shutil.copy(LOCALES / f"{code}.yaml", directory / f"{code}.yaml")
    return directory


def edit(path: Path, old: str, new: str) -> str:
    """Replace one fragment of a file (which must be there); return the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(text: str, fragment: str) -> int:
    """Return the 1-based line of the only line of `text` containing `fragment`."""
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(lines) == 1, f"{fragment!r} is on lines {lines}"
    return lines[0]


def failure(directory: Path) -> LocaleFileError:
    """Load locales that must fail, and return the error."""
    with pytest.raises(LocaleFileError) as caught:
        load_locales(directory)
    return caught.value


def test_a_missing_message_names_the_messages_line(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "es.yaml", '  reprompt: "Disculpe, no le entendí."\n', "")
    error = failure(directory)
    assert (error.path, error.line) == (directory / "es.yaml", line_of(text, "messages:"))
    assert error.reason == "missing required field 'reprompt'"


def test_a_misspelt_message_key_is_unknown(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "en.yaml", "  reprompt:", "  reprompt_:")
    error = failure(directory)
    assert (error.line, error.reason) == (line_of(text, "reprompt_:"), "unknown field 'reprompt_'")


def test_a_message_that_hides_the_sender_is_refused(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(
        directory / "en.yaml", '"{agency}: this survey has closed.', '"This survey has closed.'
    )
    error = failure(directory)
    assert error.line == line_of(text, "This survey has closed.")
    assert error.reason.startswith("'expired' must name the sender with {agency}, not ")


def test_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "es.yaml", "De acuerdo, seguimos", "{agencia}: seguimos")
    error = failure(directory)
    assert error.line == line_of(text, "{agencia}")
    assert error.reason.startswith("'language_switched' uses unknown placeholder {agencia}")


def test_placeholders_must_match_across_locales(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "es.yaml", "Gracias por su tiempo.", "Gracias, {complaints}.")
    error = failure(directory)
    assert (error.path, error.line) == (directory / "es.yaml", line_of(text, "{complaints}"))
    assert error.reason.startswith(
        "'expired' uses {agency}, {complaints} but en.yaml uses {agency}"
    )


def test_the_file_name_must_be_the_code(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    (directory / "es.yaml").rename(directory / "sp.yaml")
    error = failure(directory)
    assert (error.path, error.line) == (directory / "sp.yaml", 4)
    assert error.reason == "code 'es' does not match the file name 'sp.yaml'"


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "en.yaml", "  hint_skip:", "   hint_skip:")
    error = failure(directory)
    assert error.line == line_of(text, "   hint_skip:")
    assert error.reason.startswith("YAML syntax error: ")


def test_a_stop_word_list_must_not_be_empty(tmp_path: Path) -> None:
    directory = copy_locales(tmp_path)
    text = edit(directory / "es.yaml", "  stop: [alto,", "  stop: []\n  # [alto,")
    error = failure(directory)
    assert (error.line, error.reason) == (line_of(text, "stop: []"), "'stop' must not be empty")
