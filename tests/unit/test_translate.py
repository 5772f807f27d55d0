"""The translator: deep-translator's real LibreTranslate code path against a local stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.config.settings import Settings
from bot.errors import ConfigError
from bot.i18n.translate import CachingTranslator, DeepTranslator, make_translator
from bot.ports import TranslationError, Translator
from bot.services.translations import backoff, retry_intervals, same_language
from tests.standins import LibreStandIn, libre_standin


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in."""
    with libre_standin() as standin:
        yield standin


def _libre(standin: LibreStandIn, **changes: object) -> Translator:
    """Build the configured translator pointed at the stand-in."""
    settings = Settings(translator="libre", translator_url=standin.url, **changes)
    translator = make_translator(settings)
    assert translator is not None
    return translator


def test_libre_translation_goes_through_deep_translator_to_the_server(libre: LibreStandIn) -> None:
    libre.known["El agente fue amable"] = "The officer was kind"
    translator = _libre(libre)

    assert translator.name == "libre"
    assert translator.translate("El agente fue amable", "es", "en") == "The officer was kind"
    assert libre.calls == [
        {
            "q": "El agente fue amable",
            "source": "es",
            "target": "en",
            "format": "text",
            # deep-translator insists on a key; a self-hosted instance without keys ignores it.
            "api_key": "parley-no-key",
        }
    ]


def test_the_configured_key_is_sent(libre: LibreStandIn) -> None:
    _libre(libre, translator_api_key="k-123").translate("Hola", "es", "en")

    assert libre.calls[0]["api_key"] == "k-123"


def test_a_language_the_provider_does_not_list_is_detected_by_it(libre: LibreStandIn) -> None:
    # deep-translator's LibreTranslate table has no Somali: the server is asked to detect.
    _libre(libre).translate("Sarkaalku wuu i dhegeystay", "so", "en")
    _libre(libre).translate("Bonjour", None, "en")

    assert [call["source"] for call in libre.calls] == ["auto", "auto"]


def test_a_hanging_server_is_cut_off_by_the_timeout(libre: LibreStandIn) -> None:
    libre.hangs = 1
    translator = _libre(libre, translator_timeout_seconds=0.3)

    started = time.monotonic()
    with pytest.raises(TranslationError) as caught:
        translator.translate("Hola, ¿me oyen?", "es", "en")

    assert time.monotonic() - started < 3
    assert str(caught.value) == "libre: ReadTimeout"
    # The next call is answered normally: nothing was left stuck.
    assert translator.translate("Hola, ¿me oyen?", "es", "en").endswith("¿me oyen?")


def test_a_server_error_becomes_a_translation_error_without_the_text(libre: LibreStandIn) -> None:
    libre.failures = [500]

    with pytest.raises(TranslationError) as caught:
        _libre(libre).translate("Mi número es 555-0199", "es", "en")

    assert str(caught.value) == "libre: ServerException"
    # Nothing a log or a job queue's stored traceback could show carries the resident's words.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_an_unreachable_server_is_a_translation_error() -> None:
    with libre_standin() as gone:
        url = gone.url
    translator = make_translator(Settings(translator="libre", translator_url=url))
    assert translator is not None

    with pytest.raises(TranslationError, match=r"^libre: ConnectionError$"):
        translator.translate("Hola", "es", "en")


def test_the_timeout_is_only_applied_inside_a_translation(libre: LibreStandIn) -> None:
    import deep_translator.libre

    _libre(libre).translate("Hola", "es", "en")
    wrapped = vars(deep_translator.libre)["requests"]

    # Outside our calls the wrapper adds nothing: anyone else's use of the module is unchanged.
    assert wrapped._bounded({}) == {}
    assert wrapped.exceptions.Timeout.__name__ == "Timeout"


def test_repeated_texts_are_answered_from_memory(libre: LibreStandIn) -> None:
    translator = _libre(libre)

    first = translator.translate("Gracias", "es", "en")
    again = translator.translate("Gracias", "es", "en")
    other_target = translator.translate("Gracias", "es", "fr")

    assert first == again
    assert other_target != first
    assert [call["target"] for call in libre.calls] == ["en", "fr"]


