"""The staff pages' cookies and headers: signed, HttpOnly, Secure where it works, never framed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Flask

from tests.web.pages import PASSWORD, csrf_token, log_in, make_user, sqlite


def session_cookie(app: Flask, base_url: str) -> str:
    """Sign in on `base_url` and return the Set-Cookie header of the session."""
    client = app.test_client()
    token = csrf_token(client, base_url=base_url)
    form = {"csrf_token": token, "email": make_user(app), "password": PASSWORD}
    # Over https, Flask-WTF also wants the same-origin Referer a browser sends.
    referer = {"Referer": f"{base_url}/login"}
    response = client.post("/login", data=form, base_url=base_url, headers=referer)
    assert response.status_code == 302, response.get_data(as_text=True)
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if "parley_session=" in c]
    return cookie


def test_session_cookie_is_secure_httponly_lax_and_lasts_a_shift(app: Flask) -> None:
    cookie = session_cookie(app, "https://parley.example.org")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "expires"} <= attributes
    assert "SameSite=Lax" in cookie
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert abs(expires - (datetime.now(UTC) + timedelta(hours=12))) < timedelta(minutes=5)


@pytest.mark.parametrize(
    ("public_base_url", "setting", "base_url", "secure"),
    [
        ("", None, "http://localhost:8000", False),  # the quick start
        ("", None, "http://127.0.0.1:8000", False),
        ("", None, "http://[::1]:8000", False),
        ("", None, "https://localhost", True),
        ("", None, "http://survey.example.gov", True),  # plain http elsewhere: still Secure
        ("http://parley.lan:8000", None, "http://parley.lan:8000", False),
        ("https://survey.example.gov", None, "http://localhost", True),
        ("https://survey.example.gov", False, "http://localhost", False),
        ("http://parley.lan:8000", True, "http://parley.lan:8000", True),
    ],
)
def test_cookie_is_secure_unless_plain_http_is_meant(
    make_app: Callable[..., Flask],
    tmp_path: Path,
    public_base_url: str,
    setting: bool | None,
    base_url: str,
    secure: bool,
) -> None:
    app = make_app(sqlite(tmp_path), public_base_url=public_base_url, session_cookie_secure=setting)
    cookie = session_cookie(app, base_url)
    assert ("; Secure" in cookie) is secure


def test_pages_carry_security_headers(app: Flask) -> None:
    officer = app.test_client()
    log_in(officer, make_user(app))
    pages = {"/login": app.test_client().get("/login"), "/officer": officer.get("/officer")}
    for path, page in pages.items():
        assert page.status_code == 200, path
        headers = page.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_elsewhere(app: Flask) -> None:
    page = app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "http://" not in page and "https://" not in page and "//" not in page.replace("<!--", "")
    with app.test_client().get("/static/parley.css") as css:
        assert css.status_code == 200 and "url(" not in css.get_data(as_text=True)


def test_without_secret_key_a_random_one_is_used_and_said(
    make_app: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")
    first = make_app(sqlite(tmp_path), secret_key="")
    second = make_app(sqlite(tmp_path), secret_key="")
    assert first.secret_key != second.secret_key
    assert len(str(first.secret_key)) >= 32
    assert any("SECRET_KEY is not set" in r.getMessage() for r in caplog.records)


def test_a_configured_secret_key_is_used_quietly(
    make_app: Callable[..., Flask], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")
    key = "k" * 40
    assert make_app(sqlite(tmp_path), secret_key=key).secret_key == key
    assert not any("SECRET_KEY" in r.getMessage() for r in caplog.records)


def test_api_and_webhooks_need_no_csrf_token(app: Flask, api_token: str) -> None:
    response = app.test_client().post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": "+15550100777", "flow": "post_contact"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    webhook = app.test_client().post("/webhooks/twilio/sms", data={"Body": "hi"})
    assert webhook.status_code == 403  # refused for its missing signature, not for CSRF
