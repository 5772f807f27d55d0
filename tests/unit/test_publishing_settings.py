"""K, the feedback delay, the frame policy and the page's words are checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.page_texts import load_page_texts
from bot.config.settings import Settings
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    settings = Settings.from_env({})

    assert (settings.k_anonymity, settings.feedback_delay_days) == (5, 7)
    assert settings.transparency_frame_ancestors == "'self'"
    assert settings.transparency_cache_seconds == 300


def test_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "K_ANONYMITY": "10",
            "FEEDBACK_DELAY_DAYS": "14",
            "TRANSPARENCY_FRAME_ANCESTORS": " 'self'  https://www.springfield.gov "
            "https://*.city.gov:8443 ",
            "TRANSPARENCY_CACHE_SECONDS": "0",
        }
    )

    assert (settings.k_anonymity, settings.feedback_delay_days) == (10, 14)
    assert settings.transparency_frame_ancestors == (
        "'self' https://www.springfield.gov https://*.city.gov:8443"
    )


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("K_ANONYMITY", "1", "2 or more"),
        ("K_ANONYMITY", "0", "2 or more"),
        ("K_ANONYMITY", "five", "whole number"),
        ("FEEDBACK_DELAY_DAYS", "0", "between 1 and 365"),
        ("TRANSPARENCY_FRAME_ANCESTORS", "*", "origin"),
        ("TRANSPARENCY_FRAME_ANCESTORS", "https://a.gov; script-src *", "origin"),
        ("TRANSPARENCY_FRAME_ANCESTORS", "https://a.gov/page", "origin"),
        ("TRANSPARENCY_FRAME_ANCESTORS", "'none' https://a.gov", "stands alone"),
        ("TRANSPARENCY_FRAME_ANCESTORS", "  ", "expected"),
        ("TRANSPARENCY_CACHE_SECONDS", "-1", "between 0 and 86400"),
    ],
)
def test_bad_values_stop_start_up_with_the_name(name: str, value: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=f"{name}: .*{reason}"):
        Settings.from_env({name: value})


def test_every_language_of_parley_has_the_pages_words() -> None:
    texts = load_page_texts(ROOT / "locales" / "transparency")

    assert set(texts) == {p.stem for p in (ROOT / "locales").glob("*.yaml")}
    assert all(set(words) == set(texts["en"]) for words in texts.values())


def test_a_language_missing_a_placeholder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text("privacy: 'fewer than {k}'\n", encoding="utf-8")
    (tmp_path / "es.yaml").write_text("privacy: 'menos de'\n", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"es\.yaml: privacy: placeholders differ"):
        load_page_texts(tmp_path)
