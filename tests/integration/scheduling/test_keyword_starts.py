"""A survey a resident asks for by keyword (SURVEY, ENCUESTA) obeys their history like any other.

The issue's defaults apply: one survey per resident in 30 days.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from bot.engine.locale import system_message
from bot.services.runtime import Runtime
from tests.integration.scheduling.conftest import new_york
from tests.integration.scheduling.helpers import text, trigger
from tests.support import FakeClock

ANSWERS = {"en": ("yes", "5", "4", "5", "5", "Fine"), "es": ("sí", "5", "4", "5", "5", "Bien")}
KEYWORDS = {"en": "SURVEY", "es": "ENCUESTA"}


def latest(rt: Runtime, number: str) -> tuple[uuid.UUID, str]:
    """Return the id and status of a resident's newest conversation."""
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        assert respondent is not None
        conversation = uow.conversations.latest_for(respondent.id)
        assert conversation is not None
        return conversation.id, conversation.status


def say(rt: Runtime, key: str, language: str) -> str:
    """Return a system message as Parley sends it."""
    return system_message(rt.locales, language, key, dict(rt.values))


@pytest.mark.parametrize("language", ["en", "es"])
def test_asking_again_soon_after_finishing_is_thanked_not_surveyed(
    build_rt: Callable[..., Runtime], clock: FakeClock, language: str
) -> None:
    rt = build_rt()
    number = new_york()
    text(rt, number, KEYWORDS[language])
    for answer in ANSWERS[language]:
        text(rt, number, answer)
    finished = latest(rt, number)
    assert finished[1] == "completed"

    clock.advance(days=29)
    assert text(rt, number, KEYWORDS[language]) == [say(rt, "recently_surveyed", language)]
    assert latest(rt, number) == finished
    # Said once a day at most, like every pointer message: no loop with an auto-responder.
    assert text(rt, number, KEYWORDS[language]) == []
    assert latest(rt, number) == finished

    clock.advance(days=1)
    [question] = text(rt, number, KEYWORDS[language])
    assert latest(rt, number)[1] == "active" and latest(rt, number) != finished
    assert question != say(rt, "recently_surveyed", language)


def test_a_survey_ended_by_stop_counts_toward_the_cap(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    text(rt, number, "SURVEY")
    text(rt, number, "yes")
    text(rt, number, "STOP")
    stopped = latest(rt, number)
    assert stopped[1] == "opted_out"
    clock.advance(days=3)
    text(rt, number, "START")

    assert text(rt, number, "SURVEY") == [say(rt, "recently_surveyed", "en")]
    assert latest(rt, number) == stopped
    later = trigger(rt, number)
    assert (later.status, later.reason) == ("refused", "frequency_cap")


def test_a_survey_refused_or_stopped_before_it_went_out_does_not_count(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    pending = trigger(rt, number)
    assert pending.status == "scheduled"
    text(rt, number, "STOP")  # before the delay is up: nothing was ever sent
    text(rt, number, "START")

    [question] = text(rt, number, "SURVEY")
    assert question != say(rt, "recently_surveyed", "en")
    assert latest(rt, number)[1] == "active"


def test_a_survey_waiting_to_go_out_does_not_stop_a_resident_who_asks_now(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    assert trigger(rt, number).status == "scheduled"  # due in two hours

    [question] = text(rt, number, "SURVEY")
    assert question != say(rt, "recently_surveyed", "en")
    assert latest(rt, number)[1] == "active"


def test_a_number_on_the_do_not_survey_list_is_not_surveyed_by_keyword(
    build_rt: Callable[..., Runtime], clock: FakeClock
) -> None:
    rt = build_rt()
    number = new_york()
    text(rt, number, "NOSURVEY")
    clock.advance(days=90)

    assert text(rt, number, "SURVEY") == [say(rt, "nosurvey_confirm", "en")]
    with rt.uow() as uow:
        respondent = uow.respondents.find("sms", number)
        assert respondent is not None
        assert uow.conversations.latest_for(respondent.id) is None
