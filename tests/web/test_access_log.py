"""Audited reads: every read of per-survey data leaves who, what and when in the audit log.

The API's survey report, exported responses, the dashboard's and the officer feedback's
comments, and the alert list each write one entry per read; a refused or failed read writes
none. Only admins read the log, filtered by action.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask

from tests.integration.test_alert_delivery import answer_survey
from tests.public_results import store_survey
from tests.web.admin_pages import audit_rows, page_text, signed_in
from tests.web.pages import log_in, make_user
from tests.web.responses_helpers import answer, ask, bearer
from tests.web.results_pages import NOVEMBER, with_surveys

READS = ("survey_report_read", "responses_exported", "comments_read", "alerts_read")


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str) -> Flask:
    """An app on a database of its own: SQLite, then PostgreSQL."""
    return make_app(own_database_url)


def reads(app: Flask) -> list[tuple[str, str, str, str]]:
    """Return the audit entries of reads, newest first."""
    return [row for row in audit_rows(app) if row[1] in READS]


def api_token(app: Flask, *scopes: str) -> tuple[str, str]:
    """Create a token with `scopes`; return its name and its plain text."""
    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    name = f"cad-{secrets.token_hex(3)}"
    return name, create_token(rt.uow, name, rt.clock(), scopes)


def test_each_survey_report_read_is_logged_with_the_token_and_what_it_held(site: Flask) -> None:
    client = site.test_client()
    reader, raw = api_token(site, "surveys:write", "results:read")
    dispatch, dispatch_raw = api_token(site, "surveys:write")
    survey_id, number = ask(client, raw)
    answer(client, number, "yes", "5")

    assert client.get(f"/api/v1/surveys/{survey_id}", headers=bearer(raw)).status_code == 200
    assert client.get(f"/api/v1/surveys/{survey_id}", headers=bearer(dispatch_raw)).json
    assert reads(site) == [
        (f"API token {dispatch}", "survey_report_read", survey_id, "status only"),
        (f"API token {reader}", "survey_report_read", survey_id, "2 answers"),
    ]
    # Refused or failed reads write nothing: no token, an unknown one, no such survey.
    assert client.get(f"/api/v1/surveys/{survey_id}").status_code == 401
    assert client.get(f"/api/v1/surveys/{survey_id}", headers=bearer("pk_nope")).status_code == 401
    assert client.get(f"/api/v1/surveys/{uuid.uuid4()}", headers=bearer(raw)).status_code == 404
    assert client.get("/api/v1/surveys/not-an-id", headers=bearer(raw)).status_code == 404
    assert len(reads(site)) == 2


def test_each_export_page_and_csv_is_logged_with_its_rows(site: Flask) -> None:
    client = site.test_client()
    _, writer = api_token(site, "surveys:write")
    for _ in range(3):
        ask(client, writer)
    name, raw = api_token(site, "responses:read")
    actor = f"API token {name}"

    first = client.get("/api/v1/responses?limit=2", headers=bearer(raw)).get_json()
    cursor = first["next_cursor"]
    query = {"cursor": cursor, "since": "2026-11-01"}
    assert client.get("/api/v1/responses", query_string=query, headers=bearer(raw)).status_code
    csv = client.get("/api/v1/responses?format=csv", headers=bearer(raw))
    assert csv.status_code == 200 and len(csv.get_data(as_text=True).splitlines()) == 4

    rows = reads(site)
    assert {(who, action) for who, action, _, _ in rows} == {(actor, "responses_exported")}
    assert [(subject, detail) for _, _, subject, detail in rows] == [
        ("every response", "CSV, 3 rows"),
        ("responses since 2026-11-01T00:00:00+00:00", "JSON page after a cursor, 1 row"),
        ("every response", "JSON page, 2 rows"),
    ]
    refused = (
        client.get("/api/v1/responses?cursor=garbage", headers=bearer(raw)),
        client.get("/api/v1/responses?format=xml", headers=bearer(raw)),
        client.get("/api/v1/responses", headers=bearer(writer)),
    )
    assert [r.status_code for r in refused] == [400, 400, 403]
    assert len(reads(site)) == 3


def test_a_csv_the_client_stops_reading_is_logged_with_the_rows_sent(site: Flask) -> None:
    client = site.test_client()
    _, writer = api_token(site, "surveys:write")
    for _ in range(3):
        ask(client, writer)
    name, raw = api_token(site, "responses:read")

    streamed = client.get("/api/v1/responses?format=csv", headers=bearer(raw), buffered=False)
    lines = iter(streamed.response)
    next(lines), next(lines)  # the header and the first survey, then the client goes away
    assert reads(site) == []  # still being read
    streamed.close()

    assert reads(site) == [
        (f"API token {name}", "responses_exported", "every response", "CSV, 1 row, stopped early")
    ]


def test_the_dashboards_comments_are_logged_when_shown(site: Flask) -> None:
    with_surveys(site)
    admin_email = make_user(site, "admin")
    admin = site.test_client()
    log_in(admin, admin_email)

    assert admin.get(f"/results?{NOVEMBER}&language=es").status_code == 200
    assert admin.get(f"/results/comments.csv?{NOVEMBER}").status_code == 200
    assert admin.get(f"/results/funnel.csv?{NOVEMBER}").status_code == 200  # a count: not logged

    november = "dashboard comments 2026-11-01 to 2026-11-30"
    assert reads(site) == [
        (admin_email, "comments_read", f"{november}, page 1", "CSV, 3 comments"),
        (admin_email, "comments_read", f"{november}, language es, page 1", "page, 1 comment"),
    ]
    # Filters refused, a figure unknown, a reader who may not: nothing read, nothing logged.
    assert admin.get("/results?since=2026-13-01").status_code == 400
    assert admin.get(f"/results/nothing.csv?{NOVEMBER}").status_code == 404
    assert signed_in(site, "officer").get(f"/results?{NOVEMBER}").status_code == 403
    # A page with no comment shown holds no resident's words.
    assert admin.get("/results?since=2020-01-01&until=2020-01-31").status_code == 200
    assert len(reads(site)) == 2


def test_the_alert_list_is_logged_when_it_shows_alerts(site: Flask) -> None:
    unit = f"unit-{secrets.token_hex(3)}"
    email = make_user(site, "supervisor", unit=unit)
    supervisor = site.test_client()
    log_in(supervisor, email)
    assert supervisor.get("/admin/alerts").status_code == 200
    assert reads(site) == []  # none to show

    officer = f"C{secrets.token_hex(3)}"
    make_user(site, "officer", officer_id=officer, unit=unit)
    answer_survey(site, officer, ("yes", "1"))
    assert supervisor.get("/admin/alerts?show=all").status_code == 200

    [(actor, action, subject, detail)] = reads(site)
    assert (actor, action, subject) == (email, "alerts_read", f"all alerts of unit {unit}")
    assert detail.startswith("1 alert(s), ")
    assert signed_in(site, "officer").get("/admin/alerts").status_code == 403
    assert len(reads(site)) == 1


def test_officer_feedback_comments_are_logged_when_shown(
    make_app: Callable[..., Flask], own_database_url: str
) -> None:
    app = make_app(own_database_url, k_anonymity=2, feedback_delay_days=7)
    for words in ("Kind and clear", "Abrupt"):
        store_survey(app, datetime(2026, 10, 20, 9, tzinfo=UTC), {"overall": 4}, comment=words)
    email = make_user(app, "officer", officer_id="B-100")
    officer = app.test_client()
    log_in(officer, email)
    stranger = app.test_client()
    log_in(stranger, make_user(app, "officer", officer_id="B-999"))

    assert "Abrupt" in page_text(officer.get("/officer/feedback"))
    assert stranger.get("/officer/feedback").status_code == 200  # no surveys: no comments

    assert reads(app) == [(email, "comments_read", "officer feedback of B-100", "page, 2 comments")]


def test_admins_filter_reads_on_the_audit_page_and_no_one_else_sees_it(site: Flask) -> None:
    client = site.test_client()
    name, raw = api_token(site, "surveys:write", "results:read")
    survey_id, _ = ask(client, raw)
    client.get(f"/api/v1/surveys/{survey_id}", headers=bearer(raw))

    admin = signed_in(site, "admin")
    page = page_text(admin.get("/admin/audit?action=survey_report_read"))
    for label in ("Survey report read", "Responses exported", "Comments read", "Alerts read"):
        assert f">{label}</option>" in page  # every read is a choice of the filter
    results = page.split('id="audit-results"')[1]
    assert f"API token {name}" in results and survey_id in results
    assert 'data-action="survey_report_read">Survey report read<' in results
    assert 'data-action="sign_in"' not in results  # the admin's own sign-in is filtered out
    for role in ("officer", "supervisor"):
        assert signed_in(site, role).get("/admin/audit").status_code == 403
