"""Settings read once from the environment into one frozen dataclass (no Flask import)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bot.config.contacts import DEFAULT_CONTACTS, read_contacts
from bot.config.privacy import data_keys, hash_key, retention_days
from bot.config.publishing import cache_seconds, delay_days, frame_ancestors, k_anonymity
from bot.config.rules_file import alert_rules, check_alert_outlets, send_policy
from bot.config.values import (
    auto_flag,
    count,
    emergency_number,
    flag,
    http_url,
    integer,
    language,
    log_format,
    non_negative,
    positive,
    redis_url,
    seconds,
    secret_key,
    sender_rates,
    smtp_url,
    translator,
)
from bot.config.whatsapp import read_templates
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.config.alert_rules import AlertRules
    from bot.scheduling.model import SendPolicy
    from bot.scheduling.pacing import Pacing

# The checkout: flows/, locales/ and instance/ sit beside bot/.
ROOT = Path(__file__).resolve().parents[2]
EMBEDDED_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'parley.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything Parley is configured with; see the README's configuration table."""

    database_url: str = EMBEDDED_DATABASE_URL
    public_base_url: str = ""
    trusted_proxies: int = 0
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    twilio_api_base_url: str = ""
    # How long a Twilio call may take; a send that times out is looked up, never resent blindly.
    twilio_timeout_seconds: float = 10.0
    # WhatsApp through the same Twilio account: the sending number, and the Content SIDs of the
    # approved templates a survey the agency starts opens with, by language ("" = the default).
    whatsapp_from: str = ""
    whatsapp_templates: Mapping[str, str] = field(default_factory=dict, hash=False)
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    # PTB's base URL, the token appended (tests point it at a local stand-in of the Bot API).
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    agency_name: str = "Parley Demo Police Department"
    # Empty: each language's own wording (the locale's `defaults:`), never English inside Spanish.
    complaints_contact: str = ""
    help_contact: str = ""
    # Per language, e.g. HELP_CONTACT_ES: {"es": {"help": "..."}}; wins over the two above.
    contacts: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)
    # The number a resident in danger is told to call (agencies outside the US set theirs).
    emergency_number: str = "911"
    default_language: str = "en"
    default_region: str = "US"
    flows_dir: Path = ROOT / "flows"
    locales_dir: Path = ROOT / "locales"
    migrate_on_start: bool = True
    log_level: str = "INFO"
    # text (readable lines) or json (one object per line, for a log pipeline).
    log_format: str = "text"
    # A scrape of /metrics must send it as a bearer token; empty: only this machine may scrape.
    metrics_token: str = ""
    # Messages a minute one resident may send before the rest are stored but not answered.
    inbound_per_minute: int = 20
    # Free-text answers are translated into the agency's language in the background. No
    # resident text leaves the server unless the agency chooses a provider.
    agency_language: str = "en"
    translator: str = "none"
    translator_url: str = ""
    translator_api_key: str = ""
    translator_region: str = ""
    translator_timeout_seconds: float = 10.0
    redis_url: str = ""
    # When surveys may be sent (survey_rules.yaml, then the environment); None = the defaults.
    send_policy: SendPolicy | None = None
    # Outbound pace: SMS segments per second for every sending number, or per number.
    sms_segments_per_second: float = 1.0
    sms_sender_rates: Mapping[str, float] = field(default_factory=dict, hash=False)
    # Telegram takes about 30 messages a second from one bot across all chats.
    telegram_messages_per_second: float = 25.0
    # How often the database is swept for due reminders and retries (None: never, tests).
    sweep_seconds: float | None = 30.0
    # A scheduled item claimed this long ago without an outcome was left by a worker that died.
    claim_lease_seconds: float = 600.0
    # Staff pages. No SECRET_KEY: a random key per start, so logins end with each restart.
    secret_key: str = ""
    # None (auto): Secure cookies unless PUBLIC_BASE_URL is http:// or a request is plain
    # http to localhost (the quick start); see bot/web/security.py.
    session_cookie_secure: bool | None = None
    session_hours: float = 12.0
    login_max_failures: int = 5
    login_lockout_minutes: float = 15.0
    # The flow a survey starts when no flow is named and its call type has no route, until an
    # admin sets the default route (`python -m bot flows route '*' FLOW`).
    default_flow: str = "post_contact"
    # How often each process looks for a version published by another process (seconds).
    flow_refresh_seconds: float = 5.0
    # Survey cards: days a single-use card stays valid; where its links point (empty: no link).
    card_days: int = 14
    telegram_bot_username: str = ""
    whatsapp_number: str = ""
    # Alerts: which answers raise them (survey_rules.yaml's `alerts`), and how supervisors
    # hear of them: email (SMTP_URL, ALERT_FROM) and/or a signed webhook.
    alert_rules: AlertRules | None = None
    smtp_url: str = ""
    smtp_starttls: bool = False
    alert_from: str = ""
    alert_webhook_url: str = ""
    alert_webhook_secret: str = ""
    # Officer feedback and the public page: no figure rests on fewer than K responses; an
    # answer waits some days before it reaches its officer's feedback; the public page may be
    # framed by these sources (a CSP frame-ancestors list) and cached for this long.
    k_anonymity: int = 5
    feedback_delay_days: int = 7
    transparency_frame_ancestors: str = "'self'"
    transparency_cache_seconds: int = 300
    # Contact details at rest (bot/config/privacy.py): the data keys, current first, and the
    # key addresses are hashed with; required unless the database is the embedded default.
    data_keys: tuple[str, ...] = ()
    address_hash_key: str = ""
    # Days after a survey ends before retention erases its contact details and message bodies.
    retention_days: int = 30

    def __post_init__(self) -> None:
        """Refuse a lease a slow send could outlast: its item would be handed out again."""
        if self.claim_lease_seconds <= 3 * self.twilio_timeout_seconds:
            raise ConfigError("CLAIM_LEASE_SECONDS: must exceed 3 x TWILIO_TIMEOUT_SECONDS")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from the environment (or the mapping given), once."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, (key, convert) in _ENV.items():
            if key in env:
                try:
                    values[name] = convert(env[key])
                except ConfigError as exc:
                    raise ConfigError(f"{key}: {exc}") from exc
        values["send_policy"] = send_policy(env, ROOT)
        values["alert_rules"] = alert_rules(env, ROOT)
        check_alert_outlets(values)
        values["contacts"] = read_contacts(env)
        values["whatsapp_templates"] = read_templates(env)
        return cls(**values)

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with some settings changed (tests, CLI flags)."""
        return replace(self, **changes)

    @property
    def pacing(self) -> Pacing:
        """Return how fast each sending number may send."""
        from bot.scheduling.pacing import Pacing

        rates = dict(self.sms_sender_rates)
        if self.telegram_bot_token:
            # Keyed as TelegramSender.identity names the bot: its id, the token before the ":".
            bot = "telegram:" + self.telegram_bot_token.split(":", 1)[0]
            rates.setdefault(bot, self.telegram_messages_per_second)
        return Pacing(self.sms_segments_per_second, MappingProxyType(rates))

    @property
    def dev_keys_dir(self) -> Path | None:
        """Return where development keys live: instance/ on the embedded default, else None."""
        return ROOT / "instance" if self.database_url == EMBEDDED_DATABASE_URL else None

    @property
    def twilio_configured(self) -> bool:
        """Say whether Twilio sending is configured."""
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @property
    def placeholder_values(self) -> dict[str, str]:
        """Return the values of the placeholders flows and locales may use, in English."""
        return {
            "agency": self.agency_name,
            "emergency": self.emergency_number,
            **DEFAULT_CONTACTS,
            **self.agency_contacts,
        }

    @property
    def agency_contacts(self) -> dict[str, str]:
        """Return the contacts the agency set for every language (a phone number, a URL)."""
        given = {"complaints": self.complaints_contact, "help": self.help_contact}
        return {name: value.strip() for name, value in given.items() if value.strip()}


_ENV: dict[str, tuple[str, Any]] = {
    "database_url": ("DATABASE_URL", str),
    "public_base_url": ("PUBLIC_BASE_URL", lambda v: v.rstrip("/")),
    "trusted_proxies": ("TRUSTED_PROXIES", integer),
    "twilio_account_sid": ("TWILIO_ACCOUNT_SID", str),
    "twilio_auth_token": ("TWILIO_AUTH_TOKEN", str),
    "twilio_from_number": ("TWILIO_FROM_NUMBER", str),
    "twilio_api_base_url": ("TWILIO_API_BASE_URL", lambda v: v.rstrip("/")),
    "twilio_timeout_seconds": ("TWILIO_TIMEOUT_SECONDS", seconds),
    "whatsapp_from": ("WHATSAPP_FROM", lambda v: v.strip().removeprefix("whatsapp:")),
    "telegram_bot_token": ("TELEGRAM_BOT_TOKEN", str.strip),
    "telegram_webhook_secret": ("TELEGRAM_WEBHOOK_SECRET", str.strip),
    "telegram_api_base_url": ("TELEGRAM_API_BASE_URL", str.strip),
    "agency_name": ("AGENCY_NAME", str),
    "complaints_contact": ("COMPLAINTS_CONTACT", str),
    "help_contact": ("HELP_CONTACT", str),
    "emergency_number": ("EMERGENCY_NUMBER", emergency_number),
    "default_language": ("DEFAULT_LANGUAGE", str),
    "default_region": ("DEFAULT_REGION", str.upper),
    "flows_dir": ("FLOWS_DIR", Path),
    "locales_dir": ("LOCALES_DIR", Path),
    "migrate_on_start": ("MIGRATE_ON_START", flag),
    "log_level": ("LOG_LEVEL", str.upper),
    "log_format": ("LOG_FORMAT", log_format),
    "metrics_token": ("METRICS_TOKEN", str.strip),
    "inbound_per_minute": ("INBOUND_PER_MINUTE", non_negative),
    "agency_language": ("AGENCY_LANGUAGE", language),
    "translator": ("TRANSLATOR", translator),
    "translator_url": ("TRANSLATOR_URL", http_url),
    "translator_api_key": ("TRANSLATOR_API_KEY", str),
    "translator_region": ("TRANSLATOR_REGION", str),
    "translator_timeout_seconds": ("TRANSLATOR_TIMEOUT_SECONDS", seconds),
    "redis_url": ("REDIS_URL", redis_url),
    "sms_segments_per_second": ("SMS_SEGMENTS_PER_SECOND", positive),
    "sms_sender_rates": ("SMS_SENDER_RATES", sender_rates),
    "telegram_messages_per_second": ("TELEGRAM_MESSAGES_PER_SECOND", positive),
    "sweep_seconds": ("SWEEP_SECONDS", positive),
    "claim_lease_seconds": ("CLAIM_LEASE_SECONDS", positive),
    "secret_key": ("SECRET_KEY", secret_key),
    "session_cookie_secure": ("SESSION_COOKIE_SECURE", auto_flag),
    "session_hours": ("SESSION_HOURS", positive),
    "login_max_failures": ("LOGIN_MAX_FAILURES", count),
    "login_lockout_minutes": ("LOGIN_LOCKOUT_MINUTES", positive),
    "default_flow": ("DEFAULT_FLOW", str.strip),
    "flow_refresh_seconds": ("FLOW_REFRESH_SECONDS", seconds),
    "card_days": ("CARD_DAYS", count),
    "telegram_bot_username": ("TELEGRAM_BOT_USERNAME", lambda v: v.strip().lstrip("@")),
    "whatsapp_number": ("WHATSAPP_NUMBER", lambda v: re.sub(r"\D", "", v)),
    "smtp_url": ("SMTP_URL", smtp_url),
    "smtp_starttls": ("SMTP_STARTTLS", flag),
    "alert_from": ("ALERT_FROM", str.strip),
    "alert_webhook_url": ("ALERT_WEBHOOK_URL", http_url),
    "alert_webhook_secret": ("ALERT_WEBHOOK_SECRET", str.strip),
    "k_anonymity": ("K_ANONYMITY", k_anonymity),
    "feedback_delay_days": ("FEEDBACK_DELAY_DAYS", delay_days),
    "transparency_frame_ancestors": ("TRANSPARENCY_FRAME_ANCESTORS", frame_ancestors),
    "transparency_cache_seconds": ("TRANSPARENCY_CACHE_SECONDS", cache_seconds),
    "data_keys": ("DATA_KEY", data_keys),
    "address_hash_key": ("ADDRESS_HASH_KEY", hash_key),
    "retention_days": ("RETENTION_DAYS", retention_days),
}
