"""Machine translation through deep-translator: one provider, a timeout, an in-memory cache.

deep-translator calls `requests.get`/`requests.post` with no timeout, so a provider that
stops answering would hold a worker forever. Each provider module's `requests` is swapped
for a thin wrapper that adds the timeout of the call in progress (a ContextVar, unset for
anyone else), so the provider's own code path runs unchanged but bounded.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

from bot.errors import ConfigError
from bot.ports import TranslationError, Translator

log = logging.getLogger(__name__)

AUTO = "auto"
CACHE_SIZE = 1024
# deep-translator refuses to build a LibreTranslator without a key, even for a self-hosted
# instance that needs none; LibreTranslate ignores the key when its API keys are off.
NO_KEY = "parley-no-key"
LIBRE_PUBLIC_URL = "https://libretranslate.com/"

_timeout: ContextVar[float | None] = ContextVar("parley_translate_timeout", default=None)


class _TimedRequests:
    """Stand in for the `requests` module inside a provider module, adding our timeout."""

    def __init__(self, real: ModuleType) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        """Pass everything else (exceptions, sessions) through to `requests`."""
        return getattr(self.real, name)

    def get(self, url: str, **kwargs: Any) -> Any:
        """Send a GET with the current call's timeout."""
        return self.real.get(url, **self._bounded(kwargs))

    def post(self, url: str, **kwargs: Any) -> Any:
        """Send a POST with the current call's timeout."""
        return self.real.post(url, **self._bounded(kwargs))

    @staticmethod
    def _bounded(kwargs: dict[str, Any]) -> dict[str, Any]:
        """Add the timeout of the translation in progress, unless the caller chose one."""
        timeout = _timeout.get()
        if timeout is not None:
            kwargs.setdefault("timeout", timeout)
        return kwargs


_install_lock = threading.Lock()


def _bounded_module(module_name: str) -> ModuleType:
    """Import a deep-translator provider module with its HTTP calls bounded by our timeout."""
    module = importlib.import_module(module_name)
    namespace = vars(module)
    with _install_lock:
        if not isinstance(namespace["requests"], _TimedRequests):
            namespace["requests"] = _TimedRequests(namespace["requests"])
    return module


class TranslatorSettings(Protocol):
    """The settings a translator is built from (Settings has them all)."""

    @property
    def translator(self) -> str:
        """The provider's name, or none."""

    @property
    def translator_url(self) -> str:
        """The provider's address (LibreTranslate), if not its default."""

    @property
    def translator_api_key(self) -> str:
        """The provider's key, if it needs one."""

    @property
    def translator_region(self) -> str:
        """The provider's region (Azure), if any."""

    @property
    def translator_timeout_seconds(self) -> float:
        """How long one call may take."""

    @property
    def agency_language(self) -> str:
        """The language answers are translated into."""


@dataclass(frozen=True)
class Provider:
    """How to build one deep-translator class: its module, class, arguments and codes."""

    module: str
    cls: str
    # Our language codes the provider spells differently (zh is Simplified Chinese, zh-Hant
    # Traditional).
    aliases: Mapping[str, str]
    # The provider's language codes, when deep-translator knows them without a network call.
    codes: str | None
    arguments: Callable[[TranslatorSettings], dict[str, Any]]


def _libre_arguments(settings: TranslatorSettings) -> dict[str, Any]:
    """Point LibreTranslate at the agency's own instance, or the public one with a key."""
    url = settings.translator_url or LIBRE_PUBLIC_URL
    # deep-translator appends "translate" to the URL as it is.
    return {"custom_url": url.rstrip("/") + "/", "api_key": settings.translator_api_key or NO_KEY}


def _microsoft_arguments(settings: TranslatorSettings) -> dict[str, Any]:
    """Pass the Azure key and, for regional resources, the region."""
    return {"api_key": settings.translator_api_key, "region": settings.translator_region or None}


def _deepl_arguments(settings: TranslatorSettings) -> dict[str, Any]:
    """Pass the DeepL key; keys of the free plan end in ':fx' and use the free host."""
    key = settings.translator_api_key
    return {"api_key": key, "use_free_api": key.endswith(":fx")}


PROVIDERS: dict[str, Provider] = {
    "google": Provider(
        "deep_translator.google",
        "GoogleTranslator",
        {"zh": "zh-CN", "zh-Hant": "zh-TW"},
        "GOOGLE_LANGUAGES_TO_CODES",
        lambda settings: {},
    ),
    "libre": Provider(
        "deep_translator.libre",
        "LibreTranslator",
        {},
        "LIBRE_LANGUAGES_TO_CODES",
        _libre_arguments,
    ),
    # Microsoft's codes come from its API, fetched when a translator is built.
    "microsoft": Provider(
        "deep_translator.microsoft",
        "MicrosoftTranslator",
        {"zh": "zh-hans", "zh-Hant": "zh-hant", "tl": "fil"},
        None,
        _microsoft_arguments,
    ),
    "deepl": Provider(
        "deep_translator.deepl",
        "DeeplTranslator",
        {},
        "DEEPL_LANGUAGE_TO_CODE",
        _deepl_arguments,
    ),
}

