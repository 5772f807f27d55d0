"""The repositories and unit of work against a SQLite file and the real PostgreSQL."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory, upgrade
from storage.models import AnswerJson, Conversation, Message, Respondent
from storage.unit_of_work import SqlAlchemyUnitOfWork
from tests.support import cipher_for_tests

# How long the first of two overlapping transactions keeps its locks.
HOLD_SECONDS = 0.4
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
# One turn of a resident's conversation, run inside a unit of work.
Turn = Callable[[SqlAlchemyUnitOfWork], object]


@pytest.fixture()
def factory(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Yield a session factory on a migrated database."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _address() -> str:
    """Return an address no other test uses, so the shared schema needs no truncation."""
    return f"+1555{secrets.token_hex(6)}"


def _count_respondents(factory: sessionmaker[Session], address: str) -> int:
    """Count the respondents stored at an SMS address."""
    query = (
        sa.select(sa.func.count())
        .select_from(Respondent)
        .where(Respondent.address_hash == cipher_for_tests().digest(address))
    )
    with factory() as session:
        return session.scalars(query).one()


def _conversation(
    uow: SqlAlchemyUnitOfWork,
    status: str,
    at: datetime,
    respondent_id: uuid.UUID | None = None,
) -> Conversation:
    """Store a post_contact conversation, for a new respondent unless one is given."""
    rid = respondent_id or uow.respondents.for_update("sms", _address(), at).id
    flow = {"flow_id": "post_contact", "flow_version": "1", "node_id": "respect", "language": "en"}
    conversation = Conversation(
        respondent_id=rid, status=status, created_at=at, updated_at=at, **flow
    )
    uow.conversations.add(conversation)
    return conversation


def test_respondent_for_update_gets_or_creates(factory: sessionmaker[Session]) -> None:
    address = _address()
    uow = SqlAlchemyUnitOfWork(factory, cipher_for_tests())
    with uow:
        assert uow.respondents.find("sms", address) is None
        created = uow.respondents.for_update("sms", address, T0)
        uow.commit()
    with uow:
        again = uow.respondents.for_update("sms", address, T0 + timedelta(days=1))
        assert again.id == created.id
        assert again.created_at == T0
        assert uow.respondents.find("sms", address) is again
        assert uow.respondents.get(created.id) is again
        assert uow.respondents.find("telegram", address) is None
    assert _count_respondents(factory, address) == 1


def test_open_conversation_is_the_newest_active_one(factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        old = _conversation(uow, "active", T0)
        rid = old.respondent_id
        newer = _conversation(uow, "active", T0 + timedelta(hours=1), rid)
        for status in ("scheduled", "completed", "expired"):
            _conversation(uow, status, T0 + timedelta(hours=2), rid)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        found = uow.conversations.open_for(rid)
        assert found is not None and found.id == newer.id
        assert uow.conversations.get(old.id) is not None
        assert uow.conversations.open_for(uuid.uuid4()) is None


def test_save_answer_replaces_the_earlier_answer(factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        cid = _conversation(uow, "active", T0).id
        uow.conversations.save_answer(cid, "respect", "2", 2, "en", T0 + timedelta(minutes=1))
        uow.conversations.save_answer(cid, "comment", "ok", "ok", "en", T0 + timedelta(minutes=3))
        uow.conversations.save_answer(cid, "respect", "cuatro", 4, "es", T0 + timedelta(minutes=2))
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        answers = uow.conversations.answers(cid)
    assert [(a.question_id, a.raw_text, a.value, a.language) for a in answers] == [
        ("respect", "cuatro", 4, "es"),
        ("comment", "ok", "ok", "en"),
    ]


@pytest.mark.parametrize("value", ["yes", "", 7, 0, True, False, None])
def test_answer_values_round_trip(factory: sessionmaker[Session], value: AnswerJson) -> None:
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        cid = _conversation(uow, "active", T0).id
        uow.conversations.save_answer(cid, "q", None, value, "en", T0)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        (answer,) = uow.conversations.answers(cid)
    # Compare types too: a bool must not come back as 1/0, nor None as the string "null".
    assert (type(answer.value), answer.value) == (type(value), value)


def test_duplicate_inbound_message_is_stored_once(factory: sessionmaker[Session]) -> None:
    sid = f"SM{secrets.token_hex(16)}"
    uow = SqlAlchemyUnitOfWork(factory, cipher_for_tests())
    with uow:
        first = uow.messages.add_inbound("sms", sid, None, None, T0)
        assert first is not None
        stored = uow.messages.get(first)
        assert stored is not None and stored.body is None and stored.status == "received"
        assert uow.messages.add_inbound("sms", sid, None, None, T0) is None
        uow.commit()
    with uow:
        assert uow.messages.add_inbound("sms", sid, None, None, T0) is None
        assert uow.messages.add_inbound("telegram", sid, None, None, T0) is not None
        uow.commit()
    with factory() as session:
        query = sa.select(Message.channel).where(Message.provider_message_id == sid)
        assert sorted(session.scalars(query)) == ["sms", "telegram"]


def test_replies_keep_their_order(factory: sessionmaker[Session]) -> None:
    bodies = [f"reply {n}" for n in range(8)]
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        inbound = uow.messages.add_inbound("sms", secrets.token_hex(8), None, None, T0)
        assert inbound is not None
        for body in bodies:  # one turn: every reply shares the same `now`
            uow.messages.add_outbound("sms", body, None, None, inbound, T0)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        # Status updates rewrite rows (PostgreSQL moves them), so storage order is no guide.
        for reply in reversed(uow.messages.replies_to(inbound)[::2]):
            reply.status, reply.provider_message_id = "sent", secrets.token_hex(8)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        replies = uow.messages.replies_to(inbound)
    assert [r.body for r in replies] == bodies
    assert [r.status for r in replies] == ["sent", "queued"] * 4


def test_get_message_can_lock_it_for_sending(factory: sessionmaker[Session]) -> None:
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        queued = uow.messages.add_outbound("sms", "hello", None, None, None, T0)
        uow.commit()

    def claim(uow: SqlAlchemyUnitOfWork) -> object:
        message = uow.messages.get(queued, for_update=True)
        if message is None or message.status != "queued":
            return None
        message.status = "sending"
        return message.id

    first, second, _, _ = _overlapping(factory, claim)
    assert (first, second) == (queued, None)
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        assert uow.messages.get(uuid.uuid4()) is None


def test_token_lookup_hides_revoked_tokens(factory: sessionmaker[Session]) -> None:
    token_hash = secrets.token_hex(32)
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        token = uow.tokens.add("dashboard", token_hash, T0)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        found = uow.tokens.by_hash(token_hash)
        assert found is not None and (found.id, found.name) == (token.id, "dashboard")
        assert uow.tokens.by_hash(secrets.token_hex(32)) is None
        found.revoked_at = T0 + timedelta(days=1)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        assert uow.tokens.by_hash(token_hash) is None


def test_work_is_rolled_back_unless_committed(factory: sessionmaker[Session]) -> None:
    kept, dropped, failed = _address(), _address(), _address()
    uow = SqlAlchemyUnitOfWork(factory, cipher_for_tests())
    with uow:
        uow.respondents.for_update("sms", kept, T0)
        uow.commit()
        uow.respondents.for_update("sms", dropped, T0)
    with pytest.raises(ZeroDivisionError), uow:
        uow.respondents.for_update("sms", failed, T0)
        raise ZeroDivisionError
    assert [_count_respondents(factory, a) for a in (kept, dropped, failed)] == [1, 0, 0]
    with pytest.raises(RuntimeError):
        uow.respondents.find("sms", kept)


def test_datetimes_come_back_aware_utc(factory: sessionmaker[Session]) -> None:
    local = datetime(2025, 3, 1, 14, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    address = _address()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        uow.respondents.for_update("sms", address, local)
        uow.commit()
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        respondent = uow.respondents.find("sms", address)
        assert respondent is not None and respondent.created_at == local
        assert respondent.created_at.utcoffset() == timedelta(0)
        assert respondent.opted_out_at is None
        respondent.opted_out_at = datetime(2025, 3, 2)  # naive: refused, not guessed
        with pytest.raises(StatementError):
            uow.commit()


def _turn(
    factory: sessionmaker[Session], act: Turn, acted: threading.Event, first: bool
) -> tuple[object, float]:
    """Run one turn; return its result and when it committed (first) or got its result."""
    # The first turn holds its transaction open after acting; the second starts then.
    if not first:
        assert acted.wait(timeout=10)
    with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
        result = act(uow)
        if first:
            acted.set()
            time.sleep(HOLD_SECONDS)
        stamp = time.monotonic()
        uow.commit()
        return result, stamp


def _overlapping(factory: sessionmaker[Session], act: Turn) -> tuple[object, object, float, float]:
    """Run two turns in threads, the second while the first holds its transaction open.

    Return both results, when the first began to commit and when the second got its result.
    """
    acted = threading.Event()
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(_turn, factory, act, acted, first) for first in (True, False)]
        (first_result, committing), (second_result, returned) = [j.result(30) for j in jobs]
    return first_result, second_result, committing, returned


@pytest.mark.parametrize("exists", [False, True], ids=["new", "existing"])
def test_respondent_lock_serialises_turns(factory: sessionmaker[Session], exists: bool) -> None:
    address = _address()
    if exists:
        with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
            uow.respondents.for_update("sms", address, T0)
            uow.commit()

    def lock(uow: SqlAlchemyUnitOfWork) -> object:
        return uow.respondents.for_update("sms", address, T0).id

    first_id, second_id, committing, returned = _overlapping(factory, lock)
    assert first_id == second_id
    # The second turn only got the respondent once the first turn had committed.
    assert returned >= committing
    assert _count_respondents(factory, address) == 1


def test_concurrent_duplicate_webhooks_store_one_message(factory: sessionmaker[Session]) -> None:
    sid = secrets.token_hex(16)

    def receive(uow: SqlAlchemyUnitOfWork) -> object:
        return uow.messages.add_inbound("sms", sid, None, None, T0)

    first_id, second_id, _, _ = _overlapping(factory, receive)
    assert first_id is not None and second_id is None
    with factory() as session:
        ids = session.scalars(sa.select(Message.id).where(Message.provider_message_id == sid))
        assert ids.all() == [first_id]


def test_simultaneous_first_messages_make_one_respondent(factory: sessionmaker[Session]) -> None:
    address, threads = _address(), 8
    start = threading.Barrier(threads)

    def first_message() -> uuid.UUID:
        start.wait(timeout=10)
        with SqlAlchemyUnitOfWork(factory, cipher_for_tests()) as uow:
            respondent = uow.respondents.for_update("sms", address, T0)
            uow.commit()
            return respondent.id

    with ThreadPoolExecutor(max_workers=threads) as pool:
        jobs = [pool.submit(first_message) for _ in range(threads)]
        ids = [job.result(timeout=60) for job in jobs]
    assert len(set(ids)) == 1
    assert _count_respondents(factory, address) == 1


def test_latest_conversation_is_the_newest_in_any_status(database_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from storage.db import make_engine, make_session_factory, upgrade
    from storage.models import Conversation
    from storage.unit_of_work import SqlAlchemyUnitOfWork

    engine = make_engine(database_url)
    upgrade(engine)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine), cipher_for_tests())
    now = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    try:
        with uow:
            respondent = uow.respondents.for_update("sms", f"+1555{secrets.token_hex(3)}", now)
            assert uow.conversations.latest_for(respondent.id) is None
            for minutes, status in [(0, "completed"), (5, "expired")]:
                moment = now + timedelta(minutes=minutes)
                uow.conversations.add(
                    Conversation(
                        respondent_id=respondent.id,
                        flow_id="f",
                        flow_version="v",
                        language="en",
                        status=status,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
            latest = uow.conversations.latest_for(respondent.id)
            assert latest is not None and latest.status == "expired"
            assert uow.conversations.open_for(respondent.id) is None
    finally:
        engine.dispose()
