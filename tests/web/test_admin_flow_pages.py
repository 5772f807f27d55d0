"""The flow page, the draft's YAML files, the routing page: by role, with CSRF, audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.translation_samples import FLOW, line_of, shipped_locales, write
from tests.web.admin_pages import audit_rows, form_token, page_text, signed_in
from tests.web.pages import csrf_token, sqlite

READ = {"officer": 403, "supervisor": 200, "admin": 200}
ADMIN_PAGE = {"officer": 403, "supervisor": 403, "admin": 200}
WRITE = {"officer": 403, "supervisor": 403, "admin": 303}
ROUTES = [
    ("GET", "/admin/flows/tiny", READ),
    ("GET", "/admin/flows/tiny/diff?old=1&new=1", READ),
    ("GET", "/admin/flows/tiny/versions/1/export", READ),
    ("GET", "/admin/flows/tiny/versions/1/rollback", ADMIN_PAGE),
    ("GET", "/admin/routing", READ),
    ("POST", "/admin/flows/tiny/draft/start", WRITE),
    ("POST", "/admin/flows/tiny/draft/discard", WRITE),
    ("POST", "/admin/flows/tiny/draft/publish", WRITE),
    ("POST", "/admin/flows/tiny/versions/1/rollback", WRITE),
    ("GET", "/admin/flows/tiny/draft/yaml", {**ADMIN_PAGE, "admin": 303}),  # no draft yet
    ("POST", "/admin/flows/tiny/draft/yaml", {**ADMIN_PAGE, "admin": 303}),
    ("POST", "/admin/routing", WRITE),
    ("POST", "/admin/routing/remove", WRITE),
]
ROLES = [None, "officer", "supervisor", "admin"]
BODIES = {
    "/admin/routing": {"call_type": "Traffic Stop", "flow": "tiny"},
    "/admin/routing/remove": {"call_type": "Traffic Stop"},
}


@pytest.fixture()
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app with the tiny flow as its only flow, recorded as version 1."""
    flows = tmp_path / "flows"
    write(flows, "tiny.yaml", FLOW)
    return make_app(
        sqlite(tmp_path),
        flows_dir=flows,
        locales_dir=shipped_locales(tmp_path / "locales"),
        default_flow="tiny",
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize(("method", "path", "expected"), ROUTES, ids=lambda v: str(v))
def test_every_role_against_every_flow_route(
    app: Flask, role: str | None, method: str, path: str, expected: dict[str, int]
) -> None:
    client = signed_in(app, role)
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token(client, "/login") if role is None else csrf_token(client, "/officer")
        response = client.post(path, data={"csrf_token": token, **BODIES.get(path, {})})
    if role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected[role], response.get_data(as_text=True)[:500]


def post(client: FlaskClient, path: str, data: dict[str, str] | None = None) -> TestResponse:
    """Post a form with the token of the flow page, as its buttons do."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/officer"), **(data or {})})


def save_yaml(client: FlaskClient, text: str) -> TestResponse:
    """Save the draft's flow file as typed in its text area, following the redirect."""
    token = form_token(client.get("/admin/flows/tiny/draft/yaml"))
    data = {"csrf_token": token, "file:tiny.yaml": text}
    return client.post("/admin/flows/tiny/draft/yaml", data=data, follow_redirects=True)


def test_a_post_without_its_csrf_token_changes_nothing(app: Flask) -> None:
    admin = signed_in(app, "admin")
    refused = admin.post("/admin/flows/tiny/draft/start", data={})
    assert refused.status_code == 400
    assert "No draft." in page_text(admin.get("/admin/flows/tiny"))
    refused = admin.post("/admin/routing", data={"call_type": "Theft", "flow": "tiny"})
    assert refused.status_code == 400
    assert audit_rows(app, "route_changed") == []


def test_a_draft_with_an_error_shows_it_at_its_line_and_is_refused_then_published(
    app: Flask,
) -> None:
    admin = signed_in(app, "admin")
    assert post(admin, "/admin/flows/tiny/draft/start").status_code == 303
    listed = page_text(admin.get("/admin/flows"))
    assert "Draft of version 1, saved by admin-" in listed and "no problems" in listed

    broken = FLOW.replace("    next: why\n", "    next: nowhere\n")
    shown = page_text(save_yaml(admin, broken))
    line = line_of(broken, "next: nowhere")
    assert "Draft saved with 5 problems." in shown  # the unknown node, and what it cuts off
    assert f"Line {line} (<code>nodes[1].next</code>): next 'nowhere' names no node" in shown
    assert "next: nowhere" in shown  # the text as typed is kept
    assert "5 problems" in page_text(admin.get("/admin/flows"))

    refused = post(admin, "/admin/flows/tiny/draft/publish")
    assert refused.status_code == 400
    reasons = page_text(refused).split('id="refused"')[1].split("</div>")[0]
    assert "nodes[1].next" in reasons and "nowhere" in reasons and "tiny.yaml, line" in reasons
    assert "Version 2" not in page_text(admin.get("/admin/flows"))

    save_yaml(admin, FLOW.replace("How was it?", "How did it go?"))
    done = post(admin, "/admin/flows/tiny/draft/publish")
    assert done.status_code == 303
    page = page_text(admin.get("/admin/flows/tiny"))
    assert "Published as version 2" in page and "No draft." in page
    assert 'id="version-2"' in page and "published in the browser" in page
    actions = [row[1] for row in audit_rows(app)]
    assert actions[:3] == ["flow_published", "flow_draft_saved", "flow_draft_saved"]


def test_a_rollback_publishes_the_old_version_again_and_the_diff_shows_the_wording(
    app: Flask,
) -> None:
    admin = signed_in(app, "admin")
    post(admin, "/admin/flows/tiny/draft/start")
    save_yaml(admin, FLOW.replace("How was it?", "How did it go?").replace('"Otro"', '"Otra"'))
    post(admin, "/admin/flows/tiny/draft/publish")

    diff = page_text(admin.get("/admin/flows/tiny/diff?old=1&new=2"))
    rate = diff.split('id="q-rate"')[1].split("</section>")[0]
    assert "Wording in en" in rate and "How was it?" in rate and "How did it go?" in rate
    why = diff.split('id="q-why"')[1].split("</section>")[0]
    assert "Wording in es" in why and "options[other].label" in why and "Otra" in why
    assert "hello" not in diff.split("<h1")[1].split("</h1>")[0]
    assert admin.get("/admin/flows/tiny/diff?old=1&new=9").status_code == 400

    confirm = admin.get("/admin/flows/tiny/versions/1/rollback")
    assert "Roll back tiny to version 1?" in page_text(confirm)
    data = {"csrf_token": form_token(confirm)}
    assert admin.post("/admin/flows/tiny/versions/1/rollback", data=data).status_code == 303
    page = page_text(admin.get("/admin/flows/tiny"))
    assert "Version 1 is live again, as version 3." in page
    assert "rollback to version 1" in page
    assert "How was it?" in admin.get("/admin/flows/tiny/preview").get_data(as_text=True)
    rolled = audit_rows(app, "flow_rolled_back")
    assert rolled[0][2:] == ("tiny", "version 1 published again as version 3")


def test_export_downloads_a_versions_files_in_a_zip(app: Flask) -> None:
    response = signed_in(app, "supervisor").get("/admin/flows/tiny/versions/1/export")
    assert response.mimetype == "application/zip"
    assert 'filename="tiny-v1.zip"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == ["tiny.yaml"]
        assert "How was it?" in archive.read("tiny.yaml").decode()
    assert signed_in(app, "admin").get("/admin/flows/tiny/versions/7/export").status_code == 404
    assert signed_in(app, "admin").get("/admin/flows/nope").status_code == 404


def test_supervisors_see_the_flow_page_without_its_buttons(app: Flask) -> None:
    page = page_text(signed_in(app, "supervisor").get("/admin/flows/tiny"))
    assert "Version history" in page and "Export version 1" in page
    assert "Start a draft</button>" not in page and "Roll back" not in page


def test_the_draft_preview_shows_the_drafts_wording(app: Flask) -> None:
    admin = signed_in(app, "admin")
    assert admin.get("/admin/flows/tiny/preview?draft=1").status_code == 404  # no draft yet
    post(admin, "/admin/flows/tiny/draft/start")
    save_yaml(admin, FLOW.replace("a short survey", "a brief survey"))
    assert "Preview draft" in page_text(admin.get("/admin/flows/tiny"))
    drafted = page_text(admin.get("/admin/flows/tiny/preview?draft=1"))
    assert "a brief survey" in drafted and "Preview of the draft" in drafted
    assert "a short survey" in page_text(admin.get("/admin/flows/tiny/preview"))
    save_yaml(admin, FLOW.replace("    next: why\n", "    next: nowhere\n"))
    refused = admin.get("/admin/flows/tiny/preview?draft=1")
    assert refused.status_code == 400 and "5 problem(s)" in page_text(refused)


def test_routing_changes_are_audited_and_mistakes_shown_beside_their_field(app: Flask) -> None:
    admin = signed_in(app, "admin")
    page = page_text(admin.get("/admin/routing"))
    assert "Default flow: <strong>tiny</strong>" in page and "from the DEFAULT_FLOW" in page
    token = form_token(admin.get("/admin/routing"))
    added = admin.post(
        "/admin/routing", data={"csrf_token": token, "call_type": "Traffic Stop", "flow": "tiny"}
    )
    assert added.status_code == 303
    page = page_text(admin.get("/admin/routing"))
    assert "now starts flow tiny" in page and '<th scope="row">traffic_stop</th>' in page

    wrong = admin.post(
        "/admin/routing", data={"csrf_token": token, "call_type": "Theft", "flow": "gone"}
    )
    assert wrong.status_code == 400
    assert "id=\"flow-error\">no live flow 'gone'" in page_text(wrong)
    empty = admin.post(
        "/admin/routing", data={"csrf_token": token, "call_type": " ", "flow": "tiny"}
    )
    assert empty.status_code == 400 and 'id="call_type-error"' in page_text(empty)

    removed = admin.post(
        "/admin/routing/remove", data={"csrf_token": token, "call_type": "traffic_stop"}
    )
    assert removed.status_code == 303
    assert "traffic_stop</th>" not in page_text(admin.get("/admin/routing"))
    rows = audit_rows(app, "route_changed")
    assert [row[2:] for row in rows] == [
        ("traffic_stop", "route removed"),
        ("traffic_stop", "to flow tiny"),
    ]


def test_a_yaml_syntax_error_is_shown_at_its_line_and_the_text_kept(app: Flask) -> None:
    admin = signed_in(app, "admin")
    post(admin, "/admin/flows/tiny/draft/start")
    typed = FLOW.replace("    next: rate\n", "    next: rate\n  bad: [\n")
    shown = page_text(save_yaml(admin, typed))
    error = shown.split('id="file-1-error">')[1].split("</ul>")[0]
    assert f"Line {line_of(typed, 'bad: [')}: YAML syntax error" in error
    assert "  bad: [\n" in shown and 'aria-describedby="file-1-error"' in shown
    assert get_draft_files(app)["tiny.yaml"] == typed


def get_draft_files(app: Flask) -> dict[str, str]:
    """Return the tiny flow's draft files as stored."""
    from bot.services.flow_admin import get_draft

    draft = get_draft(app.extensions["parley.runtime"], "tiny")
    assert draft is not None
    return dict(draft.files)