class _Counting:
    """A translator that counts its calls."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, text: str, source: str | None, target: str) -> str:
        self.calls += 1
        return text.upper()


def test_the_memory_cache_forgets_the_least_recently_used() -> None:
    inner = _Counting()
    cache = CachingTranslator(inner, size=2)

    cache.translate("a", "es", "en")
    cache.translate("b", "es", "en")
    cache.translate("a", "es", "en")  # a is now the most recent
    cache.translate("c", "es", "en")  # evicts b
    cache.translate("a", "es", "en")
    cache.translate("b", "es", "en")

    assert inner.calls == 4
    assert cache.name == "counting"


def test_no_translator_unless_an_agency_chooses_one() -> None:
    assert Settings().translator == "none"
    assert make_translator(Settings()) is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"translator": "babelfish"}, "unknown provider"),
        ({"translator": "microsoft"}, "needs TRANSLATOR_API_KEY"),
        ({"translator": "deepl"}, "needs TRANSLATOR_API_KEY"),
        ({"translator": "libre"}, "needs TRANSLATOR_URL"),
        (
            {"translator": "libre", "translator_url": "http://x", "translator_timeout_seconds": 0},
            "positive",
        ),
        (
            {"translator": "deepl", "translator_api_key": "k:fx", "agency_language": "vi"},
            "cannot translate into",
        ),
    ],
)
def test_unusable_translator_settings_stop_start_up(
    changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(ConfigError, match=reason):
        make_translator(Settings(**changes))


def test_provider_spellings_of_our_languages() -> None:
    google = DeepTranslator("google", Settings(translator="google"))
    libre = DeepTranslator("libre", Settings(translator="libre", translator_url="http://x"))

    # Our "zh" is Simplified Chinese, which Google spells zh-CN.
    assert google.can_translate_into("zh")
    assert google.can_translate_into("so")
    assert libre.can_translate_into("zh")
    assert not libre.can_translate_into("ht")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, ("en", "none", "", 10.0, "")),
        (
            {
                "AGENCY_LANGUAGE": "es",
                "TRANSLATOR": " Libre ",
                "TRANSLATOR_URL": "http://translate.internal:5000",
                "TRANSLATOR_TIMEOUT_SECONDS": "2.5",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
            },
            ("es", "libre", "http://translate.internal:5000", 2.5, "redis://127.0.0.1:6379/0"),
        ),
    ],
)
def test_translation_settings_are_read_from_the_environment(
    environ: dict[str, str], expected: tuple[object, ...]
) -> None:
    settings = Settings.from_env(environ)

    assert (
        settings.agency_language,
        settings.translator,
        settings.translator_url,
        settings.translator_timeout_seconds,
        settings.redis_url,
    ) == expected


@pytest.mark.parametrize(
    "environ",
    [
        {"TRANSLATOR": "babelfish"},
        {"AGENCY_LANGUAGE": "English"},
        {"TRANSLATOR_TIMEOUT_SECONDS": "0"},
        {"TRANSLATOR_TIMEOUT_SECONDS": "soon"},
        {"REDIS_URL": "http://127.0.0.1:6379"},
        {"TRANSLATOR_URL": "translate.internal:5000"},
    ],
)
def test_bad_translation_settings_are_refused(environ: dict[str, str]) -> None:
    name = next(iter(environ))
    with pytest.raises(ConfigError, match=f"^{name}: "):
        Settings.from_env(environ)


def test_backoff_schedule() -> None:
    waits = [backoff(attempt) for attempt in range(1, 11)]

    assert waits[:5] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
    ]
    assert set(waits[5:]) == {timedelta(hours=6)}
    assert retry_intervals() == [60, 300, 1800, 7200, 21600]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("en", "en", True), ("zh", "zh-CN", True), ("EN", "en-us", True), ("es", "en", False)],
)
def test_same_language(a: str, b: str, same: bool) -> None:
    assert same_language(a, b) is same
    assert same_language(a, None) is False
