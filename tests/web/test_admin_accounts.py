"""Accounts in the browser: create (errors next to fields, a password shown once), disable,
enable, unlock, role and unit, the last admin kept, CSRF on every form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.support import FakeClock
from tests.web.admin_pages import account_id, form_token, page_text, post_form, signed_in
from tests.web.pages import PASSWORD, log_in, make_user, new_email, sqlite


@pytest.fixture()
def site(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on SQLite with CSRF protection on."""
    app = make_app(sqlite(tmp_path))
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    return app


def test_creating_an_account_shows_each_mistake_next_to_its_field(site: Flask) -> None:
    admin = signed_in(site, "admin")
    taken = make_user(site)
    form = {"email": taken, "role": "officer", "password": "short", "unit": "North"}
    response = post_form(admin, "/admin/accounts/new", form, "/admin/accounts/new")
    assert response.status_code == 400
    page = page_text(response)
    assert 'id="password-error"' in page and "12 to 1024 characters" in page
    assert 'aria-describedby="password-hint password-error"' in page
    assert 'value="North"' in page and 'value="short"' not in page  # never the password

    form["password"] = PASSWORD
    again = post_form(admin, "/admin/accounts/new", form, "/admin/accounts/new")
    assert again.status_code == 400
    assert 'id="email-error"' in page_text(again)
    assert "An account with this email already exists." in page_text(again)


def test_a_typed_password_creates_the_account_and_redirects(site: Flask) -> None:
    admin = signed_in(site, "admin")
    email = new_email("officer")
    form = {"email": email, "role": "supervisor", "officer_id": "S-9", "password": PASSWORD}
    response = post_form(admin, "/admin/accounts/new", form, "/admin/accounts/new")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/accounts/{account_id(site, email)}"
    shown = admin.get(response.headers["Location"])
    assert f"Account {email} created." in page_text(shown)
    assert log_in(site.test_client(), email).status_code == 302


def test_a_generated_password_is_shown_once_and_works(site: Flask) -> None:
    import re

    admin = signed_in(site, "admin")
    email = new_email("officer")
    response = post_form(admin, "/admin/accounts/new", {"email": email, "role": "officer"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    found = re.search(r'id="new-password">([^<]+)<', response.get_data(as_text=True))
    assert found is not None
    password = found.group(1)
    assert len(password) >= 20
    assert password not in str(response.headers.get("Set-Cookie", ""))
    assert log_in(site.test_client(), email, password).status_code == 302
    # Nowhere else: the account's page does not show it.
    assert password not in page_text(admin.get(f"/admin/accounts/{account_id(site, email)}"))


def test_disable_enable_and_unlock(site: Flask, clock: FakeClock) -> None:
    admin = signed_in(site, "admin")
    email = make_user(site)
    path = f"/admin/accounts/{account_id(site, email)}"
    officer = site.test_client()
    assert log_in(officer, email).status_code == 302

    assert post_form(admin, f"{path}/disable", {}, path).status_code == 303
    assert officer.get("/officer").status_code == 302  # signed out at once
    assert log_in(site.test_client(), email).status_code == 400
    assert "Disabled" in page_text(admin.get(path))

    assert post_form(admin, f"{path}/enable", {}, path).status_code == 303
    assert log_in(site.test_client(), email).status_code == 302

    for _ in range(5):
        log_in(site.test_client(), email, "wrong password, again")
    assert log_in(site.test_client(), email).status_code == 400
    assert "Locked until" in page_text(admin.get(path))
    assert post_form(admin, f"{path}/unlock", {}, path).status_code == 303
    assert log_in(site.test_client(), email).status_code == 302


def test_role_and_unit_change(site: Flask) -> None:
    admin = signed_in(site, "admin")
    email = make_user(site)
    path = f"/admin/accounts/{account_id(site, email)}"
    response = post_form(admin, path, {"role": "supervisor", "unit": "East"}, path)
    assert response.status_code == 303 and response.headers["Location"] == path
    page = page_text(admin.get(path))
    assert "Account " + email + " saved." in page
    assert "<dd>Supervisor</dd>" in page and "<dd>East</dd>" in page

    bad = post_form(admin, path, {"role": "chief", "unit": "East"}, path)
    assert bad.status_code == 400 and 'id="role-error"' in page_text(bad)


def test_the_last_admin_cannot_disable_or_demote_themself(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    site = make_app(sqlite(tmp_path))  # a database of its own: exactly one admin
    email = make_user(site, "admin")
    admin = site.test_client()
    log_in(admin, email)
    path = f"/admin/accounts/{account_id(site, email)}"

    demoted = post_form(admin, path, {"role": "officer", "unit": ""}, path)
    assert demoted.status_code == 400
    assert "is the last admin who can sign in" in page_text(demoted)
    assert 'id="role-error"' in page_text(demoted)

    disabled = post_form(admin, f"{path}/disable", {}, path)
    assert disabled.status_code == 303
    assert "is the last admin who can sign in" in page_text(admin.get(path))
    assert admin.get("/admin/accounts").status_code == 200  # still signed in, still admin

    # With a second admin, the first may step down.
    make_user(site, "admin")
    assert post_form(admin, path, {"role": "supervisor", "unit": ""}, path).status_code == 303


def test_supervisors_see_accounts_without_any_form(site: Flask) -> None:
    supervisor = signed_in(site, "supervisor")
    path = f"/admin/accounts/{account_id(site, make_user(site))}"
    page = page_text(supervisor.get(path))
    assert "<form" not in page.split("<main", 1)[1]
    assert "New account" not in page_text(supervisor.get("/admin/accounts"))
    assert "Audit log" not in page_text(supervisor.get("/admin/accounts"))


def test_an_unknown_account_is_404(site: Flask) -> None:
    admin = signed_in(site, "admin")
    missing = "/admin/accounts/00000000-0000-4000-8000-000000000000"
    response = admin.get(missing)
    assert response.status_code == 404 and "There is no such account." in page_text(response)
    assert post_form(admin, f"{missing}/disable", {}).status_code == 404


FORMS = [
    ("/admin/accounts/new", {"email": "x@agency.example", "role": "officer"}),
    ("/admin/accounts/{id}", {"role": "supervisor", "unit": "x"}),
    ("/admin/accounts/{id}/disable", {}),
    ("/admin/accounts/{id}/enable", {}),
    ("/admin/accounts/{id}/unlock", {}),
    ("/logout", {}),
]


@pytest.mark.parametrize(("path", "body"), FORMS, ids=[path for path, _ in FORMS])
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_admin_form_refuses_a_post_without_its_csrf_token(
    site: Flask, path: str, body: dict[str, str], token: str
) -> None:
    from tests.web.admin_pages import audit_rows

    admin = signed_in(site, "admin")
    email = make_user(site)
    target = path.replace("{id}", account_id(site, email))
    before = audit_rows(site)
    data = dict(body) if token == "missing" else {**body, "csrf_token": "forged"}
    response = admin.post(target, data=data)
    assert response.status_code == 400
    assert "The form expired" in page_text(response)
    assert audit_rows(site) == before  # nothing happened
    # The same form with the page's token goes through.
    real = form_token(admin.get("/admin/accounts/new"))
    assert admin.post(target, data={**body, "csrf_token": real}).status_code in (200, 302, 303)
