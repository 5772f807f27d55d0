"""Every role against every admin route: officers nowhere, supervisors read, admins write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from tests.web.admin_pages import account_id, signed_in
from tests.web.pages import csrf_token, make_user, sqlite

# (method, path): {role: status}; "{id}" is an officer's account. Anonymous visitors are
# sent to sign in (302 to /login) everywhere.
READ = {"officer": 403, "supervisor": 200, "admin": 200}
ADMIN_ONLY_PAGE = {"officer": 403, "supervisor": 403, "admin": 200}
WRITE = {"officer": 403, "supervisor": 403, "admin": 303}
ROUTES = [
    ("GET", "/admin", {"officer": 403, "supervisor": 302, "admin": 302}),
    ("GET", "/admin/flows", READ),
    ("GET", "/admin/accounts", READ),
    ("GET", "/admin/accounts/{id}", READ),
    ("GET", "/admin/accounts/new", ADMIN_ONLY_PAGE),
    ("GET", "/admin/audit", ADMIN_ONLY_PAGE),
    ("GET", "/admin/alerts", READ),
    ("POST", "/admin/accounts/new", {"officer": 403, "supervisor": 403, "admin": 200}),
    ("POST", "/admin/accounts/{id}", WRITE),
    ("POST", "/admin/accounts/{id}/disable", WRITE),
    ("POST", "/admin/accounts/{id}/enable", WRITE),
    ("POST", "/admin/accounts/{id}/unlock", WRITE),
]
ROLES = [None, "officer", "supervisor", "admin"]
# What each write posts besides its CSRF token: valid, so an admin's post succeeds.
BODIES = {
    "/admin/accounts/new": lambda: {"email": f"new-{_suffix()}@agency.example", "role": "officer"},
    "/admin/accounts/{id}": lambda: {"role": "officer", "unit": "North"},
}


def _suffix() -> str:
    """Return a random suffix for an email no other test uses."""
    import secrets

    return secrets.token_hex(4)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a folder for the module's database."""
    return tmp_path_factory.mktemp("admin-roles")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize(("method", "path", "expected"), ROUTES, ids=lambda v: str(v))
def test_every_role_against_every_admin_route(
    make_app: Callable[..., Flask],
    tmp_path: Path,
    role: str | None,
    method: str,
    path: str,
    expected: dict[str, int],
) -> None:
    app = make_app(sqlite(tmp_path))
    target = path.replace("{id}", account_id(app, make_user(app, "officer")))
    client = signed_in(app, role)
    if method == "GET":
        response = client.get(target)
    else:
        # A valid CSRF token, so the answer is about the role alone.
        token = csrf_token(client, "/login") if role is None else csrf_token(client, "/officer")
        body = BODIES.get(path, dict)()
        response = client.post(target, data={"csrf_token": token, **body})
    if role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected[role], response.get_data(as_text=True)[:500]
        if expected[role] == 403:
            assert "Not allowed" in response.get_data(as_text=True)
