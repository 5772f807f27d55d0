"""Load an agency's SendPolicy: the defaults, then survey_rules.yaml, then the environment.

Every setting has a key in survey_rules.yaml and an environment variable; the environment wins,
so a small agency or a test needs no file (see survey_rules.example.yaml for each setting).
A bad file value is reported as `survey_rules.yaml:7: reason`, a bad environment value as
`QUIET_HOURS: reason`; both are ConfigError, raised at start-up.

The default time zone is America/New_York, the US zone with the most residents. It only
applies to residents whose number does not tell their zone, but an agency elsewhere should set
DEFAULT_TIMEZONE, or quiet hours will be hours off for those residents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from bot.errors import ConfigError, DefinitionFileError
from bot.flows.yamlpos import check_schema, explain, load_schema, parse_document
from bot.scheduling.model import QuietHours, SendPolicy

__all__ = ["POLICY_FILE_NAME", "POLICY_SCHEMA", "PolicyFileError", "SendPolicy", "load_policy"]

POLICY_SCHEMA = Path(__file__).resolve().parent / "send_rules.schema.json"
POLICY_FILE_NAME = "survey_rules.yaml"


class PolicyFileError(DefinitionFileError, ConfigError):
    """survey_rules.yaml is invalid; str() reads `survey_rules.yaml:7: reason`."""


def load_policy(path: Path | None, environ: Mapping[str, str]) -> SendPolicy:
    """Read the agency's send policy from an optional YAML file, then the environment."""
    fields = {} if path is None else _from_file(path)
    fields.update(_from_environ(environ))
    policy = SendPolicy(**fields)
    _check_consistent(policy)
    return policy


def _whole(text: str) -> int:
    """Read a whole number from an environment value."""
    try:
        return int(text.strip())
    except ValueError as exc:
        raise ValueError(f"expected a whole number, got {text!r}") from exc


def _names(text: str) -> list[str]:
    """Read a comma-separated list; `none` is the empty list, an empty value is a mistake."""
    if not text.strip():
        # An empty variable is often a deployment template's leftover, and reading it as
        # "exclude nothing" would text residents after domestic-violence calls.
        raise ValueError("empty; write `none` to survey after every call type")
    if text.strip().casefold() == "none":
        return []
    return [name.strip() for name in text.split(",") if name.strip()]


def _pairs(text: str) -> dict[str, str]:
    """Read `CODE=call_type, CODE=call_type` into a mapping."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        code, equals, name = (side.strip() for side in item.partition("="))
        if not (equals and code and name):
            raise ValueError(f"expected CODE=call_type pairs separated by commas, got {item!r}")
        pairs[code] = name
    return pairs


def _quiet(value: str | None) -> QuietHours | None:
    """Read quiet hours; empty or null switches them off."""
    return QuietHours.parse(value) if value and value.strip() else None


def _zone(name: str) -> str:
    """Check an IANA time zone name and return it."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name such as America/Chicago"
        ) from exc
    return name


@dataclass(frozen=True)
class _Setting:
    """One setting: its key in the file, its environment variable, the SendPolicy field."""

    key: str
    env: str
    field: str
    # Environment text to the value as the YAML file would hold it.
    read: Callable[[str], Any]
    # That value to the field's value; raises ValueError with a reason.
    convert: Callable[[Any], Any]


def _minutes(value: int) -> timedelta:
    """Read a number of minutes from the file's or the environment's value."""
    return timedelta(minutes=int(value))


def _hours(value: int) -> timedelta:
    """Read a number of hours from the file's or the environment's value."""
    return timedelta(hours=int(value))


def _days(value: int) -> timedelta:
    """Read a number of days from the file's or the environment's value."""
    return timedelta(days=int(value))


_SETTINGS = (
    _Setting("delay_minutes", "SURVEY_DELAY_MINUTES", "delay", _whole, _minutes),
    _Setting("quiet_hours", "QUIET_HOURS", "quiet_hours", str, _quiet),
    _Setting("frequency_days", "SURVEY_FREQUENCY_DAYS", "frequency_cap", _whole, _days),
    _Setting("stale_contact_days", "STALE_CONTACT_DAYS", "stale_after", _whole, _days),
    _Setting(
        "excluded_call_types", "EXCLUDED_CALL_TYPES", "excluded_call_types", _names, frozenset
    ),
    _Setting("call_type_aliases", "CALL_TYPE_ALIASES", "call_type_aliases", _pairs, dict),
    _Setting("reminder_count", "REMINDER_COUNT", "reminder_count", _whole, int),
    _Setting("reminder_after_hours", "REMINDER_AFTER_HOURS", "reminder_after", _whole, _hours),
    _Setting("expire_after_hours", "EXPIRE_AFTER_HOURS", "expire_after", _whole, _hours),
    _Setting("default_timezone", "DEFAULT_TIMEZONE", "default_timezone", str.strip, _zone),
)


def _from_file(path: Path) -> dict[str, Any]:
    """Read the settings a survey rules file sets, as SendPolicy fields."""
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise PolicyFileError(path, 1, f"cannot read the file: {exc.strerror}") from exc
    doc = parse_document(source, path, PolicyFileError)
    if doc.data is None:
        return {}  # an empty or all-comment file keeps every default
    check_schema(doc, load_schema(POLICY_SCHEMA), path, PolicyFileError)
    fields: dict[str, Any] = {}
    for setting in (s for s in _SETTINGS if s.key in doc.data):
        try:
            fields[setting.field] = setting.convert(doc.data[setting.key])
        except ValueError as exc:
            raise PolicyFileError(path, doc.line_of((setting.key,)), str(exc)) from exc
    return fields


def _from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the settings the environment sets, as SendPolicy fields."""
    fields: dict[str, Any] = {}
    for setting in (s for s in _SETTINGS if s.env in environ):
        try:
            value = setting.read(environ[setting.env])
            _check_value(setting, value)
            fields[setting.field] = setting.convert(value)
        except ValueError as exc:
            raise ConfigError(f"{setting.env}: {exc}") from exc
    return fields


def _check_value(setting: _Setting, value: Any) -> None:
    """Hold an environment value to the file's schema, so both obey the same limits."""
    validator = Draft202012Validator(load_schema(POLICY_SCHEMA))
    problem = best_match(validator.iter_errors({setting.key: value}))
    if problem is not None:
        _, reason = explain(problem)
        raise ValueError(f"{reason.removeprefix(repr(setting.key) + ' ')} (got {value!r})")


def _check_consistent(policy: SendPolicy) -> None:
    """Refuse settings that each make sense but together would stop every survey."""
    if policy.delay >= policy.stale_after:
        raise ConfigError(
            "SURVEY_DELAY_MINUTES / delay_minutes must be shorter than "
            "STALE_CONTACT_DAYS / stale_contact_days, or every survey would be too late"
        )
    if policy.reminder_count and policy.reminder_after >= policy.expire_after:
        raise ConfigError(
            "REMINDER_AFTER_HOURS / reminder_after_hours must be shorter than "
            "EXPIRE_AFTER_HOURS / expire_after_hours, or no reminder could ever be sent"
        )
