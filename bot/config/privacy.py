"""The keys residents' contact details are encrypted and hashed with (DATA_KEY, ADDRESS_HASH_KEY).

Production (any DATABASE_URL but the embedded default) must set both: a missing key stops
start-up with the variable's name. On the embedded default (the quick start) a missing key is
generated once into instance/parley-keys, with a warning, so `scripts/start` works with no
environment and keeps its residents readable across restarts.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import NamedTuple, Protocol

from bot.errors import ConfigError

log = logging.getLogger(__name__)

KEY_BYTES = 32
DATA_KEY = "DATA_KEY"
ADDRESS_HASH_KEY = "ADDRESS_HASH_KEY"
# Where the embedded default keeps the keys it generated, one `NAME=value` per line.
DEV_KEYS_FILE = "parley-keys"
_HINT = "generate one with `.venv/bin/python -m bot keys generate`"


class ContactKeys(NamedTuple):
    """The data keys (the first seals, all open) and the address hash key, as raw bytes."""

    data_keys: tuple[bytes, ...]
    hash_key: bytes


def new_key() -> str:
    """Return a fresh random key, written as URL-safe base64 of 32 bytes."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _decode(text: str) -> bytes:
    """Decode one key; raise ConfigError unless it is base64 of 32 bytes."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise ConfigError(f"a key must be URL-safe base64 text; {_HINT}") from None
    if len(raw) != KEY_BYTES:
        raise ConfigError(f"a key must be {KEY_BYTES} bytes (got {len(raw)}); {_HINT}")
    return raw


def data_keys(value: str) -> tuple[str, ...]:
    """Read DATA_KEY: the current key, then older ones still readable ("new,old")."""
    keys = tuple(part.strip() for part in value.split(",") if part.strip())
    decoded = [_decode(key) for key in keys]
    if len(set(decoded)) != len(decoded):
        raise ConfigError("a key is listed twice")
    return keys


def hash_key(value: str) -> str:
    """Read ADDRESS_HASH_KEY: the one key addresses are hashed with for look-ups."""
    key = value.strip()
    if key:
        _decode(key)
    return key


def retention_days(value: str) -> int:
    """Read RETENTION_DAYS: the days after a survey ends before its contact details go."""
    try:
        days = int(value)
    except ValueError:
        raise ConfigError(f"expected a whole number of days, got {value!r}") from None
    if days < 1:
        raise ConfigError(f"contact details are kept at least 1 day after a survey, got {days}")
    return days


class KeySettings(Protocol):
    """The settings the keys come from (bot.config.settings.Settings)."""

    @property
    def data_keys(self) -> tuple[str, ...]:
        """Return DATA_KEY's keys, the current one first."""
        ...

    @property
    def address_hash_key(self) -> str:
        """Return ADDRESS_HASH_KEY."""
        ...

    @property
    def dev_keys_dir(self) -> Path | None:
        """Return where development keys live (None in production)."""
        ...


def contact_keys(settings: KeySettings) -> ContactKeys:
    """Return the keys to use: those set, else (on the embedded default only) instance/'s own.

    In production (no development directory) a missing key is a ConfigError naming it.
    """
    given_data, given_hash = settings.data_keys, settings.address_hash_key
    instance = settings.dev_keys_dir
    if (not given_data or not given_hash) and instance is not None:
        path = instance / DEV_KEYS_FILE
        stored = _dev_keys(path)
        log.warning("contact details are encrypted with the development keys in %s", path)
        given_data = given_data or (stored[DATA_KEY],)
        given_hash = given_hash or stored[ADDRESS_HASH_KEY]
    if not given_data:
        raise ConfigError(f"{DATA_KEY}: set the key contact details are encrypted with; {_HINT}")
    if not given_hash:
        raise ConfigError(f"{ADDRESS_HASH_KEY}: set the key addresses are hashed with; {_HINT}")
    return ContactKeys(tuple(_decode(key) for key in given_data), _decode(given_hash))


def _dev_keys(path: Path) -> dict[str, str]:
    """Read the development keys from `path`, generating the file once when it is missing."""
    if not path.exists():
        _create_dev_keys(path)
    stored: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        stored[name.strip()] = value.strip()
    if not stored.get(DATA_KEY) or not stored.get(ADDRESS_HASH_KEY):
        raise ConfigError(f"{path}: expected {DATA_KEY}=… and {ADDRESS_HASH_KEY}=… lines")
    return stored


def _create_dev_keys(path: Path) -> None:
    """Write fresh keys to `path` (readable by its owner only); a concurrent writer's file wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"{DATA_KEY}={new_key()}\n{ADDRESS_HASH_KEY}={new_key()}\n"
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".parley-keys-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        # link() fails when the file exists: two processes starting at once keep one key.
        os.link(temporary, path)
        log.warning("%s or %s is not set: generated development keys", DATA_KEY, ADDRESS_HASH_KEY)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
