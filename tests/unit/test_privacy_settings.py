"""DATA_KEY and ADDRESS_HASH_KEY: required in production, generated in instance/ on the default."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from bot.config.privacy import DEV_KEYS_FILE, contact_keys, new_key
from bot.config.settings import EMBEDDED_DATABASE_URL, ROOT, Settings
from bot.errors import ConfigError

PRODUCTION = {"DATABASE_URL": "postgresql+psycopg://parley@db/parley"}


def test_data_key_lists_the_current_key_then_older_ones() -> None:
    new, old, hashing = new_key(), new_key(), new_key()

    settings = Settings.from_env(
        {**PRODUCTION, "DATA_KEY": f" {new} , {old} ", "ADDRESS_HASH_KEY": hashing}
    )
    keys = contact_keys(settings)

    assert settings.data_keys == (new, old) and settings.address_hash_key == hashing
    assert len(keys.data_keys) == 2 and keys.data_keys[0] != keys.data_keys[1]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATA_KEY", "too-short"),
        ("DATA_KEY", "not base64 at all!!"),
        ("ADDRESS_HASH_KEY", "dG9vIHNob3J0"),
    ],
)
def test_a_malformed_key_stops_start_up_naming_its_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name}: .*keys generate"):
        Settings.from_env({**PRODUCTION, name: value})


def test_a_key_listed_twice_is_refused() -> None:
    key = new_key()

    with pytest.raises(ConfigError, match="DATA_KEY: a key is listed twice"):
        Settings.from_env({"DATA_KEY": f"{key},{key}"})


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "DATA_KEY"),
        ({"ADDRESS_HASH_KEY": new_key()}, "DATA_KEY"),
        ({"DATA_KEY": new_key()}, "ADDRESS_HASH_KEY"),
    ],
)
def test_production_without_a_key_is_a_start_up_error_naming_it(
    given: dict[str, str], missing: str
) -> None:
    settings = Settings.from_env({**PRODUCTION, **given})

    assert settings.dev_keys_dir is None
    with pytest.raises(ConfigError, match=f"^{missing}: set the key"):
        contact_keys(settings)


def test_the_embedded_default_keeps_development_keys_in_instance() -> None:
    assert Settings.from_env({}).dev_keys_dir == ROOT / "instance"
    assert Settings(database_url=EMBEDDED_DATABASE_URL).dev_keys_dir == ROOT / "instance"


class _DevSettings:
    """Settings on the embedded default, with instance/ moved into the test's directory."""

    def __init__(self, instance: Path, data_keys: tuple[str, ...] = (), hash_key: str = "") -> None:
        self.data_keys = data_keys
        self.address_hash_key = hash_key
        self.dev_keys_dir = instance


def test_development_keys_are_generated_once_with_a_warning_and_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    instance = tmp_path / "instance"

    with caplog.at_level(logging.WARNING, logger="bot.config.privacy"):
        first = contact_keys(_DevSettings(instance))
    again = contact_keys(_DevSettings(instance))

    assert first == again
    path = instance / DEV_KEYS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "generated development keys" in caplog.text and str(path) in caplog.text
    assert [p.name for p in instance.iterdir()] == [DEV_KEYS_FILE]  # no temporary left


def test_a_key_set_in_the_environment_wins_over_the_development_file(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    stored = contact_keys(_DevSettings(instance))
    mine = new_key()

    keys = contact_keys(_DevSettings(instance, data_keys=(mine,)))

    assert keys.data_keys != stored.data_keys and keys.hash_key == stored.hash_key


def test_a_damaged_development_file_is_a_clear_error(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / DEV_KEYS_FILE).write_text("DATA_KEY=\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="expected DATA_KEY"):
        contact_keys(_DevSettings(instance))
