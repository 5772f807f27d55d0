"""A resident takes the default survey end to end in each of the thirteen languages (SMS)."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.engine.model import NodeKind
from bot.engine.text import render
from bot.i18n.bidi import RLM, strip_marks
from tests.standins import TwilioStandIn
from tests.web.helpers import post_sms, random_number, reply

COMMENTS = {
    "en": "The officer was kind and explained everything.",
    "es": "El agente fue muy amable, gracias.",
    "zh": "警察很有礼貌，谢谢。",
    "vi": "Cảnh sát rất lịch sự, cảm ơn.",
    "tl": "Mabait po ang pulis, salamat po.",
    "ar": "كان الشرطي لطيفا جدا، شكرا.",
    "ko": "경찰관이 친절했어요. 감사합니다.",
    "ru": "Полицейский был очень вежлив, спасибо.",
    "ht": "Polis la te janti anpil, mèsi.",
    "so": "Askarigu aad buu u naxariis badnaa, mahadsanid.",
    "fr": "Le policier était très aimable, merci.",
    "pt": "O policial foi muito gentil, obrigado.",
    "zh-Hant": "警員很有禮貌，說明得很清楚，謝謝。",
}
# Digits work in every language; the comment is written in the survey's language.
BY_KIND = {NodeKind.YES_NO: "1", NodeKind.SCALE: "4", NodeKind.NPS: "8", NodeKind.CHOICE: "1"}


@pytest.mark.parametrize("language", sorted(COMMENTS))
def test_survey_end_to_end_in_each_language(
    app: Flask, client: FlaskClient, api_token: str, twilio: TwilioStandIn, language: str
) -> None:
    rt = app.extensions["parley.runtime"]
    flow = rt.flows["post_contact"]
    assert language in flow.languages, f"{language} is not offered by post_contact"
    number = random_number()
    created = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact", "language": language},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert created.status_code == 201, created.get_json()
    survey_id = uuid.UUID(created.get_json()["id"])
    [first] = twilio.bodies_to(number)
    assert "Springfield Police" in first
    last = ""
    for _ in range(len(flow.nodes)):
        with rt.uow() as uow:
            conversation = uow.conversations.get(survey_id)
            if conversation.status != "active":
                break
            assert conversation.language == language
            kind = flow.nodes[conversation.node_id].kind
        last = reply(post_sms(client, number, BY_KIND.get(kind, COMMENTS[language])))
    expected_end = render(flow.nodes["thanks"].text[language], rt.values)
    assert strip_marks(last) == expected_end
    if rt.locales[language].direction == "rtl":
        assert first.count(RLM) >= 1, "Latin agency name in Arabic text needs a direction mark"
    with rt.uow() as uow:
        answers = uow.conversations.answers(survey_id)
    assert {a.language for a in answers} == {language}
    assert COMMENTS[language] in [a.raw_text for a in answers]
