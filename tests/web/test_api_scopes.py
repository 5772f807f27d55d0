"""API token scopes: dispatch systems start surveys; only `results:read` reads the answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.helpers import post_sms, random_number, reply

PAYLOAD = {"channel": "sms", "flow": "post_contact", "language": "en", "incident_id": "24-9"}
COMMENT = "The officer was kind to my son"
READ_DENIED = {"error": "forbidden", "reason": "token lacks scope results:read"}
WRITE_DENIED = {"error": "forbidden", "reason": "token lacks scope surveys:write"}


def token(app: Flask, *scopes: str) -> str:
    """Create a token with `scopes` (the default scopes when none are named)."""
    from bot.services.tokens import create_token

    rt = app.extensions["parley.runtime"]
    name = f"t-{random_number()}"
    if not scopes:
        return create_token(rt.uow, name, rt.clock())
    return create_token(rt.uow, name, rt.clock(), scopes)


def bearer(raw: str) -> dict[str, str]:
    """Return the Authorization header for a token."""
    return {"Authorization": f"Bearer {raw}"}


def answered_survey(app: Flask, client: FlaskClient) -> str:
    """Start a survey with a full-scope token and have the resident answer a question and more."""
    from bot.services.tokens import SCOPES

    number = random_number()
    created = client.post(
        "/api/v1/surveys", json={**PAYLOAD, "address": number}, headers=bearer(token(app, *SCOPES))
    )
    assert created.status_code == 201, created.get_json()
    for said in ("yes", "5", "4", "5", "5", COMMENT):
        reply(post_sms(client, number, said))
    return str(created.get_json()["id"])


def read(client: FlaskClient, survey_id: str, raw: str) -> Any:
    """GET a survey with a token; return the response."""
    return client.get(f"/api/v1/surveys/{survey_id}", headers=bearer(raw))


def test_a_new_token_starts_surveys_but_never_reads_answers(
    app: Flask, client: FlaskClient
) -> None:
    survey_id = answered_survey(app, client)
    dispatch = token(app)  # created as `token create --name cad` creates it
    started = client.post(
        "/api/v1/surveys", json={**PAYLOAD, "address": random_number()}, headers=bearer(dispatch)
    )
    assert started.status_code == 201

    response = read(client, survey_id, dispatch)

    assert response.status_code == 200
    survey = response.get_json()
    assert survey["status"] == "completed" and survey["disposition"] == "complete"
    assert [item["kind"] for item in survey["schedule"]][:1] == ["start"]
    assert "answers" not in survey
    assert COMMENT not in response.get_data(as_text=True)


def test_results_read_token_reads_answers(app: Flask, client: FlaskClient) -> None:
    survey_id = answered_survey(app, client)

    survey = read(client, survey_id, token(app, "results:read")).get_json()

    assert survey["status"] == "completed"
    assert COMMENT in [answer["text"] for answer in survey["answers"]]


@pytest.mark.parametrize(
    ("scopes", "post_status", "post_body", "sees_answers"),
    [
        ((), 201, None, False),
        (("surveys:write",), 201, None, False),
        (("results:read",), 403, WRITE_DENIED, True),
        (("surveys:write", "results:read"), 201, None, True),
    ],
)
def test_each_scope_grants_exactly_its_part(
    app: Flask,
    client: FlaskClient,
    scopes: Iterable[str],
    post_status: int,
    post_body: dict[str, str] | None,
    sees_answers: bool,
) -> None:
    survey_id = answered_survey(app, client)
    raw = token(app, *scopes)

    posted = client.post(
        "/api/v1/surveys", json={**PAYLOAD, "address": random_number()}, headers=bearer(raw)
    )
    survey = read(client, survey_id, raw).get_json()

    assert posted.status_code == post_status
    if post_body is not None:
        assert posted.get_json() == post_body
    assert ("answers" in survey) is sees_answers


def test_a_missing_scope_is_a_403_that_names_it(app: Flask) -> None:
    from bot.web.api import require_token

    # Views declare the scope they need: a view added later gets the same answer.
    @app.get("/api/v1/_scope_probe")
    @require_token("results:read")
    def probe() -> str:
        return "ok"

    client = app.test_client()
    response = client.get("/api/v1/_scope_probe", headers=bearer(token(app)))
    assert (response.status_code, response.get_json()) == (403, READ_DENIED)
    allowed = client.get("/api/v1/_scope_probe", headers=bearer(token(app, "results:read")))
    assert (allowed.status_code, allowed.get_data(as_text=True)) == (200, "ok")
    assert client.get("/api/v1/_scope_probe").status_code == 401


@pytest.mark.parametrize("misuse", ["results:write", "surveys"])
def test_a_view_must_name_real_scopes(misuse: str) -> None:
    from bot.web.api import require_token

    with pytest.raises(TypeError, match="require_token takes scopes"):
        require_token(misuse)


def test_require_token_without_parentheses_is_refused_at_once() -> None:
    from bot.web.api import require_token

    def view() -> str:
        return "never served"

    with pytest.raises(TypeError, match="require_token takes scopes"):
        require_token(view)  # type: ignore[arg-type]
