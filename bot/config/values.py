"""Readers of environment values: each turns one setting's text into a value or a ConfigError."""

from __future__ import annotations

import re

from bot.errors import ConfigError


def flag(value: str) -> bool:
    """Read a yes/no environment value."""
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"expected true/false, got {value!r}")


def integer(value: str) -> int:
    """Read a whole-number environment value."""
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"expected a whole number, got {value!r}") from exc


def non_negative(value: str) -> int:
    """Read a whole number of zero or more (zero usually meaning "no limit")."""
    number = integer(value)
    if number < 0:
        raise ConfigError(f"expected 0 or more, got {value!r}")
    return number


TRANSLATORS = ("none", "google", "libre", "microsoft", "deepl")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def translator(value: str) -> str:
    """Read a translation provider's name."""
    name = value.strip().lower()
    if name not in TRANSLATORS:
        raise ConfigError(f"expected one of {', '.join(TRANSLATORS)}, got {value!r}")
    return name


def language(value: str) -> str:
    """Read a language code such as en, es or zh-CN."""
    code = value.strip()
    if not _LANGUAGE_CODE.fullmatch(code):
        raise ConfigError(f"expected a language code such as en or es, got {value!r}")
    return code


def seconds(value: str) -> float:
    """Read a positive number of seconds."""
    try:
        seconds = float(value)
    except ValueError as exc:
        raise ConfigError(f"expected a number of seconds, got {value!r}") from exc
    if not 0 < seconds <= 300:
        raise ConfigError(f"expected between 0 and 300 seconds, got {value!r}")
    return seconds


def http_url(value: str) -> str:
    """Read an http(s) URL, such as a self-hosted LibreTranslate's."""
    url = value.strip()
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(f"expected an http:// or https:// URL, got {value!r}")
    return url


def smtp_url(value: str) -> str:
    """Read an SMTP server's URL: smtp://user:password@host:port (smtps://: TLS at once)."""
    url = value.strip()
    if url and not re.match(r"smtps?://[^/?#]*[^/?#:@]", url):
        raise ConfigError("expected smtp://user:password@host:port or smtps://…")
    return url


def redis_url(value: str) -> str:
    """Read a Redis URL; empty means background work runs in-process."""
    url = value.strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"expected redis://, rediss:// or unix://, got {value!r}")
    return url


def secret_key(value: str) -> str:
    """Read the key that signs login cookies: long enough that it cannot be guessed."""
    key = value.strip()
    if key and len(key) < 32:
        hint = "python -c 'import secrets; print(secrets.token_hex(32))'"
        raise ConfigError(f"use at least 32 random characters, e.g. from {hint}")
    return key


def emergency_number(value: str) -> str:
    """Read the emergency number residents are told to call: digits, as dialled (911, 112)."""
    number = value.strip()
    if not re.fullmatch(r"[0-9]{2,6}", number):
        raise ConfigError(f"expected the number as dialled, such as 911 or 112, got {value!r}")
    return number


def auto_flag(value: str) -> bool | None:
    """Read true/false, or `auto` (None) to let Parley decide."""
    return None if value.strip().lower() in {"auto", ""} else flag(value)


def sender_rates(value: str) -> dict[str, float]:
    """Read per-number sending rates: `+15550100=1,+18005550100=3`."""
    from bot.scheduling.pacing import parse_rates

    try:
        return parse_rates(value)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def positive(value: str) -> float:
    """Read a positive number (hours, minutes, a count)."""
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"expected a positive number, got {value!r}") from exc
    if not 0 < number < 1_000_000:
        raise ConfigError(f"expected a positive number, got {value!r}")
    return number


def count(value: str) -> int:
    """Read a whole number of at least one."""
    number = integer(value)
    if number < 1:
        raise ConfigError(f"expected 1 or more, got {value!r}")
    return number


# How logs are written (bot/logs.py): plain text lines, or one JSON object per line.
LOG_FORMATS = ("text", "json")


def log_format(value: str) -> str:
    """Read LOG_FORMAT: text or json."""
    name = value.strip().lower()
    if name not in LOG_FORMATS:
        raise ConfigError(f"expected one of {', '.join(LOG_FORMATS)}, got {value!r}")
    return name
