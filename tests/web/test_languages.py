"""Residents switch language at any time: by name, from the menu, or by writing in it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support import FakeClock
from tests.web.helpers import post_sms, random_number, reply


def conversation_of(app: Flask, number: str) -> tuple[str, str | None]:
    """Return (language, node id) of a resident's open conversation."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        conversation = uow.conversations.open_for(respondent.id)
        return conversation.language, conversation.node_id


def test_naming_a_language_switches_and_asks_again(app: Flask, client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    before = conversation_of(app, number)
    text = reply(post_sms(client, number, "Español"))
    assert conversation_of(app, number) == ("es", before[1])
    assert "¿El agente le ha escuchado" in text


def test_language_menu_lists_each_language_in_its_own_script(
    app: Flask, client: FlaskClient
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    menu = reply(post_sms(client, number, "LANGUAGE"))
    rt = app.extensions["parley.runtime"]
    flow = rt.flows["post_contact"]
    for position, code in enumerate(flow.languages, 1):
        assert f"{position} {rt.locales[code].name}" in menu
    pick = flow.languages.index("es") + 1
    text = reply(post_sms(client, number, str(pick)))
    assert conversation_of(app, number)[0] == "es"
    assert "¿El agente le ha escuchado" in text


def test_idioma_menu_is_introduced_in_spanish(client: FlaskClient, app: Flask) -> None:
    rt = app.extensions["parley.runtime"]
    menu = reply(post_sms(client, random_number(), "IDIOMA"))
    assert menu.startswith(rt.locales["es"].messages["language_menu"])


def test_stop_beats_an_open_menu(client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    reply(post_sms(client, number, "LANGUAGE"))
    assert "Springfield Police" in reply(post_sms(client, number, "STOP"))
    assert reply(post_sms(client, number, "2")) == ""


def test_a_stale_menu_no_longer_takes_digits(
    app: Flask, client: FlaskClient, clock: FakeClock
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    reply(post_sms(client, number, "LANGUAGE"))
    clock.advance(hours=2)
    reply(post_sms(client, number, "2"))  # now an answer to the yes/no question: 2 = no
    language, node = conversation_of(app, number)
    assert language == "en"
    assert node == "respect"


def test_writing_in_another_language_switches_with_one_line(
    app: Flask, client: FlaskClient
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    text = reply(post_sms(client, number, "sí, me escuchó"))
    language, node = conversation_of(app, number)
    assert (language, node) == ("es", "respect")
    first_line = text.split("\n")[0]
    assert (
        first_line == app.extensions["parley.runtime"].locales["es"].messages["language_switched"]
    )
    assert "dignidad" in text


def test_signal_free_replies_keep_the_language(app: Flask, client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    for text in ["ok", "1", "🙂"]:
        post_sms(client, number, text)
    assert conversation_of(app, number)[0] == "en"


def test_a_foreign_number_starts_in_its_country_language(
    app: Flask, client: FlaskClient, api_token: str
) -> None:
    response = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": "+525512345678", "flow": "post_contact"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert response.status_code == 201
    assert conversation_of(app, "+525512345678")[0] == "es"


def test_the_remembered_language_is_used_next_time(
    app: Flask, client: FlaskClient, api_token: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    reply(post_sms(client, number, "tiếng việt"))
    assert conversation_of(app, number)[0] == "vi"
    client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact"},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert conversation_of(app, number)[0] == "vi"


# (how the survey starts, replies, the conversation's language after them): a switch needs
# strong evidence, so answers in the conversation's language never switch it, while a reply
# clearly written in another language still does, in both directions.
SWITCHING = [
    ("ENCUESTA", ["sí", "mas o menos"], "es"),
    ("ENCUESTA", ["sí", "más o menos"], "es"),
    ("ENCUESTA", ["mas o menos"], "es"),
    ("SURVEY", ["no he didnt"], "en"),
    ("SURVEY", ["no he didn't"], "en"),
    ("SURVEY", ["yes he did", "um"], "en"),
    ("SURVEY", ["yes sir", "I'd say 4"], "en"),
    ("SURVEY", ["sim, ele me ouviu"], "pt"),
    ("ENCUESTA", ["yes, he listened to me"], "en"),
    ("ENCUESTA", ["sim, ele me ouviu"], "pt"),
    ("SURVEY", ["sí, me escuchó"], "es"),
]


@pytest.mark.parametrize(("keyword", "replies", "language"), SWITCHING)
def test_only_strong_evidence_switches_the_language(
    app: Flask, client: FlaskClient, keyword: str, replies: list[str], language: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, keyword))
    for text in replies:
        reply(post_sms(client, number, text))
    assert conversation_of(app, number)[0] == language


def menu_lines(text: str) -> list[str]:
    """Return the numbered lines of a language menu."""
    return [line for line in text.splitlines() if line[:1].isdigit()]


def test_the_menu_numbers_languages_the_same_with_or_without_a_survey(
    client: FlaskClient,
) -> None:
    idle = menu_lines(reply(post_sms(client, random_number(), "LANGUAGE")))
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    during = menu_lines(reply(post_sms(client, number, "LANGUAGE")))
    assert len(idle) >= 12 and idle == during


def test_a_language_chosen_with_no_survey_open_promises_nothing_to_continue(
    app: Flask, client: FlaskClient
) -> None:
    rt = app.extensions["parley.runtime"]
    number = random_number()
    reply(post_sms(client, number, "LANGUAGE"))
    position = next(
        line
        for line in menu_lines(reply(post_sms(client, number, "LANGUAGE")))
        if "Español" in line
    )
    text = reply(post_sms(client, number, position.split()[0]))
    assert text == rt.locales["es"].messages["language_set"]
    assert reply(post_sms(client, random_number(), "español")) == text
    with rt.uow() as uow:
        assert uow.respondents.find("sms", number).language == "es"


@pytest.mark.parametrize("invalid", ["99", "0", "14"])
def test_an_invalid_number_shows_the_menu_again(client: FlaskClient, invalid: str) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    menu = reply(post_sms(client, number, "LANGUAGE"))
    assert reply(post_sms(client, number, invalid)) == menu
    text = reply(post_sms(client, number, "2"))
    assert "¿El agente le ha escuchado" in text


@pytest.mark.parametrize(
    ("says", "language"),
    [
        ("Spanish please", "es"),
        ("I speak Spanish", "es"),
        ("in Spanish", "es"),
        ("Spanish, please", "es"),
        ("español por favor", "es"),
        ("hablo español", "es"),
        ("en français svp", "fr"),
        ("I speak Vietnamese", "vi"),
    ],
)
def test_asking_for_a_language_switches(
    app: Flask, client: FlaskClient, says: str, language: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    reply(post_sms(client, number, says))
    assert conversation_of(app, number) == (language, "listened")


@pytest.mark.parametrize("says", ["yes please", "in a minute", "I speak for myself", "no"])
def test_an_answer_is_never_taken_for_a_language_request(
    app: Flask, client: FlaskClient, says: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    reply(post_sms(client, number, says))
    assert conversation_of(app, number)[0] == "en"


@pytest.mark.parametrize(
    "says",
    ["Cantonese", "廣東話", "粤语", "繁體中文", "Traditional Chinese please", "I speak Cantonese"],
)
def test_cantonese_and_traditional_chinese_switch_to_traditional_chinese(
    app: Flask, client: FlaskClient, says: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    text = reply(post_sms(client, number, says))
    assert conversation_of(app, number) == ("zh-Hant", "listened")
    assert "警員是否有認真聆聽您想說的話？" in text


@pytest.mark.parametrize(
    ("keyword", "says", "language"),
    [
        ("SURVEY", "有，他們很有禮貌", "zh-Hant"),
        ("调查", "有，他們很有禮貌", "zh-Hant"),
        ("問卷", "有，他们很有礼貌", "zh"),
        ("SURVEY", "有，他们很有礼貌", "zh"),
    ],
)
def test_the_script_of_a_chinese_reply_picks_its_chinese(
    app: Flask, client: FlaskClient, keyword: str, says: str, language: str
) -> None:
    number = random_number()
    reply(post_sms(client, number, keyword))
    reply(post_sms(client, number, says))
    assert conversation_of(app, number)[0] == language


def test_the_traditional_keyword_starts_in_traditional_chinese(
    app: Flask, client: FlaskClient
) -> None:
    number = random_number()
    text = reply(post_sms(client, number, "問卷"))
    assert conversation_of(app, number) == ("zh-Hant", "listened")
    assert "誠摯邀請您填寫一份簡短的自願問卷" in text


def test_a_shared_chinese_keyword_answers_in_the_conversations_chinese(
    app: Flask, client: FlaskClient
) -> None:
    rt = app.extensions["parley.runtime"]
    number = random_number()
    reply(post_sms(client, number, "問卷"))
    text = reply(post_sms(client, number, "退訂"))
    assert text.endswith(rt.locales["zh-Hant"].messages["stop_confirm"].split("：", 1)[1])


@pytest.mark.parametrize("tag", ["zh-TW", "zh-HK", "zh_Hant", "zh-Hant-TW"])
def test_a_traditional_chinese_tag_starts_in_traditional_chinese(
    app: Flask, client: FlaskClient, api_token: str, tag: str
) -> None:
    number = random_number()
    response = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact", "language": tag},
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert response.status_code == 201, response.get_json()
    assert conversation_of(app, number)[0] == "zh-Hant"


def test_the_sms_menu_reads_as_it_always_has(app: Flask, client: FlaskClient) -> None:
    number = random_number()
    reply(post_sms(client, number, "SURVEY"))
    rt = app.extensions["parley.runtime"]
    names = (
        f"{n} {rt.locales[code].name}"
        for n, code in enumerate(rt.flows["post_contact"].languages, 1)
    )
    expected = "\n".join([rt.locales["en"].messages["language_menu"], *names])
    assert reply(post_sms(client, number, "LANGUAGE")) == expected
