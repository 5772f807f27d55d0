"""NOSURVEY in all twelve shipped locales: every language's words, the built-in ASCII ones, what
wins beside STOP, no collision with any other word Parley reads, and the confirmation text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.engine.keywords import BUILT_IN, NOSURVEY, KeywordHit, match_keyword
from bot.engine.locale import system_message
from bot.engine.model import Flow, Locale
from bot.engine.text import normalise, placeholders
from bot.flows.files import load_flows
from bot.flows.locales import load_locales
from bot.i18n.sms import is_gsm7, segments

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "es", "zh", "vi", "tl", "ar", "ko", "ru", "ht", "so", "fr", "pt", "zh-Hant")
VALUES = Settings().placeholder_values


@cache
def shipped() -> dict[str, Locale]:
    """Load the shipped locales once, checked against locales/schema.json as at start-up."""
    return load_locales(ROOT / "locales")


@cache
def flows() -> dict[str, Flow]:
    """Load the shipped flows once: their answer words must never be keywords."""
    return load_flows(ROOT / "flows")


def every() -> tuple[Locale, ...]:
    """Return every shipped locale, as the services pass them."""
    return tuple(shipped().values())


def hit(kind: str, language: str) -> KeywordHit:
    """Expect a keyword of this kind, recognised in this language."""
    return KeywordHit(kind=kind, language=language)


def nosurvey_words() -> Iterator[tuple[str, str]]:
    """Yield (language, word) for every shipped locale's nosurvey keywords."""
    for code, locale in sorted(shipped().items()):
        for word in sorted(locale.keywords[NOSURVEY]):
            yield code, word


def test_every_language_lists_nosurvey_words() -> None:
    assert sorted(shipped()) == sorted(LANGUAGES)
    for locale in shipped().values():
        assert locale.keywords.get(NOSURVEY), locale.code


@pytest.mark.parametrize(("language", "word"), list(nosurvey_words()))
def test_each_language_s_nosurvey_words_match_in_that_language(language: str, word: str) -> None:
    assert match_keyword(word, every()) == hit(NOSURVEY, language)
    assert match_keyword(word.upper(), every()) == hit(NOSURVEY, language)


# (language, message as a resident types it): written words, capitals, accents or none,
# punctuation, and the language's own filler around them.
WRITTEN = [
    ("en", "No more surveys!"),
    ("en", "no more surveys please"),
    ("en", "Please stop surveying me."),
    ("es", "NOENCUESTA"),
    ("es", "No más encuestas, gracias"),
    ("es", "no mas encuestas por favor"),
    ("zh", "请不要调查"),
    ("zh", "不要问卷，谢谢"),
    ("vi", "Không khảo sát nữa!"),
    ("vi", "khong khao sat"),
    ("tl", "Ayoko na ng survey po"),
    ("ar", "لا أريد استبيانات، شكرا"),
    ("ko", "설문거부해주세요"),
    ("ru", "Без опросов, пожалуйста"),
    ("ht", "Pa voye sondaj ankò tanpri"),
    ("so", "Sahan ma rabo, mahadsanid"),
    ("fr", "Pas de sondage svp"),
    ("fr", "PLUS D'ENQUETES"),
    ("pt", "Não quero mais pesquisas, obrigado"),
    ("pt", "chega de pesquisa por favor"),
]


@pytest.mark.parametrize(("language", "text"), WRITTEN)
def test_nosurvey_as_residents_write_it(language: str, text: str) -> None:
    assert match_keyword(text, every()) == hit(NOSURVEY, language)


BUILT_IN_TEXTS = ["NOSURVEY", "nosurvey", "No Survey!", "NOSURVEY.", " no-survey ", "NO SURVEYS"]


@pytest.mark.parametrize("text", BUILT_IN_TEXTS)
@pytest.mark.parametrize("language", ["none", *LANGUAGES])
def test_the_ascii_words_work_with_any_locales(text: str, language: str) -> None:
    chosen = () if language == "none" else (shipped()[language],)
    assert match_keyword(text, chosen) == hit(NOSURVEY, "en")
    assert match_keyword(text, every()) == hit(NOSURVEY, "en")


@pytest.mark.parametrize("text", ["nosurvey please", "No survey, thanks!", "ok no survey"])
def test_the_ascii_words_take_built_in_filler(text: str) -> None:
    assert match_keyword(text, ()) == hit(NOSURVEY, "en")


# Stop words that ask for no texts at all stay stop, whatever they are said about.
@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop survey",
        "Stop the survey",
        "cancel the survey",
        "stop texting me surveys",
        "STOP NOSURVEY",
        "nosurvey stop",
        "no survey, stop texting me",
        "unsubscribe",
    ],
)
def test_stop_wins_when_a_message_says_stop(text: str) -> None:
    found = match_keyword(text, every())
    assert found is not None and found.kind == "stop"


