"""Wire alerts: the rules from the survey rules file, and an outlet per configured way out."""

from __future__ import annotations

from collections.abc import Mapping

from bot.channels.alert_email import SmtpAlertOutlet
from bot.channels.alert_webhook import WebhookAlertOutlet
from bot.config.alert_rules import AlertRules
from bot.config.settings import Settings
from bot.i18n.alert_words import WordList
from bot.ports import AlertOutlet
from bot.services.alert_findings import Alerting


def build_alerting(settings: Settings, words: Mapping[str, WordList]) -> Alerting:
    """Build the alert rules and outlets: email when SMTP_URL is set, a webhook when its URL is."""
    outlets: dict[str, AlertOutlet] = {}
    if settings.smtp_url:
        outlets["email"] = SmtpAlertOutlet(
            settings.smtp_url, settings.alert_from, starttls=settings.smtp_starttls
        )
    if settings.alert_webhook_url:
        outlets["webhook"] = WebhookAlertOutlet(
            settings.alert_webhook_url, settings.alert_webhook_secret
        )
    rules = settings.alert_rules or AlertRules()
    return Alerting(rules, words, outlets, settings.public_base_url)
