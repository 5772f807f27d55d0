"""DELETE in all thirteen shipped locales: every language's erase words match as the whole
message, answers that mention deleting do not, no erase word is a word Parley reads otherwise,
the confirmation names the language's own YES and NO, and the strict reading of that answer."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.keywords import BUILT_IN, ERASE, KeywordHit, match_keyword
from bot.engine.locale import system_message
from bot.engine.model import Flow, Locale
from bot.engine.padding import confirmation
from bot.engine.text import normalise, placeholders
from bot.flows.files import load_flows
from bot.flows.locales import load_locales
from bot.i18n.sms import is_gsm7, segments

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt", "zh-Hant")
VALUES = Settings().placeholder_values
MESSAGES = ("erase_confirm", "erase_done", "erase_kept")


@cache
def shipped() -> dict[str, Locale]:
    """Load the shipped locales once, checked against locales/schema.json as at start-up."""
    return load_locales(ROOT / "locales")


def every() -> tuple[Locale, ...]:
    """Return every shipped locale, as the services pass them."""
    return tuple(shipped().values())


def erase_words() -> list[tuple[str, str]]:
    """List (language, word) for every shipped locale's erase keywords."""
    return [
        (c, w) for c, locale in sorted(shipped().items()) for w in sorted(locale.keywords[ERASE])
    ]


def test_every_language_lists_erase_words() -> None:
    assert sorted(shipped()) == sorted(LANGUAGES)
    for locale in shipped().values():
        assert locale.keywords.get(ERASE), locale.code


@pytest.mark.parametrize(("language", "word"), erase_words())
def test_each_language_s_erase_words_match_in_that_language(language: str, word: str) -> None:
    expected = KeywordHit(kind=ERASE, language=language)
    if language == "en" and word in BUILT_IN[ERASE]:
        expected = KeywordHit(kind=ERASE, language="en")
    assert match_keyword(word, every()) == expected
    assert match_keyword(f" {word.upper()}! ", every()) == expected


# As residents type them: capitals, accents or none, punctuation.
WRITTEN = [
    ("en", "DELETE"),
    ("en", "Delete my data."),
    ("en", "ERASE"),
    ("es", "BORRAR"),
    ("es", "Borrar mis datos"),
    ("es", "ELIMINAR"),
    ("fr", "SUPPRIMER"),
    ("fr", "Effacer"),
    ("pt", "APAGAR"),
    ("pt", "excluir"),
    ("zh", "删除"),
    ("zh-Hant", "刪除"),
    ("ar", "حذف"),
    ("ru", "УДАЛИТЬ"),
    ("ko", "삭제"),
    ("vi", "XÓA"),
    ("vi", "XOA"),
    ("ht", "EFASE"),
    ("so", "TIRTIR"),
    ("tl", "BURAHIN"),
]


@pytest.mark.parametrize(("language", "text"), WRITTEN)
def test_delete_as_residents_write_it(language: str, text: str) -> None:
    assert match_keyword(text, every()) == KeywordHit(kind=ERASE, language=language)


@pytest.mark.parametrize("language", ["none", *LANGUAGES])
def test_the_english_words_work_with_any_locales(language: str) -> None:
    chosen = () if language == "none" else (shipped()[language],)
    for text in ("DELETE", "erase my data"):
        assert match_keyword(text, chosen) == KeywordHit(kind=ERASE, language="en")


@pytest.mark.parametrize(
    "text",
    [
        "he deleted the video",
        "delete the bodycam footage he took",
        "the officer told me to delete the photo",
        "erased",
        "please delete",  # not a stop: "delete" is no stop word, and erase takes no filler
        "borrar la cinta",
        "il a supprimé la vidéo",
        "他删除了视频",
    ],
)
def test_answers_that_mention_deleting_are_not_erase_requests(text: str) -> None:
    found = match_keyword(text, every())
    assert found is None or found.kind != ERASE, found


def test_stop_still_wins_beside_delete() -> None:
    assert match_keyword("STOP", every()) == KeywordHit(kind="stop", language="en")
    assert match_keyword("stop texting me and delete", every()) == KeywordHit("stop", "en")


def taken_words() -> dict[str, set[str]]:
    """Map every word Parley reads as something other than erase to what it is."""
    taken: dict[str, set[str]] = defaultdict(set)
    for code, locale in shipped().items():
        for kind, keywords in locale.keywords.items():
            if kind != ERASE:
                for word in keywords:
                    taken[word].add(f"{code} {kind} keyword")
        answers = locale.yes | locale.no | locale.skip | set(locale.numbers)
        for word in answers | locale.filler | locale.names | locale.units:
            taken[normalise(word)].add(f"{code} answer, filler, name or unit")
    for kind, built_in in BUILT_IN.items():
        if kind != ERASE:
            for word in built_in:
                taken[word].add(f"built-in {kind}")
    for flow in load_flows(ROOT / "flows").values():
        _note_flow(taken, flow)
    return taken


def _note_flow(taken: dict[str, set[str]], flow: Flow) -> None:
    """Record a flow's start keywords, option labels, synonyms and skip words as taken."""
    words = [*(w for ws in flow.keywords.values() for w in ws)]
    for node in flow.nodes.values():
        for option in node.options:
            words += [*option.label.values(), *(w for ws in option.synonyms.values() for w in ws)]
        words += [w for ws in node.skip_words.values() for w in ws]
    for word in words:
        taken[normalise(word)].add(f"{flow.id} word")


def test_no_erase_word_is_any_other_word_parley_reads() -> None:
    taken = taken_words()
    ours = [*erase_words(), *(("built-in", word) for word in BUILT_IN[ERASE])]
    assert {f"{code}: {word}": sorted(taken[word]) for code, word in ours if word in taken} == {}


def test_no_two_languages_share_an_erase_word() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for code, word in erase_words():
        owners[word].add(code)
    assert {word: codes for word, codes in owners.items() if len(codes) > 1} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_messages_name_the_agency_and_fit_two_texts(language: str) -> None:
    for key in MESSAGES:
        template = shipped()[language].messages[key]
        assert placeholders(template) == {"agency"}, key
        text = system_message(shipped(), language, key, VALUES)
        assert VALUES["agency"] in text
        assert "http" not in text and "www." not in text
        assert segments(text) <= 2, (key, segments(text))
        if language in ("en", "es", "fr", "ht", "so", "tl"):
            assert is_gsm7(text), (key, sorted({c for c in text if not is_gsm7(c)}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_question_names_the_language_s_own_yes_and_no(language: str) -> None:
    locale = shipped()[language]
    text = normalise(locale.messages["erase_confirm"])
    assert any(word in text for word in locale.yes), "names a yes word"
    assert any(word in text for word in locale.no), "names a no word"
    assert "start" in normalise(locale.messages["erase_done"])


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("YES", True),
        ("Sí", True),
        ("oui!", True),
        ("是", True),
        ("نعم", True),
        ("no", False),
        ("NON", False),
        ("否", False),
        ("1", None),  # digits answer survey questions, not this one
        ("👍", None),
        ("yesss", None),
        ("yes but keep my answers", None),
        ("delete", None),
    ],
)
def test_only_a_yes_or_no_word_answers_the_question(text: str, verdict: bool | None) -> None:
    assert confirmation(text, every()) is verdict