def test_a_nosurvey_word_is_never_an_answer_a_stop_keyword_makes() -> None:
    # "no more" is an English stop word, "surveys" English filler: the whole phrase names
    # surveys, so it is nosurvey, while "no more" alone stays stop.
    assert match_keyword("no more surveys", every()) == hit(NOSURVEY, "en")
    assert match_keyword("no more", every()) == hit("stop", "en")
    assert match_keyword("no más", every()) == hit("stop", "es")


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "survey",
        "the survey was fine",
        "no complaints about the survey",
        "the officer said there was no survey",
        "encuesta",
        "sondage",
        "调查",
        "khảo sát",
        "опрос",
    ],
)
def test_ordinary_replies_are_not_nosurvey(text: str) -> None:
    assert match_keyword(text, every()) is None


def taken_words() -> dict[str, set[str]]:
    """Map every word Parley reads as something other than nosurvey to what it is, and where."""
    taken: dict[str, set[str]] = defaultdict(set)
    for code, locale in shipped().items():
        for kind, keywords in locale.keywords.items():
            if kind != NOSURVEY:
                _note(taken, keywords, f"{code} {kind} keyword")
        answers = locale.yes | locale.no | locale.skip | set(locale.numbers)
        _note(taken, answers, f"{code} answer word")
        _note(taken, locale.filler | locale.names | locale.units, f"{code} filler, name or unit")
    for kind, built_in in BUILT_IN.items():
        if kind != NOSURVEY:
            _note(taken, built_in, f"built-in {kind} keyword")
    for flow in flows().values():
        _note_flow(taken, flow)
    return taken


def _note_flow(taken: dict[str, set[str]], flow: Flow) -> None:
    """Record a flow's start keywords, option labels, synonyms and skip words as taken."""
    for words in flow.keywords.values():
        _note(taken, words, f"{flow.id} start keyword")
    for node in flow.nodes.values():
        for option in node.options:
            _note(taken, option.label.values(), f"{flow.id} option label")
            for synonyms in option.synonyms.values():
                _note(taken, synonyms, f"{flow.id} option synonym")
        for skip in node.skip_words.values():
            _note(taken, skip, f"{flow.id} skip word")


def _note(taken: dict[str, set[str]], words: Iterable[str], what: str) -> None:
    """Record each word, normalised, as taken by `what`."""
    for word in words:
        taken[normalise(word)].add(what)


def collisions(ours: Mapping[str, str]) -> dict[str, list[str]]:
    """Return each of `ours` (word -> its language) that Parley already reads as something else."""
    taken = taken_words()
    return {f"{code}: {word}": sorted(taken[word]) for word, code in ours.items() if word in taken}


def test_no_nosurvey_word_is_any_other_word_parley_reads() -> None:
    ours = {word: code for code, word in nosurvey_words()}
    ours.update(dict.fromkeys(BUILT_IN[NOSURVEY], "built-in"))
    assert collisions(ours) == {}


def test_the_collision_check_finds_careless_words() -> None:
    careless = {"no": "en", "encuesta": "es", "cuatro": "es", "ayuda": "es", "por favor": "es"}
    assert sorted(collisions(careless)) == sorted(
        f"{code}: {word}" for word, code in careless.items()
    )


def test_no_two_languages_share_a_nosurvey_word() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for code, word in nosurvey_words():
        owners[word].add(code)
    assert {word: codes for word, codes in owners.items() if len(codes) > 1} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_renders_in_every_language(language: str) -> None:
    template = shipped()[language].messages["nosurvey_confirm"]
    assert placeholders(template) == {"agency"}
    text = system_message(shipped(), language, "nosurvey_confirm", VALUES)
    assert VALUES["agency"] in text
    assert "{" not in text and "}" not in text
    # One segment where the script allows it: Latin-script texts stay in GSM-7.
    if language in ("en", "es", "fr", "pt", "tl", "ht", "so"):
        assert is_gsm7(text)
        assert segments(text) == 1
    else:
        assert segments(text) <= 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["reminder", "expired"])
def test_reminder_and_expired_name_the_agency_everywhere(language: str, key: str) -> None:
    text = system_message(shipped(), language, key, VALUES)
    assert text.startswith(VALUES["agency"])
    assert "{" not in text


def test_a_word_listed_as_stop_and_nosurvey_is_stop() -> None:
    es = shipped()["es"]
    both = replace(es, keywords={**es.keywords, "stop": es.keywords["stop"] | {"no encuesta"}})
    assert match_keyword("no encuesta", (both,)) == hit("stop", "es")
    assert match_keyword("no encuesta", (es,)) == hit(NOSURVEY, "es")
