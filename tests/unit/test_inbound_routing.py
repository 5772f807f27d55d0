"""Inbound routing on the fake unit of work, with no database: keywords, replies, redeliveries."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from bot.ports import InboundMessage
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime
from storage.models import Answer, Conversation, Message, Respondent, ScheduledItem
from tests.fakes import FakeDatabase
from tests.support import FakeClock

if TYPE_CHECKING:
    pass

LISTENED_EN = "Did the officer listen to what you had to say?"
LISTENED_ES = "¿El agente le ha escuchado cuando usted le hablaba?"
RESPECT_EN = "Did the officer treat you with dignity and respect?"


@pytest.fixture()
def text(rt: Runtime, clock: FakeClock) -> Callable[..., str]:
    """Return a sender of SMS from one resident; it returns Parley's one reply ('' if none)."""
    number = f"+1555{secrets.randbelow(10**7):07d}"

    def send(body: str, sid: str | None = None) -> str:
        clock.advance(seconds=30)
        sid = sid or f"SM{secrets.token_hex(16)}"
        message = InboundMessage("sms", number, body, sid, clock())
        replies = handle_inbound(rt, message)
        assert len(replies) <= 1
        return replies[0] if replies else ""

    return send


def _conversation(database: FakeDatabase) -> Conversation:
    """Return the only conversation stored."""
    (conversation,) = database.all(Conversation)
    return conversation


def test_a_flow_keyword_starts_a_survey(database: FakeDatabase, text: Callable[..., str]) -> None:
    reply = text("survey")
    assert "Springfield Police" in reply and LISTENED_EN in reply
    conversation = _conversation(database)
    assert (conversation.status, conversation.node_id, conversation.language) == (
        "active",
        "listened",
        "en",
    )
    inbound, outbound = sorted(database.all(Message), key=lambda m: m.direction)
    assert (inbound.direction, inbound.body, inbound.conversation_id) == ("in", None, None)
    assert (outbound.reply_to_id, outbound.body, outbound.status) == (
        inbound.id,
        reply,
        "replied_inline",
    )


def test_a_reply_answers_the_open_question(
    database: FakeDatabase, text: Callable[..., str]
) -> None:
    text("SURVEY")
    assert RESPECT_EN in text("yes")
    (answer,) = database.all(Answer)
    assert (answer.question_id, answer.raw_text, answer.value) == ("listened", "yes", True)
    assert _conversation(database).node_id == "respect"


def test_stop_opts_out_and_silences_everything_after(
    database: FakeDatabase, text: Callable[..., str]
) -> None:
    text("SURVEY")
    assert "unsubscribed" in text("STOP")
    conversation = _conversation(database)
    assert (conversation.status, conversation.disposition) == ("opted_out", "opted_out")
    (respondent,) = database.all(Respondent)
    assert respondent.opted_out_at is not None
    assert text("yes") == ""
    assert database.all(Answer) == []


def test_help_answers_without_touching_the_survey(
    database: FakeDatabase, text: Callable[..., str]
) -> None:
    text("SURVEY")
    reply = text("HELP")
    assert "Springfield Police community survey" in reply and "555-0100" in reply
    conversation = _conversation(database)
    assert (conversation.status, conversation.node_id) == ("active", "listened")
    assert database.all(Answer) == []


def test_naming_a_language_switches_and_asks_again_in_it(
    database: FakeDatabase, text: Callable[..., str]
) -> None:
    text("SURVEY")
    assert LISTENED_ES in text("español")
    assert _conversation(database).language == "es"
    (respondent,) = database.all(Respondent)
    assert respondent.language == "es"


def test_a_redelivered_message_gets_the_same_reply_and_counts_once(
    database: FakeDatabase, text: Callable[..., str]
) -> None:
    text("SURVEY")
    first = text("yes", sid="SMsame")
    assert text("yes", sid="SMsame") == first
    assert len(database.all(Answer)) == 1
    assert _conversation(database).node_id == "respect"
    assert [m.provider_message_id for m in database.all(Message)].count("SMsame") == 1


def test_a_stranger_is_told_what_this_number_is_once_a_day(
    database: FakeDatabase, text: Callable[..., str], clock: FakeClock
) -> None:
    pointer = text("pizza?")
    assert "Springfield Police" in pointer and "SURVEY" in pointer
    assert text("pizza?") == ""  # an auto-responder must not loop with us
    clock.advance(days=1)
    assert text("pizza?") == pointer
    assert database.all(Conversation) == []


def test_a_reply_cancels_the_pending_reminder(
    database: FakeDatabase, text: Callable[..., str], rt: Runtime, clock: FakeClock
) -> None:
    text("SURVEY")
    conversation = _conversation(database)
    with rt.uow() as uow:
        uow.schedule.schedule(conversation.id, "reminder", clock(), clock())
        uow.commit()
    conversation.reminders_pending = True
    text("yes")
    (item,) = database.all(ScheduledItem)
    assert (item.status, item.last_error) == ("cancelled", "replied")
    assert conversation.reminders_pending is False


def test_work_not_committed_is_dropped(
    database: FakeDatabase, rt: Runtime, clock: FakeClock
) -> None:
    with rt.uow() as uow:
        uow.respondents.for_update("sms", "+15550100000", clock())
    assert database.all(Respondent) == []
