"""Settings come from the environment once; bad values stop start-up with the variable's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config.settings import Settings
from bot.errors import ConfigError


def test_defaults_need_no_environment() -> None:
    settings = Settings.from_env({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.translator == "none"
    assert settings.send_policy is not None
    assert "domestic_violence" in settings.send_policy.excluded_call_types


def test_values_are_read_and_converted() -> None:
    settings = Settings.from_env(
        {"TRUSTED_PROXIES": "1", "DEFAULT_REGION": "mx", "PUBLIC_BASE_URL": "https://x.org/"}
    )
    assert (settings.trusted_proxies, settings.default_region) == (1, "MX")
    assert settings.public_base_url == "https://x.org"


def test_send_rules_come_from_the_environment() -> None:
    policy = Settings.from_env({"EXCLUDED_CALL_TYPES": "burglary,domestic violence"}).send_policy
    assert policy is not None
    assert policy.excluded_call_types == frozenset({"burglary", "domestic_violence"})


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"TRUSTED_PROXIES": "two"}, "TRUSTED_PROXIES"),
        ({"MIGRATE_ON_START": "perhaps"}, "MIGRATE_ON_START"),
        ({"SURVEY_DELAY_MINUTES": "soon"}, "SURVEY_DELAY_MINUTES"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


def test_a_named_rules_file_is_read(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("excluded_call_types: [noise_complaint]\n", encoding="utf-8")
    policy = Settings.from_env({"SURVEY_RULES_FILE": str(rules)}).send_policy
    assert policy is not None
    assert policy.excluded_call_types == frozenset({"noise_complaint"})


def test_a_telegram_bot_is_paced_at_its_own_rate_beside_the_sms_numbers() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:secret-part",
            "TELEGRAM_MESSAGES_PER_SECOND": "20",
            "SMS_SEGMENTS_PER_SECOND": "2",
        }
    )
    pacing = settings.pacing
    # The rate is keyed as the sender names the bot (its id), never by the token's secret.
    assert pacing.cost("telegram:123456", 1).total_seconds() == pytest.approx(0.05)
    assert pacing.cost("+15550100", 1).total_seconds() == pytest.approx(0.5)
    assert all("secret" not in key for key in pacing.rates)
