"""Drive the admin site with a test client: signed-in clients per role, forms with CSRF tokens."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.pages import csrf_token, log_in, make_user

_FORM_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def signed_in(app: Flask, role: str | None) -> FlaskClient:
    """Return a client signed in with a new account of `role` (None: nobody signed in)."""
    client = app.test_client()
    if role is not None:
        response = log_in(client, make_user(app, role))
        assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post_form(
    client: FlaskClient, path: str, data: dict[str, str], token_from: str = "/officer"
) -> TestResponse:
    """Post a form with the session's CSRF token, read from a page the client may open."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **data})


def account_id(app: Flask, email: str) -> str:
    """Return the id of the account with this email."""
    from bot.services.account_admin import find_account

    found = find_account(app.extensions["parley.runtime"].uow, email)
    assert found is not None
    return str(found.id)


def audit_rows(app: Flask, action: str | None = None) -> list[tuple[str, str, str, str]]:
    """Return every audit entry as (actor, action, subject, detail), newest first."""
    from bot.services.audit import audit_page
    from storage.queries import AuditFilter

    queries = app.extensions["parley.runtime"].admin
    rows, page = [], 1
    while True:
        found = audit_page(queries, AuditFilter(action=action), page)
        rows += [(e.actor, e.action, e.subject, e.detail) for e in found.entries]
        if not found.has_next:
            return rows
        page += 1


def page_text(response: TestResponse) -> str:
    """Return a page's HTML with entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def form_token(response: TestResponse) -> str:
    """Return the CSRF token a page's form carries."""
    found = _FORM_CSRF.search(response.get_data(as_text=True))
    assert found, "no CSRF token on the page"
    return html.unescape(found.group(1))
