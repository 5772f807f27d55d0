"""The results dashboard's routes: who may read what, bad filters, CSVs equal to their tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.web.admin_pages import signed_in
from tests.web.pages import make_user, sqlite, text
from tests.web.results_pages import NOVEMBER, csv_rows, html_tables, with_surveys

FIGURES = ("funnel", "refusals", "breakdown", "comments", "dist-post_contact-overall")


@pytest.fixture()
def app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """Return the app on its own SQLite database, holding the hand-counted surveys."""
    site = make_app(sqlite(tmp_path))
    with_surveys(site)
    return site


def results_routes(app: Flask) -> Iterator[str]:
    """Yield the path of every route under /results, read from the app's URL map."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/results"):
            assert (rule.methods or set()) - {"HEAD", "OPTIONS"} == {"GET"}, rule
            yield rule.build({"figure": "funnel"}, append_unknown=False)[1]


def funnel_count(client: object, query: str, stage: str = "Triggered") -> str:
    """Return one stage's count from the funnel's CSV."""
    response = client.get(f"/results/funnel.csv?{query}")  # type: ignore[attr-defined]
    assert response.status_code == 200
    rows = {row[0]: row[1] for row in csv_rows(response.get_data(as_text=True))}
    return rows[stage]


def test_every_results_route_is_guarded_by_role(app: Flask) -> None:
    routes = list(results_routes(app))
    assert sorted(routes) == ["/results", "/results/funnel.csv"]
    officer, anonymous = signed_in(app, "officer"), signed_in(app, None)
    supervisor = signed_in_with_unit(app, "north")
    admin = signed_in(app, "admin")
    for path in routes:
        assert officer.get(path).status_code == 403, path
        gone = anonymous.get(path)
        assert gone.status_code == 302 and "/login?next=" in gone.headers["Location"], path
        assert supervisor.get(path).status_code == 200, path
        assert admin.get(path).status_code == 200, path


def signed_in_with_unit(app: Flask, unit: str | None) -> object:
    """Return a client signed in as a supervisor of `unit`."""
    from tests.web.pages import log_in

    client = app.test_client()
    assert log_in(client, make_user(app, "supervisor", unit=unit)).status_code == 302
    return client


def test_a_supervisor_reads_their_own_unit_whatever_the_query_says(app: Flask) -> None:
    supervisor = signed_in_with_unit(app, "north")
    assert funnel_count(supervisor, NOVEMBER) == "7"
    assert funnel_count(supervisor, NOVEMBER + "&unit=south") == "7"
    page = text(supervisor.get(f"/results?{NOVEMBER}&unit=south"))  # type: ignore[attr-defined]
    assert "in your unit: <strong>north</strong>" in page
    assert 'name="unit"' not in page
    officers = supervisor.get(f"/results/breakdown.csv?{NOVEMBER}&by=unit&unit=south")  # type: ignore[attr-defined]
    assert [row[0] for row in csv_rows(officers.get_data(as_text=True))[1:]] == ["north"]


def test_an_admin_reads_every_unit_or_picks_one(app: Flask) -> None:
    admin = signed_in(app, "admin")
    assert funnel_count(admin, NOVEMBER) == "11"
    assert funnel_count(admin, NOVEMBER + "&unit=south") == "3"
    assert funnel_count(admin, NOVEMBER + "&unit=south&officer=C&call_type=traffic") == "3"
    assert funnel_count(admin, NOVEMBER + "&channel=whatsapp", "Partial") == "1"
    assert funnel_count(admin, NOVEMBER + "&flow=post_contact&version=1") == "11"


def test_a_supervisor_without_a_unit_is_told_why_they_cannot_read(app: Flask) -> None:
    client = signed_in_with_unit(app, None)
    for path in ("/results", "/results/funnel.csv"):
        response = client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 403
        assert "no unit" in text(response)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("since=2026-13-01", "Enter a date as YYYY-MM-DD"),
        ("since=yesterday", "Enter a date as YYYY-MM-DD"),
        ("since=2026-11-30&until=2026-11-01", "on or after the first day"),
        ("since=1900-01-01&until=2026-11-01", "at most five years"),
        ("version=2", "Pick a flow"),
        ("flow=post_contact&version=-1", "whole number"),
        ("by=ssn", "Pick one of"),
        ("bucket=day", "Pick one of"),
        ("page=0", "whole number"),
        ("officer=" + "x" * 65, "at most 64 characters"),
        ("unit=north%00", "control characters"),
    ],
)
def test_bad_filters_get_400_with_the_reason(app: Flask, query: str, reason: str) -> None:
    admin = signed_in(app, "admin")
    page = admin.get(f"/results?{query}")
    assert page.status_code == 400
    assert reason in text(page)
    # Each form field with a problem is marked (the comment page is not a form field).
    assert ('aria-invalid="true"' in text(page)) == (not query.startswith("page="))
    download = admin.get(f"/results/funnel.csv?{query}")
    assert download.status_code == 400 and reason in text(download)


def test_an_unknown_figure_is_404(app: Flask) -> None:
    assert signed_in(app, "admin").get(f"/results/nothing.csv?{NOVEMBER}").status_code == 404


def test_each_csv_holds_exactly_its_table(app: Flask) -> None:
    admin = signed_in(app, "admin")
    query = NOVEMBER + "&by=officer"
    tables = html_tables(admin.get(f"/results?{query}").get_data(as_text=True))
    for figure in FIGURES:
        download = admin.get(f"/results/{figure}.csv?{query}")
        assert download.status_code == 200 and download.mimetype == "text/csv"
        rows = csv_rows(download.get_data(as_text=True))
        shown = tables[f"table-{figure}"]
        # The CSV neutralises formula cells; otherwise every cell is as the table shows it.
        assert [[cell.removeprefix("'") for cell in row] for row in rows] == shown, figure


def test_csv_cells_that_would_run_as_formulas_are_neutralised(app: Flask) -> None:
    admin = signed_in(app, "admin")
    rows = csv_rows(admin.get(f"/results/comments.csv?{NOVEMBER}").get_data(as_text=True))
    assert [row[2] for row in rows[1:]] == ["'=cmd()", "Muy bien", "Great"]
    assert rows[2][3] == "Very good"
    # The free-text question is named by its text in the flow's base language.
    assert {row[1][:36] for row in rows[1:]} == {"Anything else you'd like to tell us?"}


def test_the_page_shows_every_figure_and_no_resident(app: Flask) -> None:
    admin = signed_in(app, "admin")
    page = admin.get(f"/results?{NOVEMBER}&bucket=month")
    assert page.status_code == 200
    html = text(page)
    tables = html_tables(page.get_data(as_text=True))
    assert tables["table-funnel"][1:4] == [
        ["Triggered", "11", "100.0"],
        ["Refused by a rule", "3", "27.3"],
        ["Sent", "7", "63.6"],
    ]
    assert "response rate: 57.1%" in html
    assert tables["table-trend-post_contact-overall"][1:] == [["2026-11-01", "5", "3.6"]]
    listened = {r[0]: r[1] for r in tables["table-dist-post_contact-listened"][1:]}
    assert listened == {"Yes": "2", "No": "1"}
    assert 'type="application/json" class="chart-data"' in html
    assert not re.search(r"\+1555\d{7}", html)
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", html)
    assert "<script>" not in html  # no inline script: the CSP would block it
