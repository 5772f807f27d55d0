"""Drive the staff pages with a test client: accounts, CSRF tokens, sign-in."""

from __future__ import annotations

import html
import re
import secrets
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sqlite(folder: Path) -> str:
    """Return the URL of a SQLite file in `folder`."""
    return f"sqlite:///{folder / 'staff.db'}"


def new_email(role: str = "officer") -> str:
    """Return an email address no other test uses."""
    return f"{role}-{secrets.token_hex(4)}@agency.example"


def make_user(
    app: Flask,
    role: str = "officer",
    email: str | None = None,
    officer_id: str | None = None,
    password: str = PASSWORD,
    unit: str | None = None,
) -> str:
    """Create an account on the app's database; return its email."""
    from bot.services.accounts import create_user

    rt = app.extensions["parley.runtime"]
    address = email or new_email(role)
    create_user(rt.uow, address, password, role, rt.clock(), officer_id=officer_id, unit=unit)
    return address


def csrf_token(
    client: FlaskClient, path: str = "/login", base_url: str = "http://localhost"
) -> str:
    """Open a page and return the CSRF token its form carries."""
    page = client.get(path, base_url=base_url)
    found = _CSRF.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path} ({page.status_code})"
    return html.unescape(found.group(1))


def log_in(
    client: FlaskClient, email: str, password: str = PASSWORD, next_path: str = ""
) -> TestResponse:
    """Post the sign-in form as a browser would, CSRF token included."""
    form = {
        "csrf_token": csrf_token(client),
        "email": email,
        "password": password,
        "next": next_path,
    }
    return client.post("/login", data=form)


def text(response: TestResponse) -> str:
    """Return a page's HTML with entities decoded, for `in` checks."""
    return html.unescape(response.get_data(as_text=True))
