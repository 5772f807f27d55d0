"""Replies that keep a resident safe, over the signed Twilio webhook: the emergency pointer, HELP
(also after STOP, with the pending question), START, stop words that are also answers, and a
picture sent as an answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.engine.conversation import prompt
from bot.engine.locale import system_message
from bot.engine.model import NodeKind
from bot.i18n.bidi import strip_marks
from bot.services.conversations import state_of
from tests.web.helpers import post_sms, random_number, reply

# Digits answer every kind of question in every language.
BY_KIND = {NodeKind.YES_NO: "1", NodeKind.SCALE: "4", NodeKind.NPS: "8", NodeKind.CHOICE: "1"}


def start_survey(client: FlaskClient, token: str, language: str) -> tuple[str, uuid.UUID]:
    """Ask for a survey in `language` through the API; return the number and the survey id."""
    number = random_number()
    created = client.post(
        "/api/v1/surveys",
        json={"channel": "sms", "address": number, "flow": "post_contact", "language": language},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201, created.get_json()
    return number, uuid.UUID(created.get_json()["id"])


def answer_until(
    app: Flask, client: FlaskClient, number: str, survey: uuid.UUID, node: str
) -> None:
    """Answer each question by number until the conversation waits on `node`."""
    rt = app.extensions["parley.runtime"]
    flow = rt.flows["post_contact"]
    for _ in range(len(flow.nodes)):
        with rt.uow() as uow:
            conversation = uow.conversations.get(survey)
            if conversation.node_id == node:
                return
            kind = flow.nodes[conversation.node_id].kind
        reply(post_sms(client, number, BY_KIND[kind]))
    raise AssertionError(f"never reached {node}")


def said(app: Flask, language: str, key: str) -> str:
    """Render a system message as the services send it in `language`."""
    rt = app.extensions["parley.runtime"]
    return system_message(rt.locales, language, key, rt.context.values_for(language))


def question(app: Flask, survey: uuid.UUID) -> str:
    """Render the question the survey waits on, as it is asked."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        conversation = uow.conversations.get(survey)
        return prompt(rt.flows["post_contact"], state_of(conversation), rt.context)


def stored(app: Flask, survey: uuid.UUID) -> tuple[str | None, int, int]:
    """Return where the survey waits, its re-prompt count and how many answers it has."""
    rt = app.extensions["parley.runtime"]
    with rt.uow() as uow:
        conversation = uow.conversations.get(survey)
        answers = uow.conversations.answers(survey)
        return conversation.node_id, conversation.retries, len(answers)


EMERGENCIES = [
    ("en", "en", "please help someone is breaking into my house right now"),
    ("en", "en", "911 emergency"),
    ("es", "es", "ayuda por favor mi esposo me está golpeando"),
    # Written in Spanish during an English survey: the pointer comes in Spanish.
    ("en", "es", "ayuda por favor mi esposo me está golpeando"),
    ("zh", "zh", "救命！有人闯进我家"),
    ("ar", "ar", "النجدة، ساعدوني"),
    ("ru", "ru", "Помогите, срочно!"),
]


@pytest.mark.parametrize(("survey_language", "written", "text"), EMERGENCIES)
@pytest.mark.parametrize("node", ["listened", "comment"])
def test_an_emergency_mid_survey_gets_the_pointer_and_the_question_again(
    app: Flask,
    client: FlaskClient,
    api_token: str,
    survey_language: str,
    written: str,
    text: str,
    node: str,
) -> None:
    number, survey = start_survey(client, api_token, survey_language)
    answer_until(app, client, number, survey, node)
    before = stored(app, survey)
    answered = strip_marks(reply(post_sms(client, number, text)))
    assert answered.startswith(strip_marks(said(app, written, "emergency")))
    assert "911" in answered
    assert answered.endswith(strip_marks(question(app, survey)))
    # Not taken as the answer, and no re-prompt spent on it.
    assert stored(app, survey) == before
    # Once per conversation: the next cry is read as an ordinary reply.
    again = strip_marks(reply(post_sms(client, number, text)))
    assert strip_marks(said(app, written, "emergency")) not in again


def test_an_opt_out_that_looks_like_an_emergency_also_gets_the_pointer(
    app: Flask, client: FlaskClient, api_token: str
) -> None:
    number, _ = start_survey(client, api_token, "en")
    answered = reply(post_sms(client, number, "help he won't leave me alone"))
    assert answered == f"{said(app, 'en', 'emergency')}\n\n{said(app, 'en', 'stop_confirm')}"


def test_an_emergency_from_a_stranger_gets_the_pointer_once_a_day(client: FlaskClient) -> None:
    number = random_number()
    first = reply(post_sms(client, number, "911 emergency"))
    assert "isn't monitored" in first and "call 911" in first
    assert reply(post_sms(client, number, "911 emergency!")) == ""


