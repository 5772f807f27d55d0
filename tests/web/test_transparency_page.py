"""The public transparency page: no sign-in, no officer, cacheable, framable, in every language."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.public_results import store_survey
from tests.web.pages import sqlite, text

LANGUAGES = sorted(p.stem for p in (Path(__file__).parents[2] / "locales").glob("*.yaml"))


@pytest.fixture()
def site(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app with a few months of surveys by two officers in two districts."""
    app = make_app(sqlite(tmp_path), k_anonymity=3)
    for month, unit, officer, scores in [
        (8, "East", "B-300", [4, 4, 4, 4, 4]),
        (9, "East", "B-300", [5, 4, 4, 4, 4]),
        (10, "East", "B-300", [3, 3, 3, 3]),
        (8, "North", "B-100", [5, 5, 5, 5]),
        (9, "North", "B-100", [5, 4, 4]),
        (10, "North", "B-100", [5, 5, 5, 5, 5, 5]),
        (8, "South", "B-200", [2, 2, 2, 2]),
        (9, "South", "B-200", [2, 3, 3, 4]),
        (10, "South", "B-200", [1]),
    ]:
        for score in scores:
            moment = datetime(2026, month, 12, 9, tzinfo=UTC)
            store_survey(app, moment, {"overall": score}, unit=unit, officer_id=officer)
    return app


@pytest.fixture()
def client(site: Flask) -> FlaskClient:
    """A browser with no sign-in."""
    return site.test_client()


def test_anyone_sees_the_page_without_signing_in(client: FlaskClient) -> None:
    page = client.get("/transparency")

    assert page.status_code == 200
    assert "Survey results" in text(page) and "North" in text(page)
    assert "Set-Cookie" not in page.headers


@pytest.mark.parametrize(
    "path", ["/transparency", "/transparency/data.csv", "/transparency/data.json"]
)
def test_no_officer_appears_anywhere(client: FlaskClient, path: str) -> None:
    body = client.get(path).get_data(as_text=True)

    assert not any(officer in body for officer in ("B-100", "B-200", "B-300", "officer_id"))


def test_open_data_hides_what_the_page_hides(client: FlaskClient) -> None:
    document = client.get("/transparency/data.json").get_json()
    cells = {
        (row["table"], row["level"], row["group"], row["month"]): row
        for row in document["rows"]
        if row["question"] in ("", "post_contact:overall")
    }

    south_october = cells["responses_by_district", "cell", "South", "2026-10"]
    assert (south_october["responses"], south_october["suppressed"]) == (None, True)
    # Others go with it, so that no row or column total gives it away.
    assert cells["responses_by_district", "cell", "East", "2026-10"]["suppressed"]
    assert cells["responses_by_district", "cell", "South", "2026-09"]["suppressed"]
    assert cells["responses_by_district", "cell", "East", "2026-09"]["responses"] == 5
    north_october = cells["score_by_district", "cell", "North", "2026-10"]
    assert (north_october["responses"], north_october["mean"]) == (6, 5.0)
    assert cells["score_by_district", "month", "", "2026-09"]["mean"] == round(
        (21 + 13 + 12) / 12, 1
    )
    assert document["k_anonymity"] == 3
    csv_lines = client.get("/transparency/data.csv").get_data(as_text=True).splitlines()
    assert csv_lines[0] == "table,question,level,group,month,responses,mean,suppressed"
    assert "responses_by_district,,cell,South,2026-10,,,true" in csv_lines
    assert len(csv_lines) == len(document["rows"]) + 1


def test_answers_are_cacheable_and_an_unchanged_one_is_304(client: FlaskClient) -> None:
    first = client.get("/transparency/data.json")

    assert first.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    assert first.headers["ETag"]
    again = client.get("/transparency/data.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    page = client.get("/transparency")
    assert "Accept-Language" in page.headers["Vary"]
    assert (
        client.get("/transparency", headers={"If-None-Match": page.headers["ETag"]}).status_code
        == 304
    )


def test_the_page_may_be_framed_by_the_sites_configured(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(
        sqlite(tmp_path), transparency_frame_ancestors="'self' https://www.springfield.gov"
    )
    client = app.test_client()

    page = client.get("/transparency")
    assert (
        "frame-ancestors 'self' https://www.springfield.gov;"
        in page.headers["Content-Security-Policy"]
    )
    # No X-Frame-Options: it cannot name a site, and would forbid what the policy allows.
    assert "X-Frame-Options" not in page.headers
    # Staff pages keep their own policy: never framed.
    login = client.get("/login")
    assert "frame-ancestors 'none'" in login.headers["Content-Security-Policy"]
    assert login.headers["X-Frame-Options"] == "DENY"


def test_the_default_frame_policy_is_this_site_only(client: FlaskClient) -> None:
    page = client.get("/transparency")

    assert "frame-ancestors 'self';" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_of_parley_is_offered(client: FlaskClient, code: str) -> None:
    page = client.get(f"/transparency?lang={code}")

    assert page.status_code == 200
    direction = "rtl" if code == "ar" else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in page.get_data(as_text=True)
    assert page.headers["Content-Language"] == code


def test_the_browsers_language_is_the_default(client: FlaskClient) -> None:
    spanish = client.get("/transparency", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    taiwan = client.get("/transparency", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    unknown = client.get("/transparency", headers={"Accept-Language": "de-DE"})

    assert "Resultados de la encuesta" in text(spanish)
    assert taiwan.headers["Content-Language"] == "zh-Hant"
    assert unknown.headers["Content-Language"] == "en"
    # A choice made in the menu wins over the browser's.
    chosen = client.get("/transparency?lang=ar", headers={"Accept-Language": "es"})
    assert "نتائج الاستبيان" in text(chosen)


def test_an_unknown_language_is_refused_with_the_choices(client: FlaskClient) -> None:
    page = client.get("/transparency?lang=xx")

    assert page.status_code == 400
    assert "unknown language" in page.get_json()["reason"]


def test_charts_carry_their_figures_as_json_and_run_no_inline_script(client: FlaskClient) -> None:
    body = client.get("/transparency").get_data(as_text=True)

    start = body.index('<script type="application/json" id="chart-data">') + 48
    charts = json.loads(body[start : body.index("</script>", start)])
    assert charts["responses"]["series"][0]["data"][-3:] == [13, 12, 11]
    assert body.count("<script") == 3  # Chart.js, the page's script, the figures
    assert "<script>" not in body


def test_an_agency_with_no_surveys_yet_gets_a_page_that_says_so(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    client = make_app(sqlite(tmp_path)).test_client()

    page = client.get("/transparency")
    assert page.status_code == 200
    assert "No surveys were completed in these months." in text(page)
    rows = client.get("/transparency/data.json").get_json()["rows"]
    assert {(row["level"], row["responses"]) for row in rows if row["question"] == ""} == {
        ("month", 0),
        ("total", 0),
    }
