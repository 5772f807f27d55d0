"""Settings of the staff pages: secret key, cookies, session length, lockout, officer flow."""

from __future__ import annotations

import pytest

from bot.config.settings import Settings
from bot.errors import ConfigError


def test_defaults_suit_a_twelve_hour_shift_and_the_issue_lockout() -> None:
    settings = Settings.from_env({})
    assert settings.secret_key == ""
    assert settings.session_cookie_secure is None  # auto
    assert settings.session_hours == 12
    assert (settings.login_max_failures, settings.login_lockout_minutes) == (5, 15)
    assert settings.default_flow == "post_contact"


def test_staff_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "SECRET_KEY": "s" * 64,
            "SESSION_COOKIE_SECURE": "false",
            "SESSION_HOURS": "8.5",
            "LOGIN_MAX_FAILURES": "3",
            "LOGIN_LOCKOUT_MINUTES": "30",
            "DEFAULT_FLOW": " post_contact ",
        }
    )
    assert settings.secret_key == "s" * 64
    assert settings.session_cookie_secure is False
    assert settings.session_hours == 8.5
    assert (settings.login_max_failures, settings.login_lockout_minutes) == (3, 30)
    assert settings.default_flow == "post_contact"
    assert Settings.from_env({"SESSION_COOKIE_SECURE": "auto"}).session_cookie_secure is None


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECRET_KEY", "dev", "at least 32 random characters"),
        ("SESSION_COOKIE_SECURE", "maybe", "expected true/false"),
        ("SESSION_HOURS", "0", "positive number"),
        ("SESSION_HOURS", "a shift", "positive number"),
        ("LOGIN_MAX_FAILURES", "0", "1 or more"),
        ("LOGIN_MAX_FAILURES", "2.5", "whole number"),
        ("LOGIN_LOCKOUT_MINUTES", "-5", "positive number"),
    ],
)
def test_bad_staff_settings_stop_start_up(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=f"{name}: .*{message}"):
        Settings.from_env({name: value})