@pytest.mark.parametrize(("language", "word"), [("en", "HELP"), ("es", "AYUDA"), ("zh", "帮助")])
@pytest.mark.parametrize("node", ["listened", "respect"])  # after the first text, and later
def test_help_mid_survey_says_who_and_asks_the_question_again(
    app: Flask, client: FlaskClient, api_token: str, language: str, word: str, node: str
) -> None:
    number, survey = start_survey(client, api_token, language)
    answer_until(app, client, number, survey, node)
    before = stored(app, survey)
    answered = strip_marks(reply(post_sms(client, number, word)))
    assert answered.startswith(strip_marks(said(app, language, "help")))
    assert "911" in answered
    assert answered.endswith(strip_marks(question(app, survey)))
    assert stored(app, survey) == before


def test_help_is_answered_after_stop_and_start_only_to_the_stopped(
    app: Flask, client: FlaskClient, api_token: str
) -> None:
    number, _ = start_survey(client, api_token, "en")
    # START from someone who never stopped does not claim to subscribe them again.
    assert "subscribed again" not in reply(post_sms(client, number, "START"))
    assert "Springfield Police" in reply(post_sms(client, number, "STOP"))
    after_stop = reply(post_sms(client, number, "HELP"))
    assert after_stop == said(app, "en", "help")
    assert reply(post_sms(client, number, "SURVEY")) == ""
    assert "subscribed again" in reply(post_sms(client, number, "START"))
    assert "subscribed again" not in reply(post_sms(client, number, "START"))


ANSWERS_NOT_STOPS = [
    ("es", "No más, gracias"),
    ("tl", "Huwag na po, salamat"),
    ("en", "The end"),
]


@pytest.mark.parametrize(("language", "text"), ANSWERS_NOT_STOPS)
def test_a_stop_word_inside_the_last_comment_is_an_answer(
    app: Flask, client: FlaskClient, api_token: str, language: str, text: str
) -> None:
    number, survey = start_survey(client, api_token, language)
    answer_until(app, client, number, survey, "comment")
    thanks = reply(post_sms(client, number, text))
    rt = app.extensions["parley.runtime"]
    assert strip_marks(said(app, language, "stop_confirm")) not in strip_marks(thanks)
    with rt.uow() as uow:
        conversation = uow.conversations.get(survey)
        respondent = uow.respondents.find("sms", number)
        assert conversation.status == "completed"
        assert respondent.opted_out_at is None
        assert text in [answer.raw_text for answer in uow.conversations.answers(survey)]


@pytest.mark.parametrize(("language", "text"), [("es", "No más"), ("tl", "Huwag na po")])
def test_the_stop_word_alone_still_opts_out(
    app: Flask, client: FlaskClient, api_token: str, language: str, text: str
) -> None:
    number, survey = start_survey(client, api_token, language)
    answer_until(app, client, number, survey, "comment")
    assert reply(post_sms(client, number, text)) == said(app, language, "stop_confirm")


PICTURE = {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/2010-04-01/Media/ME1"}


@pytest.mark.parametrize("language", ["en", "es", "ko"])
def test_a_picture_without_text_is_asked_for_in_text(
    app: Flask, client: FlaskClient, api_token: str, language: str
) -> None:
    number, survey = start_survey(client, api_token, language)
    answer_until(app, client, number, survey, "respect")
    before = stored(app, survey)
    for _ in range(4):  # more pictures than the question's re-prompts: never skipped
        answered = reply(post_sms(client, number, "", extra=PICTURE))
        assert answered.startswith(said(app, language, "media_only"))
        assert answered.endswith(question(app, survey))
    assert stored(app, survey) == before
    # A picture with a caption is read as the caption.
    reply(post_sms(client, number, "4", extra=PICTURE))
    assert stored(app, survey)[0] != "respect"


def test_a_bad_media_count_gets_400(client: FlaskClient) -> None:
    response = post_sms(client, random_number(), "", extra={"NumMedia": "lots"})
    assert response.status_code == 400
    assert response.get_json()["reason"].startswith("NumMedia")


def test_help_names_each_language_own_contact(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    # No HELP_CONTACT for every language, only a Spanish one: nobody gets English in their text.
    database = f"sqlite:///{tmp_path / 'contacts.db'}"
    app = make_app(database, help_contact="", contacts={"es": {"help": "la línea 555-0199"}})
    client = app.test_client()
    assert "Consultas: la línea 555-0199." in reply(post_sms(client, random_number(), "AYUDA"))
    pt = reply(post_sms(client, random_number(), "AJUDA"))
    assert "Dúvidas: a linha de atendimento não emergencial da polícia." in pt
    en = reply(post_sms(client, random_number(), "HELP"))
    assert "Contact the department's non-emergency line." in en
