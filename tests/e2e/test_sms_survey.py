"""A resident completes the default survey over signed webhooks, after an API trigger.

Runs on a SQLite file and on the real PostgreSQL; Twilio's real REST client sends to a local
stand-in.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from bot.engine.model import NodeKind
from tests.standins import TwilioStandIn
from tests.web.helpers import post_sms, random_number, reply

# What a resident says to each kind of question, in each language.
ANSWERS = {
    "es": {
        NodeKind.YES_NO: "Sí",
        NodeKind.SCALE: "cuatro",
        NodeKind.NPS: "9",
        NodeKind.CHOICE: "1",
        NodeKind.TEXT: "El agente fue muy amable, gracias.",
    },
    "en": {
        NodeKind.YES_NO: "yes",
        NodeKind.SCALE: "4/5",
        NodeKind.NPS: "nine",
        NodeKind.CHOICE: "1",
        NodeKind.TEXT: "The officer was kind and explained everything.",
    },
}


def complete_survey(app: Flask, number: str, language: str, survey_id: str) -> list[str]:
    """Answer every question the conversation asks until it ends; return Parley's replies."""
    client = app.test_client()
    rt = app.extensions["parley.runtime"]
    flow = rt.flows["post_contact"]
    said: list[str] = []
    for _ in range(len(flow.nodes) + 1):
        with rt.uow() as uow:
            conversation = uow.conversations.get(survey_id)
            if conversation.status != "active":
                break
            node = flow.nodes[conversation.node_id]
        said.append(reply(post_sms(client, number, ANSWERS[language][node.kind])))
    return said


@pytest.mark.parametrize("language", ["es", "en"])
def test_resident_completes_the_survey_after_an_api_trigger(
    database_url: str,
    make_app: Callable[[str], Flask],
    twilio: TwilioStandIn,
    language: str,
) -> None:
    import uuid

    from bot.services.tokens import create_token

    app = make_app(database_url)
    rt = app.extensions["parley.runtime"]
    number = random_number()
    token = create_token(rt.uow, f"dispatch-{number}", rt.clock())
    created = app.test_client().post(
        "/api/v1/surveys",
        json={
            "channel": "sms",
            "address": number,
            "flow": "post_contact",
            "language": language,
            "officer_id": "A123",
            "incident_id": "24-001234",
            "call_type": "traffic_stop",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.get_json()
    survey_id = created.get_json()["id"]
    [first] = twilio.bodies_to(number)
    assert "Springfield Police" in first

    said = complete_survey(app, number, language, uuid.UUID(survey_id))
    assert "springfield.gov/complaints" in said[-1]

    # The supervisors' results system reads the answers with its own token.
    reader = create_token(rt.uow, f"results-{number}", rt.clock(), ["results:read"])
    survey = (
        app.test_client()
        .get(f"/api/v1/surveys/{survey_id}", headers={"Authorization": f"Bearer {reader}"})
        .get_json()
    )
    assert survey["status"] == "completed"
    assert survey["completed_at"]
    values = {a["question"]: a["value"] for a in survey["answers"]}
    assert all(a["language"] == language for a in survey["answers"])
    assert 4 in values.values()
    assert ANSWERS[language][NodeKind.TEXT] in values.values()
    # Completed: a further text is answered politely, and the survey stays complete.
    after = reply(post_sms(app.test_client(), number, "hello?"))
    assert "555-0100" in after
    assert "SURVEY" not in after and "ENCUESTA" not in after


def test_control_characters_in_a_reply_are_dropped_not_a_500(
    database_url: str, make_app: Callable[[str], Flask]
) -> None:
    app = make_app(database_url)
    client = app.test_client()
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    for text in ["yes", "5", "5", "5", "5"]:
        reply(post_sms(client, number, text))
    assert reply(post_sms(client, number, "hello\x00world\x07"))
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        latest = uow.conversations.latest_for(respondent.id)
        texts = [a.raw_text for a in uow.conversations.answers(latest.id)]
    assert "helloworld" in texts
