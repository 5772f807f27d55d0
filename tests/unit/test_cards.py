"""Survey cards on the fake unit of work: made, redeemed by keyword or card code, refused."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from bot.ports import InboundMessage
from bot.services.cards import (
    ALPHABET,
    CODE_LENGTH,
    CardError,
    CardRequest,
    make_card,
    read_code,
    revoke_card,
)
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime
from storage.models import Card, CardAttempt, Contact, Conversation, User
from tests.fakes import FakeDatabase
from tests.support import FakeClock

if TYPE_CHECKING:
    pass

INTRO_EN = "please help us improve"
INTRO_ES = "queremos mejorar"
INVALID = "couldn't find that card code"
USED = "has already been started"
EXPIRED = "no longer valid"
WAIT = "try again in an hour"


@pytest.fixture()
def rt(rt: Runtime) -> Runtime:
    """Add a card key and a Telegram bot to the fake-database runtime (unit conftest)."""
    return replace(rt, card_key=b"k" * 32, telegram_bot="SpringfieldPDBot")


Send = Callable[..., str]


@pytest.fixture()
def text(rt: Runtime, clock: FakeClock) -> Send:
    """Return a sender of messages from one new resident; it returns Parley's reply."""
    number = f"+1555{secrets.randbelow(10**7):07d}"

    def send(body: str, card_code: str | None = None) -> str:
        clock.advance(seconds=30)
        sid = f"SM{secrets.token_hex(16)}"
        message = InboundMessage("sms", number, body, sid, clock(), card_code=card_code)
        replies = handle_inbound(rt, message)
        return replies[0] if replies else ""

    return send


def _card(rt: Runtime, **fields: object) -> str:
    """Make a card for officer B77 at incident I-<random>; return its code."""
    values: dict[str, object] = {"officer_id": "B77", "incident_id": f"I-{secrets.token_hex(3)}"}
    values.update(fields)
    return make_card(rt, CardRequest(**values)).code  # type: ignore[arg-type]


def _contact(database: FakeDatabase) -> Contact:
    """Return the one contact stored, and check a conversation is about it."""
    (contact,) = database.all(Contact)
    (conversation,) = database.all(Conversation)
    assert conversation.contact_id == contact.id
    return contact


def test_a_code_is_typeable_random_and_stored_only_as_a_keyed_hash(
    rt: Runtime, database: FakeDatabase
) -> None:
    made = make_card(rt, CardRequest(officer_id="B77", incident_id="I-1", call_type="theft"))
    assert len(made.code) == CODE_LENGTH and set(made.code) <= set(ALPHABET)
    (card,) = database.all(Card)
    assert made.code not in card.code_hash and len(card.code_hash) == 64
    assert made.telegram_url == f"https://t.me/SpringfieldPDBot?start={made.code}"
    assert made.sms_text == f"SURVEY {made.code}" and made.whatsapp_url is None
    assert made.expires_at == rt.clock() + timedelta(days=14)
    assert read_code(made.code.lower()[:4] + "-" + made.code[4:]) == made.code
    assert made.code != make_card(rt, CardRequest(officer_id="B77")).code


@pytest.mark.parametrize(
    ("body", "intro", "language"),
    [("survey {code}", INTRO_EN, "en"), ("ENCUESTA {code}", INTRO_ES, "es")],
)
def test_the_keyword_and_code_start_the_survey_about_the_cards_contact(
    rt: Runtime, database: FakeDatabase, text: Send, body: str, intro: str, language: str
) -> None:
    code = _card(rt, incident_id="I-42", call_type="theft")
    assert intro in text(body.format(code=code.lower()))
    contact = _contact(database)
    assert (contact.officer_id, contact.incident_id, contact.call_type) == ("B77", "I-42", "theft")
    assert database.all(Conversation)[0].language == language


def test_a_card_code_carried_by_the_channel_starts_the_survey_in_the_cards_language(
    rt: Runtime, database: FakeDatabase, text: Send
) -> None:
    code = _card(rt, incident_id="I-7", language="es")
    assert INTRO_ES in text("/start", card_code=code)
    assert _contact(database).incident_id == "I-7"


def test_a_single_use_card_opens_one_survey_and_then_says_so(rt: Runtime, text: Send) -> None:
    code = _card(rt)
    assert INTRO_EN in text(f"SURVEY {code}")
    assert USED in text(f"SURVEY {code}")


def test_a_reusable_card_opens_a_survey_for_each_resident(
    rt: Runtime, database: FakeDatabase, clock: FakeClock
) -> None:
    code = _card(rt, incident_id=None, reusable=True)
    for number in ("+15550100001", "+15550100002"):
        message = InboundMessage("sms", number, f"SURVEY {code}", None, clock())
        assert INTRO_EN in handle_inbound(rt, message)[0]
    assert [c.officer_id for c in database.all(Contact)] == ["B77", "B77"]
    assert database.all(Card)[0].uses == 2


def test_an_expired_card_is_answered_politely(rt: Runtime, text: Send, clock: FakeClock) -> None:
    code = _card(rt)
    clock.advance(days=14, seconds=1)
    assert EXPIRED in text(f"SURVEY {code}")


