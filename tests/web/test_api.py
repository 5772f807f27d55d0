"""POST/GET /api/v1/surveys: tokens, payload validation, sending through Twilio's client."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.standins import TwilioStandIn
from tests.web.helpers import post_sms, random_number, reply

PAYLOAD = {
    "channel": "sms",
    "flow": "post_contact",
    "language": "es",
    "officer_id": "A123",
    "incident_id": "24-001234",
    "call_type": "traffic_stop",
}


def create(client: FlaskClient, token: str | None, payload: Any) -> Any:
    """POST a survey request with an optional bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/surveys", json=payload, headers=headers)


def test_good_token_starts_a_survey_and_texts_the_resident(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    number = random_number()
    response = create(client, api_token, {**PAYLOAD, "address": number})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "active"
    assert body["delivery"] == "sent"
    [sent] = twilio.sent
    assert sent["To"] == number
    assert sent["From"] == "+15005550006"
    assert "Springfield Police" in sent["Body"]
    assert sent["path"].endswith("/Accounts/AC00000000000000000000000000000000/Messages.json")


def test_national_number_is_normalised_to_e164(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    response = create(client, api_token, {**PAYLOAD, "address": "(555) 012-3456"})
    assert response.status_code == 201
    assert twilio.sent[0]["To"] == "+15550123456"


@pytest.mark.parametrize("token", [None, "pk_wrong", "not-even-prefixed"])
def test_missing_or_wrong_token_is_401(client: FlaskClient, token: str | None) -> None:
    response = create(client, token, {**PAYLOAD, "address": random_number()})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_basic_auth_scheme_is_401(client: FlaskClient, api_token: str) -> None:
    response = client.post(
        "/api/v1/surveys", json=PAYLOAD, headers={"Authorization": f"Basic {api_token}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": None}, "address"),
        ({"channel": "fax"}, "channel"),
        ({"flow": "../etc/passwd"}, "flow"),
        ({"flow": "no_such_flow"}, "flow"),
        ({"language": "xx"}, "language"),
        ({"language": "English!"}, "language"),
        ({"address": "12"}, "address"),
        ({"address": "call me"}, "address"),
        ({"officer_id": "x" * 65}, "officer_id"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-11-02T10:00:00"}, "occurred_at"),
        ({"surprise": 1}, "surprise"),
        ({"officer_id": "A\x00123"}, "officer_id"),
        ({"incident_id": "24-0012\n34"}, "incident_id"),
        ({"unit": "x" * 65}, "unit"),
        ({"unit": "North\nPrecinct"}, "unit"),
        ({"unit": ""}, "unit"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59-12:00"}, "occurred_at"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
    ],
)
def test_bad_payloads_get_400_with_field_errors(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn, change: dict[str, Any], field: str
) -> None:
    payload = {**PAYLOAD, "address": random_number(), **change}
    payload = {k: v for k, v in payload.items() if v is not None}
    response = create(client, api_token, payload)
    assert response.status_code == 400
    assert field in response.get_json()["fields"]
    assert twilio.sent == []


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", "null", '"text"', "[" * 100_000])
def test_body_that_is_not_a_json_object_gets_400(
    client: FlaskClient, api_token: str, raw: str
) -> None:
    response = client.post(
        "/api/v1/surveys",
        data=raw,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert response.status_code == 400
    assert "JSON object" in response.get_json()["reason"]


def test_status_and_answers_can_be_read_back(client: FlaskClient, api_token: str) -> None:
    number = random_number()
    created = create(client, api_token, {**PAYLOAD, "address": number}).get_json()
    reply(post_sms(client, number, "sí"))
    response = client.get(
        f"/api/v1/surveys/{created['id']}", headers={"Authorization": f"Bearer {api_token}"}
    )
    assert response.status_code == 200
    survey = response.get_json()
    assert survey["status"] == "active"
    assert survey["language"] == "es"
    assert len(survey["answers"]) == 1
    assert survey["answers"][0]["language"] == "es"
    assert "address" not in survey


@pytest.mark.parametrize("key", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_survey_is_404(client: FlaskClient, api_token: str, key: str) -> None:
    response = client.get(
        f"/api/v1/surveys/{key}", headers={"Authorization": f"Bearer {api_token}"}
    )
    assert response.status_code == 404


def test_reading_a_survey_needs_a_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/surveys/00000000-0000-0000-0000-000000000000").status_code == 401


def test_provider_failure_is_recorded_not_a_500(
    app: Flask, client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    twilio.failures.append((503, 20500))
    response = create(client, api_token, {**PAYLOAD, "address": random_number()})
    assert response.status_code == 201
    # A 503 may pass: the send is kept and retried after a backoff, not lost.
    assert response.get_json()["delivery"] == "retry"
    assert twilio.sent == []


def test_permanent_provider_failure_is_recorded_as_failed(
    app: Flask, client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    twilio.failures.append((400, 21211))
    response = create(client, api_token, {**PAYLOAD, "address": random_number()})
    assert response.status_code == 201
    assert response.get_json()["delivery"] == "failed"
    report = client.get(
        f"/api/v1/surveys/{response.get_json()['id']}",
        headers={"Authorization": f"Bearer {api_token}"},
    ).get_json()
    assert (report["schedule"][0]["kind"], report["schedule"][0]["status"]) == ("start", "failed")


def test_opted_out_resident_is_not_texted_and_the_refusal_is_visible(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    number = random_number()
    reply(post_sms(client, number, "STOP"))
    response = create(client, api_token, {**PAYLOAD, "address": number})
    assert response.status_code == 201
    assert response.get_json()["status"] == "opted_out"
    assert response.get_json()["reason"] == "opted_out"
    assert twilio.bodies_to(number) == []


def test_tokens_are_stored_hashed(app: Flask, api_token: str) -> None:
    from bot.services.tokens import hash_token

    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        stored = uow.tokens.by_hash(hash_token(api_token))
        assert stored is not None
        assert stored.token_hash != api_token
        assert api_token not in stored.token_hash


def test_region_tagged_language_falls_back_to_its_base(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    response = create(
        client, api_token, {**PAYLOAD, "language": "es-MX", "address": random_number()}
    )
    assert response.status_code == 201
    assert "encuesta" in twilio.sent[0]["Body"]


@pytest.mark.parametrize(
    "call_type",
    [
        "domestic_violence",
        "Domestic Violence",
        "DV",
        "sexual_assault",
        "child_abuse",
        "death_notification",
        "mental_health_crisis",
        "273.5",
        "DV follow-up",
    ],
)
def test_excluded_call_types_are_never_texted_and_the_refusal_is_visible(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn, call_type: str
) -> None:
    number = random_number()
    response = create(client, api_token, {**PAYLOAD, "address": number, "call_type": call_type})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["reason"]) == ("refused", "excluded_call_type")
    assert twilio.bodies_to(number) == []
    survey = client.get(
        f"/api/v1/surveys/{body['id']}", headers={"Authorization": f"Bearer {api_token}"}
    ).get_json()
    assert (survey["status"], survey["refusal_reason"]) == ("refused", "excluded_call_type")


def test_an_ordinary_call_type_is_surveyed(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    number = random_number()
    response = create(client, api_token, {**PAYLOAD, "address": number, "call_type": "DVD theft"})
    assert response.get_json()["status"] == "active"
    assert len(twilio.bodies_to(number)) == 1


def test_the_same_incident_and_resident_twice_yield_one_survey(
    client: FlaskClient, api_token: str, twilio: TwilioStandIn
) -> None:
    payload = {**PAYLOAD, "address": random_number(), "incident_id": "2026-000777"}
    first = create(client, api_token, payload)
    # A retried request, or a second officer at the same scene.
    again = create(client, api_token, {**payload, "officer_id": "B-22"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["duplicate"] is True
    assert len(twilio.sent) == 1


@pytest.mark.parametrize(
    ("written", "stored"), [("ES", "es"), ("es_MX", "es"), ("zh-Hans-CN", "zh")]
)
def test_language_codes_are_read_however_a_cad_writes_them(
    client: FlaskClient, api_token: str, written: str, stored: str
) -> None:
    response = create(
        client, api_token, {**PAYLOAD, "address": random_number(), "language": written}
    )
    assert response.status_code == 201, response.get_json()
    report = client.get(
        f"/api/v1/surveys/{response.get_json()['id']}",
        headers={"Authorization": f"Bearer {api_token}"},
    ).get_json()
    assert report["language"] == stored


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("language", "spanish!", "language code"),
        ("incident_id", "2026-\u202e1234", "control characters"),
        ("occurred_at", "2999-01-01T00:00:00Z", "not in the future"),
    ],
)
def test_bad_fields_are_named_with_a_plain_reason(
    client: FlaskClient, api_token: str, field: str, value: str, message: str
) -> None:
    response = create(client, api_token, {**PAYLOAD, "address": random_number(), field: value})
    assert response.status_code == 400
    assert message in response.get_json()["fields"][field]
