"""Pure pieces of the staff pages: safe redirects, cookie security, outcome sentences."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config.settings import Settings
from bot.scheduling.model import RefusalReason
from bot.services.surveys import SurveyStarted
from bot.web.auth import safe_next
from bot.web.outcome import REFUSALS, describe
from bot.web.security import cookie_secure

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize("target", ["/officer", "/officer?from=card#top", "/a/b"])
def test_paths_on_this_site_are_followed(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "officer",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\x7f",
    ],
)
def test_everything_else_is_refused(target: str | None) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize(
    ("public_base_url", "setting", "expected"),
    [
        ("", None, None),
        ("https://survey.example.gov", None, True),
        ("http://parley.lan:8000", None, False),
        ("http://parley.lan:8000", True, True),
        ("https://survey.example.gov", False, False),
    ],
)
def test_cookie_security_follows_the_settings(
    public_base_url: str, setting: bool | None, expected: bool | None
) -> None:
    settings = Settings(public_base_url=public_base_url, session_cookie_secure=setting)
    assert cookie_secure(settings) is expected


def started(status: str = "active", **fields: Any) -> SurveyStarted:
    """Build a service answer with some fields set."""
    return SurveyStarted(uuid.uuid4(), status, **fields)


def test_every_refusal_reason_has_a_sentence() -> None:
    assert set(REFUSALS) == {reason.value for reason in RefusalReason}
    for reason in RefusalReason:
        outcome = describe(started(status="refused", reason=reason.value), NEW_YORK)
        assert (outcome.kind, outcome.title, outcome.detail) == (
            "refused",
            "Not sent",
            REFUSALS[reason.value],
        )


def test_a_duplicate_wins_over_what_became_of_the_first_request() -> None:
    outcome = describe(started(duplicate=True, reason="opted_out"), NEW_YORK)
    assert (outcome.kind, outcome.title) == ("duplicate", "Already requested")


def test_scheduled_sent_and_failed() -> None:
    at = datetime(2026, 7, 4, 13, 30, tzinfo=UTC)
    scheduled = describe(started(status="scheduled", scheduled_for=at), NEW_YORK)
    assert scheduled.kind == "scheduled"
    assert scheduled.detail == "The survey will be texted at 09:30 on Sat 4 Jul (EDT)."
    sent = describe(started(delivery="sent", scheduled_for=at), NEW_YORK)
    assert sent.kind == "sent"
    assert describe(started(delivery="failed"), NEW_YORK).kind == "failed"
