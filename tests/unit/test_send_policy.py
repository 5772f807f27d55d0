"""Loading the send policy: defaults, survey_rules.yaml (errors as file:line), the environment."""

from __future__ import annotations

import json
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config.send_rules import POLICY_SCHEMA, PolicyFileError, SendPolicy, load_policy
from bot.errors import ConfigError, shown_path
from bot.scheduling.rules import QuietHours

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "survey_rules.example.yaml"
ALIASES = {"415d": "domestic_violence", "10_96": "mental_health_crisis"}
ENV_NAMES = {
    "delay_minutes": "SURVEY_DELAY_MINUTES",
    "quiet_hours": "QUIET_HOURS",
    "frequency_days": "SURVEY_FREQUENCY_DAYS",
    "stale_contact_days": "STALE_CONTACT_DAYS",
    "excluded_call_types": "EXCLUDED_CALL_TYPES",
    "call_type_aliases": "CALL_TYPE_ALIASES",
    "reminder_count": "REMINDER_COUNT",
    "reminder_after_hours": "REMINDER_AFTER_HOURS",
    "expire_after_hours": "EXPIRE_AFTER_HOURS",
    "default_timezone": "DEFAULT_TIMEZONE",
}

EVERY_SETTING = """\
delay_minutes: 45
quiet_hours: "21:30-08:00"
frequency_days: 90
stale_contact_days: 3
excluded_call_types: [Domestic Violence, hate-crime]
call_type_aliases: {"415D": DV, "10-96": mental health crisis}
reminder_count: 2
reminder_after_hours: 12
expire_after_hours: 48
default_timezone: America/Chicago
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "survey_rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_and_no_environment_give_the_defaults() -> None:
    assert load_policy(None, {}) == SendPolicy()


def test_the_example_file_holds_exactly_the_defaults() -> None:
    assert load_policy(EXAMPLE, {}) == SendPolicy()


def test_the_example_file_documents_every_setting_and_its_variable() -> None:
    properties = set(json.loads(POLICY_SCHEMA.read_text(encoding="utf-8"))["properties"])
    text = EXAMPLE.read_text(encoding="utf-8")
    assert set(yaml.safe_load(text)) == properties
    # The alert rules are a nested section: set in the file only, not by one variable each.
    assert properties - {"alerts"} == set(ENV_NAMES)
    for env in ENV_NAMES.values():
        assert f"Env: {env}" in text, env


def test_a_file_sets_every_setting(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, EVERY_SETTING), {})
    assert policy.delay == timedelta(minutes=45)
    assert policy.quiet_hours == QuietHours(time(21, 30), time(8, 0))
    assert policy.frequency_cap == timedelta(days=90)
    assert policy.stale_after == timedelta(days=3)
    assert policy.excluded_call_types == {"domestic_violence", "hate_crime"}
    assert policy.call_type_aliases == ALIASES
    assert (policy.reminder_count, policy.reminder_after) == (2, timedelta(hours=12))
    assert policy.expire_after == timedelta(hours=48)
    assert policy.default_timezone == "America/Chicago"


def test_settings_a_file_leaves_out_keep_their_defaults(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "delay_minutes: 30\n"), {})
    assert policy == SendPolicy(delay=timedelta(minutes=30))


@pytest.mark.parametrize("text", ["", "# nothing set yet\n", "---\n"])
def test_an_empty_file_keeps_every_default(tmp_path: Path, text: str) -> None:
    assert load_policy(write(tmp_path, text), {}) == SendPolicy()


@pytest.mark.parametrize("written", ['""', "~", "null", "''"])
def test_a_file_can_switch_quiet_hours_off(tmp_path: Path, written: str) -> None:
    assert load_policy(write(tmp_path, f"quiet_hours: {written}\n"), {}).quiet_hours is None


def test_an_empty_excluded_list_in_a_file_excludes_nothing(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "excluded_call_types: []\n"), {})
    assert policy.excluded_call_types == frozenset()


# --- the environment --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "value", "field", "expected"),
    [
        ("SURVEY_DELAY_MINUTES", "90", "delay", timedelta(minutes=90)),
        ("SURVEY_DELAY_MINUTES", " 0 ", "delay", timedelta(0)),
        ("QUIET_HOURS", "21:00-08:30", "quiet_hours", QuietHours(time(21), time(8, 30))),
        ("QUIET_HOURS", "", "quiet_hours", None),
        ("QUIET_HOURS", "  ", "quiet_hours", None),
        ("SURVEY_FREQUENCY_DAYS", "0", "frequency_cap", timedelta(0)),
        ("STALE_CONTACT_DAYS", "14", "stale_after", timedelta(days=14)),
        (
            "EXCLUDED_CALL_TYPES",
            "DV, Hate Crime,",
            "excluded_call_types",
            {"domestic_violence", "hate_crime"},
        ),
        ("EXCLUDED_CALL_TYPES", "none", "excluded_call_types", frozenset()),
        ("EXCLUDED_CALL_TYPES", "NONE", "excluded_call_types", frozenset()),
        ("CALL_TYPE_ALIASES", "415D=DV, 10-96 = EDP", "call_type_aliases", ALIASES),
        ("CALL_TYPE_ALIASES", "", "call_type_aliases", {}),
        ("REMINDER_COUNT", "0", "reminder_count", 0),
        ("REMINDER_AFTER_HOURS", "6", "reminder_after", timedelta(hours=6)),
        ("EXPIRE_AFTER_HOURS", "36", "expire_after", timedelta(hours=36)),
        ("DEFAULT_TIMEZONE", " Pacific/Honolulu ", "default_timezone", "Pacific/Honolulu"),
    ],
)
def test_each_variable_sets_its_setting(env: str, value: str, field: str, expected: Any) -> None:
    assert getattr(load_policy(None, {env: value}), field) == expected


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, EVERY_SETTING)
    policy = load_policy(path, {"SURVEY_DELAY_MINUTES": "5", "QUIET_HOURS": ""})
    assert policy.delay == timedelta(minutes=5)
    assert policy.quiet_hours is None
    assert policy.frequency_cap == timedelta(days=90)  # from the file still


def test_other_variables_are_ignored() -> None:
    assert load_policy(None, {"DATABASE_URL": "sqlite://", "PATH": "/bin"}) == SendPolicy()


@pytest.mark.parametrize(
    ("env", "value", "says"),
    [
        ("SURVEY_DELAY_MINUTES", "two hours", "expected a whole number, got 'two hours'"),
        ("SURVEY_DELAY_MINUTES", "-5", "must be at least 0 (got -5)"),
        ("SURVEY_DELAY_MINUTES", "1.5", "expected a whole number"),
        ("QUIET_HOURS", "8pm-9am", "must look like 20:00-09:00"),
        ("QUIET_HOURS", "20:00-24:00", "does not exist"),
        ("QUIET_HOURS", "20:00-20:00", "same minute"),
        ("SURVEY_FREQUENCY_DAYS", "5000", "must be at most 3650"),
        ("STALE_CONTACT_DAYS", "0", "must be at least 1"),
        ("EXCLUDED_CALL_TYPES", "", "write `none`"),
        ("EXCLUDED_CALL_TYPES", " ", "write `none`"),
        ("CALL_TYPE_ALIASES", "415D", "CODE=call_type"),
        ("CALL_TYPE_ALIASES", "415D=", "CODE=call_type"),
        ("CALL_TYPE_ALIASES", "=dv", "CODE=call_type"),
        ("REMINDER_COUNT", "11", "must be at most 10"),
        ("REMINDER_AFTER_HOURS", "0", "must be at least 1"),
        ("EXPIRE_AFTER_HOURS", "lots", "expected a whole number"),
        ("DEFAULT_TIMEZONE", "Eastern", "unknown time zone 'Eastern'"),
        ("DEFAULT_TIMEZONE", "../etc/passwd", "unknown time zone"),
        ("DEFAULT_TIMEZONE", "", "must not be empty"),
    ],
)
def test_a_bad_variable_is_named_in_the_error(env: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_policy(None, {env: value})
    assert str(caught.value).startswith(f"{env}: ")
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"SURVEY_DELAY_MINUTES": "10080"}, "SURVEY_DELAY_MINUTES"),
        ({"SURVEY_DELAY_MINUTES": "1440", "STALE_CONTACT_DAYS": "1"}, "STALE_CONTACT_DAYS"),
        ({"REMINDER_AFTER_HOURS": "72"}, "EXPIRE_AFTER_HOURS"),
        ({"EXPIRE_AFTER_HOURS": "24"}, "REMINDER_AFTER_HOURS"),
    ],
)
def test_settings_that_together_stop_every_survey_are_refused(
    env: dict[str, str], names: str
) -> None:
    with pytest.raises(ConfigError, match=names):
        load_policy(None, env)


def test_reminders_after_expiry_are_fine_when_there_are_none() -> None:
    policy = load_policy(None, {"REMINDER_COUNT": "0", "REMINDER_AFTER_HOURS": "100"})
    assert policy.reminder_count == 0


def test_a_file_value_that_clashes_with_the_environment_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "stale_contact_days: 1\n")
    with pytest.raises(ConfigError, match="stale_contact_days"):
        load_policy(path, {"SURVEY_DELAY_MINUTES": "1440"})


# --- errors in the file, as file:line: reason -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        (
            "delay_minutes: 120\ndelay_minute: 5\n",
            2,
            "unknown field 'delay_minute' for a survey rules",
        ),
        ("delay_minutes: soon\n", 1, "'delay_minutes' must be a whole number"),
        ("delay_minutes: 1.5\n", 1, "'delay_minutes' must be a whole number"),
        ("delay_minutes: true\n", 1, "'delay_minutes' must be a whole number"),
        ("# rules\n\nfrequency_days: -1\n", 3, "'frequency_days' must be at least 0"),
        ("reminder_count: 2\nreminder_count: 3\n", 2, "duplicate key 'reminder_count'"),
        ("quiet_hours: 20:00 to 09:00\n", 1, "quiet hours must look like 20:00-09:00"),
        ("delay_minutes: 10\nquiet_hours: '20:00-25:00'\n", 2, "does not exist"),
        ("quiet_hours: [20, 9]\n", 1, "'quiet_hours' must be a window like \"20:00-09:00\""),
        ("excluded_call_types: DV\n", 1, "'excluded_call_types' must be a list"),
        (
            "excluded_call_types:\n  - DV\n  - ''\n",
            3,
            "item 2 of 'excluded_call_types' must not be empty",
        ),
        ("call_type_aliases:\n  415D: ''\n", 2, "'415D' must not be empty"),
        ("call_type_aliases: [415D]\n", 1, "'call_type_aliases' must be a mapping"),
        ("\ndefault_timezone: US/Mars\n", 2, "unknown time zone 'US/Mars'"),
        ("delay_minutes: [1\n", 2, "YAML syntax error"),
        ("- delay_minutes\n", 1, "the file must be a mapping"),
    ],
)
def test_a_bad_file_names_the_line(tmp_path: Path, text: str, line: int, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PolicyFileError) as caught:
        load_policy(path, {})
    assert (caught.value.path, caught.value.line) == (path, line)
    assert str(caught.value).startswith(f"{shown_path(path)}:{line}: ")
    assert says in str(caught.value)
    assert isinstance(caught.value, ConfigError)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "survey_rules.yaml"
    path.write_bytes(b"delay_minutes: 10\n# caf\xe9\n")
    with pytest.raises(PolicyFileError, match=":2: the file is not UTF-8 text"):
        load_policy(path, {})


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match=":1: cannot read the file"):
        load_policy(tmp_path / "survey_rules.yaml", {})


def test_a_bad_file_is_reported_even_when_the_environment_sets_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, "delay_minutes: -1\n")
    with pytest.raises(PolicyFileError):
        load_policy(path, {"SURVEY_DELAY_MINUTES": "10"})
