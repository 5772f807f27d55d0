"""Every admin route, read from the app's own URL map: none escapes sign-in, roles or CSRF.

The per-page tests check what each role may do on each page; this one makes sure a route added
later cannot skip the guards: officers get 403 on every admin route and anonymous visitors are
sent to sign in, whatever the method; and an admin's post without a CSRF token changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.admin_pages import signed_in
from tests.web.pages import csrf_token, sqlite

# Values for the URL's parts: any will do, since the guards answer before the page looks.
SAMPLES = {
    "flow_id": "post_contact",
    "qid": "respect",
    "language": "es",
    "number": "1",
    "action": "disable",
}


def admin_routes(app: Flask) -> Iterator[tuple[str, str]]:
    """Yield (method, path) of every staff route under /admin, the parts filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        values = {
            name: SAMPLES.get(name, "00000000-0000-0000-0000-000000000000")
            for name in rule.arguments
        }
        path = rule.build(values, append_unknown=False)[1] if values else rule.rule
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield method, path


@pytest.fixture()
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on its own SQLite database."""
    return make_app(sqlite(tmp_path))


def call(client: FlaskClient, method: str, path: str, token: str | None) -> int:
    """Call a route (a form post carries `token` when given); return the status."""
    if method == "GET":
        return client.get(path).status_code
    data = {"csrf_token": token} if token else {}
    return client.open(path, method=method, data=data).status_code


def test_the_admin_site_has_the_routes_this_test_walks(app: Flask) -> None:
    routes = list(admin_routes(app))
    # The site's pages: flows, drafts, editor, grid, versions, routing, accounts, alerts, audit.
    assert len(routes) >= 30, routes
    assert ("POST", "/admin/flows/post_contact/draft/publish") in routes
    assert ("GET", "/admin/flows/post_contact/draft/translations") in routes


def test_officers_get_403_and_anonymous_visitors_sign_in_on_every_admin_route(app: Flask) -> None:
    officer, anonymous = signed_in(app, "officer"), signed_in(app, None)
    token = csrf_token(officer, "/officer")
    anonymous_token = csrf_token(anonymous, "/login")
    for method, path in admin_routes(app):
        assert call(officer, method, path, token) == 403, (method, path)
        status = call(anonymous, method, path, anonymous_token)
        assert status == 302, (method, path, status)


def test_an_admin_post_without_its_csrf_token_is_refused_everywhere(app: Flask) -> None:
    admin = signed_in(app, "admin")
    for method, path in admin_routes(app):
        if method != "GET":
            assert call(admin, method, path, None) == 400, (method, path)