def test_a_revoked_card_opens_nothing(rt: Runtime, database: FakeDatabase, text: Send) -> None:
    code = _card(rt, reusable=True, incident_id=None)
    assert revoke_card(rt, code) and not revoke_card(rt, "ZZZZZZZZ")
    assert EXPIRED in text(f"SURVEY {code}")
    assert database.all(Conversation) == []


@pytest.mark.parametrize("typed", ["K7M4Q2HX", "K7M4Q2H", "K7M4O2HX", "k7m4-q2h"])
def test_a_mistyped_or_forged_code_is_answered_and_counted(
    rt: Runtime, database: FakeDatabase, text: Send, typed: str
) -> None:
    _card(rt)
    assert INVALID in text(f"survey {typed}")
    assert len(database.all(CardAttempt)) == 1 and database.all(Conversation) == []


def test_many_wrong_codes_are_slowed_down_without_checking(
    rt: Runtime, database: FakeDatabase, text: Send, clock: FakeClock
) -> None:
    code = _card(rt)
    for _ in range(5):
        assert INVALID in text("SURVEY 22222222")
    # The right code now is not even looked at: guessing gets five tries an hour.
    assert WAIT in text(f"SURVEY {code}").lower()
    assert database.all(Conversation) == []
    clock.advance(hours=1)
    assert INTRO_EN in text(f"SURVEY {code}")


def test_an_excluded_call_type_is_refused_when_the_card_is_made(
    rt: Runtime, database: FakeDatabase
) -> None:
    with pytest.raises(CardError) as refused:
        make_card(rt, CardRequest(officer_id="B77", call_type="Domestic Violence"))
    assert "call_type" in refused.value.fields
    with pytest.raises(CardError) as reusable:
        make_card(rt, CardRequest(officer_id="B77", incident_id="I-1", reusable=True))
    assert "reusable" in reusable.value.fields
    assert database.all(Card) == []


def test_the_keyword_alone_still_starts_a_survey_with_no_card(
    database: FakeDatabase, text: Send
) -> None:
    assert INTRO_EN in text("SURVEY")
    (conversation,) = database.all(Conversation)
    assert conversation.contact_id is None


def test_a_code_typed_in_two_halves_works(rt: Runtime, text: Send) -> None:
    code = _card(rt)
    assert INTRO_EN in text(f"Survey {code[:4]} {code[4:].lower()}")


def test_an_answer_beginning_with_the_keyword_is_not_taken_for_a_code(
    database: FakeDatabase, text: Send
) -> None:
    assert INTRO_EN in text("SURVEY")
    text("yes")
    text("5")
    # Not a code: the survey goes on, and nothing is counted against the resident.
    assert INVALID not in text("survey 2024")
    assert text("survey please") and database.all(CardAttempt) == []


def test_a_reusable_cards_unit_goes_on_every_contact_it_opens(
    rt: Runtime, database: FakeDatabase, clock: FakeClock
) -> None:
    code = _card(rt, incident_id=None, reusable=True, unit=" Traffic East ")
    assert database.all(Card)[0].unit == "Traffic East"
    for number in ("+15550100003", "+15550100004"):
        message = InboundMessage("sms", number, f"SURVEY {code}", None, clock())
        assert INTRO_EN in handle_inbound(rt, message)[0]
    assert [c.unit for c in database.all(Contact)] == ["Traffic East", "Traffic East"]


def _account(rt: Runtime, officer_id: str, unit: str, disabled: bool = False) -> None:
    """Store a staff account for an officer in a unit."""
    with rt.uow() as uow:
        user = User(email=f"{secrets.token_hex(4)}@agency.example", role="officer")
        user.officer_id, user.unit, user.password_hash = officer_id, unit, "-"
        user.disabled_at = rt.clock() if disabled else None
        uow.accounts.add(user)
        uow.commit()


def test_without_a_unit_the_card_takes_the_officers_account_unit(
    rt: Runtime, database: FakeDatabase, text: Send
) -> None:
    _account(rt, "B77", "Precinct 5")
    _account(rt, "B77", "Old unit", disabled=True)  # a disabled account says nothing
    _account(rt, "B99", "Traffic East")
    code = _card(rt)
    assert database.all(Card)[0].unit == "Precinct 5"
    assert INTRO_EN in text(f"SURVEY {code}")
    assert _contact(database).unit == "Precinct 5"
    # The unit asked for wins over the account's.
    _card(rt, unit="Detectives")
    assert database.all(Card)[1].unit == "Detectives"


def test_an_officer_in_two_units_or_none_makes_cards_without_one(
    rt: Runtime, database: FakeDatabase
) -> None:
    _account(rt, "B77", "Precinct 5")
    _account(rt, "B77", "Traffic East")
    _card(rt)
    _card(rt, officer_id="C12")  # no account at all
    assert [card.unit for card in database.all(Card)] == [None, None]


@pytest.mark.parametrize("unit", ["x" * 65, "Traffic\x00East"])
def test_an_unprintable_or_long_unit_is_refused(rt: Runtime, unit: str) -> None:
    with pytest.raises(CardError) as refused:
        _card(rt, unit=unit)
    assert "unit" in refused.value.fields
