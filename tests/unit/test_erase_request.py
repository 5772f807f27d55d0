"""DELETE on the fake unit of work: the question, its answers, a redelivered YES, and what the
erasure leaves (tests/fake_erasure.py mirrors the SQL repository's deletes)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from bot.engine.locale import system_message
from bot.ports import InboundMessage
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime
from storage.models import Answer, AuditEntry, Conversation, Message, Respondent, ScheduledItem
from tests.fakes import FakeDatabase
from tests.support import FakeClock

Send = Callable[..., str]


@pytest.fixture()
def text(rt: Runtime, clock: FakeClock) -> Send:
    """Return a sender of SMS from one resident; it returns Parley's one reply ('' if none)."""
    number = f"+1555{secrets.randbelow(10**7):07d}"

    def send(body: str, sid: str | None = None) -> str:
        clock.advance(seconds=30)
        message = InboundMessage("sms", number, body, sid or f"SM{secrets.token_hex(16)}", clock())
        replies = handle_inbound(rt, message)
        return replies[0] if replies else ""

    return send


def said(rt: Runtime, language: str, key: str) -> str:
    """Render a system message as the services send it."""
    return system_message(rt.locales, language, key, rt.context.values_for(language))


def test_yes_erases_and_a_redelivered_yes_gets_the_same_receipt(
    rt: Runtime, database: FakeDatabase, text: Send
) -> None:
    text("SURVEY")
    text("yes")  # answers the first question
    assert database.all(Answer)
    assert text("DELETE") == said(rt, "en", "erase_confirm")
    assert database.all(Respondent)[0].erase_asked_at is not None
    assert text("YES", sid="SMyes") == said(rt, "en", "erase_done")
    assert (database.all(Answer), database.all(Conversation)) == ([], [])
    assert database.all(ScheduledItem) == []
    assert sorted(str(m.body) for m in database.all(Message)) == [
        "None",
        said(rt, "en", "erase_done"),
    ]
    (respondent,) = database.all(Respondent)
    assert respondent.opted_out_at is not None and respondent.erase_asked_at is None
    # The provider delivers the YES again: the same receipt, and nothing erased twice.
    assert text("YES", sid="SMyes") == said(rt, "en", "erase_done")
    assert len(database.all(AuditEntry)) == 1


def test_no_keeps_everything(rt: Runtime, database: FakeDatabase, text: Send) -> None:
    text("ENCUESTA")
    text("si")
    assert text("BORRAR") == said(rt, "es", "erase_confirm")
    assert text("NO") == said(rt, "es", "erase_kept")
    assert len(database.all(Answer)) == 1 and len(database.all(Conversation)) == 1
    assert database.all(AuditEntry) == []


def test_anything_else_drops_the_question(rt: Runtime, database: FakeDatabase, text: Send) -> None:
    text("SURVEY")
    text("DELETE")
    assert "dignity" in text("yes, he listened")  # the survey's answer, not the question's
    assert text("YES") != said(rt, "en", "erase_done")
    assert len(database.all(Conversation)) == 1


def test_the_question_waits_a_day(
    rt: Runtime, database: FakeDatabase, text: Send, clock: FakeClock
) -> None:
    text("SURVEY")
    text("DELETE")
    clock.advance(hours=24, minutes=1)
    assert text("YES") != said(rt, "en", "erase_done")
    assert len(database.all(Conversation)) == 1


def test_a_keyword_while_asked_is_that_keyword(rt: Runtime, text: Send) -> None:
    text("SURVEY")
    text("DELETE")
    assert text("STOP").startswith(said(rt, "en", "stop_confirm")[:20])
    assert text("YES") == "", "opted out, and the question is over"
