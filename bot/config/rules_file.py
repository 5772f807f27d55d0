"""The survey rules file (send rules, alert rules) and the checks that span several settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.config.alert_rules import AlertRules
    from bot.scheduling.model import SendPolicy


def _rules_file(env: Mapping[str, str], root: Path) -> Path | None:
    """Return the survey rules file: SURVEY_RULES_FILE, else ./survey_rules.yaml if present."""
    from bot.config.send_rules import POLICY_FILE_NAME

    named = env.get("SURVEY_RULES_FILE", "")
    default = root / POLICY_FILE_NAME
    return Path(named) if named else (default if default.is_file() else None)


def send_policy(env: Mapping[str, str], root: Path) -> SendPolicy:
    """Read the send rules from the survey rules file, then the environment."""
    from bot.config.send_rules import load_policy

    return load_policy(_rules_file(env, root), env)


def alert_rules(env: Mapping[str, str], root: Path) -> AlertRules:
    """Read the alert rules from the survey rules file's `alerts` section."""
    from bot.config.alert_rules import load_alert_rules

    return load_alert_rules(_rules_file(env, root))


def check_alert_outlets(values: Mapping[str, Any]) -> None:
    """Refuse an alert outlet set up halfway: mail with no sender, a webhook with no secret."""
    if values.get("smtp_url") and not values.get("alert_from"):
        raise ConfigError("ALERT_FROM: set the address alert emails come from (SMTP_URL is set)")
    if values.get("alert_webhook_url") and not values.get("alert_webhook_secret"):
        raise ConfigError(
            "ALERT_WEBHOOK_SECRET: set the key webhooks are signed with (ALERT_WEBHOOK_URL is set)"
        )
