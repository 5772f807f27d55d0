"""/officer/feedback: their own figures only, K or more, after the delay, never one survey."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.public_results import store_survey
from tests.support import FakeClock
from tests.web.pages import log_in, make_user, sqlite, text


def at(day: int, month: int = 10) -> datetime:
    """Return a moment in 2026 (the clock stands at 2 November, 15:00 UTC)."""
    return datetime(2026, month, day, 9, tzinfo=UTC)


@pytest.fixture()
def site(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Surveys for three officers; K is 3 and the delay 7 days."""
    app = make_app(sqlite(tmp_path), k_anonymity=3, feedback_delay_days=7)
    for score, comment in ((5, "Kind and clear"), (4, "Explained everything"), (2, "Abrupt")):
        store_survey(app, at(20), {"overall": score, "listened": True}, comment=comment)
    # Answered on 30 October: not 7 days ago yet.
    store_survey(app, at(30), {"overall": 1}, comment="Too recent to show")
    for _ in range(4):
        store_survey(app, at(10), {"overall": 3}, officer_id="B-200", comment="Second officer")
    for _ in range(2):
        store_survey(app, at(10), {"overall": 4}, officer_id="B-300")
    return app


def signed_in(site: Flask, role: str, officer_id: str) -> FlaskClient:
    """Return a client signed in as a new account of `role` with `officer_id`."""
    client = site.test_client()
    log_in(client, make_user(site, role, officer_id=officer_id))
    return client


def test_strangers_are_sent_to_sign_in(site: Flask) -> None:
    page = site.test_client().get("/officer/feedback")

    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login?next=")


def test_an_officer_sees_their_own_figures_and_comments_only(site: Flask) -> None:
    page = text(signed_in(site, "officer", "B-100").get("/officer/feedback"))

    assert 'data-feedback="shown"' in page and "<strong>3</strong> completed surveys" in page
    assert "Kind and clear" in page and "Abrupt" in page
    assert "Second officer" not in page and "Too recent to show" not in page
    # Ordered by their words, not by when they came; no day is shown.
    assert page.index("Abrupt") < page.index("Explained everything") < page.index("Kind and clear")
    assert "2026-10-20" not in page and "20 Oct" not in page


def test_no_parameter_reaches_another_officers_figures(site: Flask) -> None:
    client = signed_in(site, "officer", "B-100")

    own = text(client.get("/officer/feedback"))
    for query in ("?officer_id=B-200", "?officer=B-200", "?id=B-200"):
        assert text(client.get("/officer/feedback" + query)) == own
    # Nor does a signed-in officer reach survey answers through the API.
    assert client.get("/api/v1/responses").status_code == 401


def test_below_k_says_so_without_the_exact_count(site: Flask) -> None:
    page = text(signed_in(site, "officer", "B-300").get("/officer/feedback"))

    assert 'data-feedback="too-few"' in page and "fewer than 3" in page
    assert "2 of" not in page and "Comments" not in page


def test_a_supervisor_sees_their_own_feedback_as_an_officer(site: Flask) -> None:
    page = text(signed_in(site, "supervisor", "B-200").get("/officer/feedback"))

    assert "<strong>4</strong> completed surveys" in page and "Second officer" in page
    assert "Kind and clear" not in page


def test_an_admin_with_no_surveys_sees_none(site: Flask) -> None:
    page = text(signed_in(site, "admin", "ADMIN-1").get("/officer/feedback"))

    assert 'data-feedback="too-few"' in page


def test_the_delay_and_the_batches_of_k_are_honoured(site: Flask, clock: FakeClock) -> None:
    client = signed_in(site, "officer", "B-100")
    for score in (3, 3):
        store_survey(site, at(30), {"overall": score})

    assert "<strong>3</strong> completed surveys" in text(client.get("/officer/feedback"))
    # On 6 November the 30 October surveys have not yet waited 7 whole days; on the 7th they
    # have, and the three of them make a batch of K.
    clock.advance(days=4)
    assert "<strong>3</strong> completed surveys" in text(client.get("/officer/feedback"))
    clock.advance(days=1)
    page = text(client.get("/officer/feedback"))
    assert "<strong>6</strong> completed surveys" in page and "Too recent to show" in page


def test_only_questions_with_answers_are_shown(site: Flask) -> None:
    page = text(signed_in(site, "officer", "B-100").get("/officer/feedback"))

    # "listened" was answered in B-100's three surveys: shown; "respect" by nobody: left out.
    assert "Did the officer listen to what you had to say?" in page
    assert "Did the officer treat you with dignity" not in page
