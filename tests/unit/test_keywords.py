"""Tests for bot.engine.keywords: global keywords in English and Spanish, and tricky non-matches."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine.keywords import BUILT_IN, KeywordHit, _memo_table, match_keyword
from tests.unit.engine_fixtures import locales

EN, _ES = locales().values()
# Spanish filler comes from the locale (locales/es.yaml); the test locale gets a few of its words.
ES = replace(_ES, filler=frozenset({"por favor", "ya", "gracias", "mensajes"}))
LOCALES = (EN, ES)


def hit(kind: str, language: str) -> KeywordHit:
    """Expect a keyword of this kind, recognised in this language."""
    return KeywordHit(kind=kind, language=language)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English, whole message, forgiving case, punctuation, spacing and emoji
        ("STOP", hit("stop", "en")),
        ("stop", hit("stop", "en")),
        ("stop.", hit("stop", "en")),
        (" Stop! ", hit("stop", "en")),
        ("STOP 🛑", hit("stop", "en")),
        ("ＳＴＯＰ", hit("stop", "en")),
        ("START", hit("start", "en")),
        ("help?", hit("help", "en")),
        ("Language", hit("language", "en")),
        # Spanish, whole message
        ("ALTO", hit("stop", "es")),
        ("Parar.", hit("stop", "es")),
        ("No más", hit("stop", "es")),
        ("no mas", hit("stop", "es")),
        ("¡Baja!", hit("stop", "es")),
        ("cancelar", hit("stop", "es")),
        ("inicio", hit("start", "es")),
        ("Alta", hit("start", "es")),
        ("AYUDA", hit("help", "es")),
        ("idioma", hit("language", "es")),
    ],
)
def test_whole_message_keywords(text: str, expected: KeywordHit) -> None:
    assert match_keyword(text, LOCALES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "STOPALL",
        "stop all",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
        "OPT OUT",
        "opt-out",
    ],
)
@pytest.mark.parametrize("locale_set", ["none", "es only", "both"])
def test_built_in_opt_outs_are_always_on(text: str, locale_set: str) -> None:
    chosen = {"none": (), "es only": (ES,), "both": LOCALES}[locale_set]
    assert match_keyword(text, chosen) == hit("stop", "en")


@pytest.mark.parametrize(("text", "kind"), [("START", "start"), ("UNSTOP", "start"),
                                            ("HELP", "help"), ("INFO", "help")])  # fmt: skip
def test_built_in_start_and_help_words_need_no_locale(text: str, kind: str) -> None:
    assert match_keyword(text, ()) == hit(kind, "en")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("please stop texting me", "en"),
        ("Please STOP texting me!!", "en"),
        ("stop sending me these messages", "en"),
        ("Unsubscribe me", "en"),
        ("I want to opt out of this", "en"),
        ("please don’t text me again, this is not ok and I will complain about it", "en"),
        ("remove me from your list", "en"),
        ("leave me alone", "en"),
        ("Stop please", "en"),
        ("please stop", "en"),
        ("STOP IT NOW", "en"),
        ("stop stop stop", "en"),
        ("cancel the survey", "en"),
        ("parar por favor", "es"),
        ("Alto ya", "es"),
        ("no más mensajes por favor", "es"),
        ("baja, gracias", "es"),
    ],
)
def test_opt_out_intent_inside_a_message(text: str, language: str) -> None:
    assert match_keyword(text, LOCALES) == hit("stop", language)


@pytest.mark.parametrize(
    "text",
    [
        # answers to questions are never keywords
        "no",
        "No!",
        "nope",
        "yes",
        "YES",
        "sí",
        "1",
        "2️⃣",
        "10",
        "skip",
        "omitir",
        "👍",
        "",
        "   ",
        # "stop" the noun, and words that merely contain a keyword
        "the traffic stop was fair",
        "Stop was handled well",
        "I was stopped for speeding",
        "he made me stop the car and was polite about it the whole time",
        "The officer was very helpful",
        "information was clear",
        "it started badly but ended well",
        "the weekend",
        "no más de cinco minutos",
        # stop words that are also answers opt out only alone
        "the end",
        "No más, gracias",
        "calidad muy baja",
        "un agente muy alto y amable",
        "Helpful and kind",
    ],
)
def test_ordinary_replies_are_not_keywords(text: str) -> None:
    assert match_keyword(text, LOCALES) is None


def test_yes_is_never_a_start_keyword() -> None:
    assert "yes" not in BUILT_IN["start"]
    assert match_keyword("YES", ()) is None


def test_locale_keywords_that_answer_questions_are_ignored() -> None:
    # A locale listing "no" or "1" as a stop word must not turn every "no" into an opt-out.
    careless = replace(EN, keywords={**EN.keywords, "stop": frozenset({"stop", "no", "1"})})
    assert match_keyword("no", (careless,)) is None
    assert match_keyword("1", (careless,)) is None
    assert match_keyword("stop", (careless,)) == hit("stop", "en")


def test_only_the_given_locales_keywords_are_known() -> None:
    assert match_keyword("parar", (EN,)) is None
    assert match_keyword("parar", (ES,)) == hit("stop", "es")


def test_stop_outranks_other_kinds() -> None:
    both = replace(ES, keywords={**ES.keywords, "help": frozenset({"alto"})})
    assert match_keyword("alto", (both,)) == hit("stop", "es")


def test_filler_comes_from_the_locales() -> None:
    no_filler = replace(ES, filler=frozenset())
    assert match_keyword("parar por favor", (EN, no_filler)) is None
    assert match_keyword("parar", (EN, no_filler)) == hit("stop", "es")
    assert match_keyword("parar por favor", (EN, ES)) == hit("stop", "es")


@pytest.mark.parametrize("text", ["stop please", "Please STOP now", "cancel it, thanks"])
def test_built_in_english_filler_needs_no_locale(text: str) -> None:
    assert match_keyword(text, ()) == hit("stop", "en")


def test_the_table_is_built_once_per_set_of_locales() -> None:
    assert _memo_table((EN, ES)) is _memo_table(tuple(locale for locale in (EN, ES)))
    polite = replace(ES, filler=ES.filler | {"porfa"})
    assert _memo_table((EN, polite)) is not _memo_table((EN, ES))
    assert match_keyword("alto porfa", (EN, polite)) == hit("stop", "es")
    assert match_keyword("alto porfa", (EN, ES)) is None