NEEDS_KEY = frozenset({"microsoft", "deepl"})


class DeepTranslator:
    """Translate with one deep-translator provider; every failure becomes TranslationError."""

    def __init__(self, name: str, settings: TranslatorSettings) -> None:
        self.name = name
        self._provider = PROVIDERS[name]
        self._arguments = self._provider.arguments(settings)
        self._timeout = settings.translator_timeout_seconds
        self._module = _bounded_module(self._provider.module)
        self._known = self._known_codes()

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Return `text` in `target`; raise TranslationError when the provider fails."""
        token = _timeout.set(self._timeout)
        try:
            # Built per call: deep-translator objects keep per-request state and are not
            # safe to share between worker threads.
            cls = getattr(self._module, self._provider.cls)
            engine = cls(source=self._source(source), target=self._code(target), **self._arguments)
            result = engine.translate(text)
        except Exception as exc:
            # deep-translator raises its own errors, requests' errors, and (Microsoft, after
            # a network error) AttributeError. Only the type is kept, unchained: their
            # messages quote the text or a URL carrying it, and a job queue stores tracebacks.
            raise TranslationError(f"{self.name}: {type(exc).__name__}") from None
        finally:
            _timeout.reset(token)
        if not isinstance(result, str) or not result.strip():
            raise TranslationError(f"{self.name}: empty translation")
        return result

    def can_translate_into(self, language: str) -> bool:
        """Say whether the provider lists `language` (True when only its API knows)."""
        return self._known is None or self._code(language) in self._known

    def _known_codes(self) -> frozenset[str] | None:
        """Return the language codes deep-translator knows for this provider, if listed."""
        if self._provider.codes is None:
            return None
        constants = importlib.import_module("deep_translator.constants")
        return frozenset(getattr(constants, self._provider.codes).values())

    def _code(self, language: str) -> str:
        """Spell one of our language codes the provider's way."""
        return self._provider.aliases.get(language, language)

    def _source(self, language: str | None) -> str:
        """Name the source language, or let the provider detect one it does not list."""
        if language is None:
            return AUTO
        code = self._code(language)
        if self._known is not None and code not in self._known:
            return AUTO
        return code


class CachingTranslator:
    """Remember recent translations in memory, so repeated texts cost no provider call."""

    def __init__(self, inner: Translator, size: int = CACHE_SIZE) -> None:
        self.name = inner.name
        self._inner = inner
        self._size = size
        self._entries: OrderedDict[tuple[str, str | None, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Return a remembered translation, or ask the provider and remember its answer."""
        key = (text, source, target)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        # The provider call runs outside the lock: other threads keep translating meanwhile.
        translated = self._inner.translate(text, source, target)
        with self._lock:
            self._entries[key] = translated
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return translated


def check_translator(settings: TranslatorSettings) -> None:
    """Refuse to start with a provider that cannot work as configured."""
    name = settings.translator
    if name != "none" and name not in PROVIDERS:
        raise ConfigError(f"TRANSLATOR: unknown provider {name!r}")
    if name in NEEDS_KEY and not settings.translator_api_key:
        raise ConfigError(f"TRANSLATOR={name} needs TRANSLATOR_API_KEY")
    if name == "libre" and not (settings.translator_url or settings.translator_api_key):
        raise ConfigError(
            "TRANSLATOR=libre needs TRANSLATOR_URL (your own LibreTranslate) "
            "or TRANSLATOR_API_KEY (libretranslate.com)"
        )
    if not settings.translator_timeout_seconds > 0:
        raise ConfigError("TRANSLATOR_TIMEOUT_SECONDS must be positive")


def make_translator(settings: TranslatorSettings) -> Translator | None:
    """Build the configured translator (None when TRANSLATOR=none); no network call here."""
    check_translator(settings)
    if settings.translator == "none":
        return None
    translator = DeepTranslator(settings.translator, settings)
    if not translator.can_translate_into(settings.agency_language):
        raise ConfigError(
            f"TRANSLATOR={settings.translator} cannot translate into "
            f"AGENCY_LANGUAGE={settings.agency_language}"
        )
    log.info("free-text answers translated by %s", settings.translator)
    return CachingTranslator(translator)
