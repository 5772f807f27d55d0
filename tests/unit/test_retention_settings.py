"""RETENTION_DAYS: read once with the other settings; under a day stops start-up, named."""

from __future__ import annotations

import pytest

from bot.config.settings import Settings
from bot.errors import ConfigError


def test_contact_details_are_kept_thirty_days_unless_told_otherwise() -> None:
    assert Settings.from_env({}).retention_days == 30
    assert Settings.from_env({"RETENTION_DAYS": " 90 "}).retention_days == 90
    assert Settings.from_env({"RETENTION_DAYS": "1"}).retention_days == 1


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0", "at least 1 day"),
        ("-5", "at least 1 day"),
        ("thirty", "whole number of days"),
        ("1.5", "whole number of days"),
        ("", "whole number of days"),
    ],
)
def test_a_retention_under_a_day_stops_start_up_naming_the_variable(value: str, why: str) -> None:
    with pytest.raises(ConfigError, match=f"^RETENTION_DAYS: .*{why}"):
        Settings.from_env({"RETENTION_DAYS": value})
