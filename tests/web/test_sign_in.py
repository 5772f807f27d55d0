"""Signing in to the staff pages: one answer for every failure, lockout, CSRF, roles, sign-out."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask

from tests.support import FakeClock
from tests.web.pages import PASSWORD, csrf_token, log_in, make_user, new_email, text

LOGIN_FAILED = "Invalid email or password."


@pytest.fixture()
def site(make_app: Callable[[str], Flask], database_url: str) -> Flask:
    """Return the app on SQLite, then on PostgreSQL; CSRF protection stays on."""
    app = make_app(database_url)
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    return app


def test_signing_in_leads_to_the_officer_page(site: Flask) -> None:
    client = site.test_client()
    email = make_user(site, officer_id="B-1042")

    first = client.get("/officer")
    assert first.status_code == 302
    assert first.headers["Location"] == "/login?next=%2Fofficer"

    signed_in = log_in(client, email, next_path="/officer")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/officer"
    page = client.get("/officer")
    assert page.status_code == 200
    assert "Request a survey" in text(page) and "B-1042" in text(page)


def test_email_is_matched_whatever_its_case(site: Flask) -> None:
    email = make_user(site, email="Sgt.Reyes@Agency.Example")
    assert email == "Sgt.Reyes@Agency.Example"
    response = log_in(site.test_client(), "  sgt.reyes@AGENCY.example ")
    assert response.status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_answer(site: Flask) -> None:
    email = make_user(site)
    wrong = log_in(site.test_client(), email, "not the password at all")
    unknown = log_in(site.test_client(), new_email(), PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert LOGIN_FAILED in text(response)
    # What was typed stays (but never the password).
    assert f'value="{email}"' in text(wrong)
    assert "not the password at all" not in text(wrong)


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    site: Flask, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    email = make_user(site)
    client = site.test_client()
    caplog.set_level(logging.INFO, logger="bot")
    for _ in range(5):
        clock.advance(seconds=30)
        assert log_in(client, email, "wrong password, again").status_code == 400

    locked = log_in(client, email)
    assert locked.status_code == 400 and LOGIN_FAILED in text(locked)
    assert "locked" not in text(locked).lower()
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert any("is locked until" in m for m in messages)
    assert not any(email in m for m in messages)

    clock.advance(minutes=14, seconds=59)
    assert log_in(client, email).status_code == 400
    clock.advance(seconds=1)
    assert log_in(client, email).status_code == 302


def test_wrong_passwords_spread_out_do_not_lock(site: Flask, clock: FakeClock) -> None:
    email = make_user(site)
    client = site.test_client()
    for _ in range(4):
        assert log_in(client, email, "wrong password, again").status_code == 400
    clock.advance(minutes=16)
    for _ in range(4):
        assert log_in(client, email, "wrong password, again").status_code == 400
    assert log_in(client, email).status_code == 302


def test_a_success_forgets_earlier_wrong_passwords(site: Flask) -> None:
    email = make_user(site)
    for _ in range(4):
        log_in(site.test_client(), email, "wrong password, again")
    assert log_in(site.test_client(), email).status_code == 302
    for _ in range(4):
        log_in(site.test_client(), email, "wrong password, again")
    assert log_in(site.test_client(), email).status_code == 302


def test_posts_without_a_csrf_token_are_refused(site: Flask) -> None:
    email = make_user(site)
    client = site.test_client()
    client.get("/login")
    no_token = client.post("/login", data={"email": email, "password": PASSWORD})
    assert no_token.status_code == 400
    assert "The form expired" in text(no_token)
    forged = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": "forged"}
    )
    assert forged.status_code == 400

    assert log_in(client, email).status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.post("/officer", data={"phone": "+15550100123"}).status_code == 400
    assert client.get("/officer").status_code == 200  # still signed in


def test_sign_out_ends_the_session(site: Flask) -> None:
    email = make_user(site)
    client = site.test_client()
    log_in(client, email)
    token = csrf_token(client, "/officer")

    out = client.post("/logout", data={"csrf_token": token})

    assert out.status_code == 302 and out.headers["Location"] == "/login"
    assert client.get("/officer").status_code == 302


def test_a_cookie_copied_before_sign_out_no_longer_works(site: Flask) -> None:
    email = make_user(site)
    client = site.test_client()
    log_in(client, email)
    cookie = client.get_cookie("parley_session")
    assert cookie is not None
    token = csrf_token(client, "/officer")
    client.post("/logout", data={"csrf_token": token})

    thief = site.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/officer").status_code == 302  # sent to sign in

    # Signing in again works, with a new cookie.
    log_in(client, email)
    assert client.get("/officer").status_code == 200


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(site: Flask) -> None:
    from bot.services.account_admin import disable_user

    rt = site.extensions["parley.runtime"]
    email = make_user(site)
    client = site.test_client()
    log_in(client, email)
    assert client.get("/officer").status_code == 200

    assert disable_user(rt.uow, email, rt.clock()) is True

    assert client.get("/officer").status_code == 302
    again = log_in(site.test_client(), email)
    assert again.status_code == 400 and LOGIN_FAILED in text(again)


def test_roles_limit_what_a_page_allows(site: Flask) -> None:
    from bot.web.auth import role_required

    @role_required("admin")
    def admin_only() -> str:
        return "admin area"

    site.add_url_rule("/admin-only", "admin_only", admin_only)
    officer, admin = site.test_client(), site.test_client()
    log_in(officer, make_user(site, "officer"))
    log_in(admin, make_user(site, "admin"))

    refused = officer.get("/admin-only")
    assert refused.status_code == 403 and "Not allowed" in text(refused)
    assert admin.get("/admin-only").get_data(as_text=True) == "admin area"
    anonymous = site.test_client().get("/admin-only")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")
    for role in ("officer", "supervisor", "admin"):
        client = site.test_client()
        log_in(client, make_user(site, role))
        assert client.get("/officer").status_code == 200, role


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/officer",
        "//evil.example/officer",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "officer",
    ],
)
def test_next_never_leaves_the_site(app: Flask, target: str) -> None:
    email = make_user(app)
    response = log_in(app.test_client(), email, next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/officer"


def test_next_within_the_site_is_followed(app: Flask) -> None:
    email = make_user(app)
    response = log_in(app.test_client(), email, next_path="/officer?from=card")
    assert response.headers["Location"] == "/officer?from=card"


def test_signed_in_visit_to_the_login_page_goes_on(app: Flask) -> None:
    client = app.test_client()
    log_in(client, make_user(app))
    response = client.get("/login?next=//evil.example")
    assert response.status_code == 302 and response.headers["Location"] == "/officer"
