"""Open the survey a card is for, when a resident sends its code (SURVEY K7M4Q2HX, /start).

A code that opens nothing gets a polite answer, never an error; a resident who sends many
wrong codes in an hour is told to try later, without the codes being checked, so that codes
cannot be guessed by trying them one after another.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from bot.i18n.choice import offered_tag
from bot.services.cards import code_hash, read_code
from bot.services.conversations import open_conversation
from bot.services.inbound.keyword_start import REFUSAL_MESSAGES, flow_for_keyword, keyword_refusal
from bot.services.inbound.turn import Turn
from storage.models import Card, Contact

log = logging.getLogger(__name__)

WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = timedelta(hours=1)


def card_reply(turn: Turn) -> list[str] | None:
    """Answer a message that carries a card code; None when it carries none."""
    found = _sent_code(turn)
    if found is None:
        return None
    typed, keyword_language = found
    language = keyword_language or turn.msg.language_hint or turn.language()
    respondent, now = turn.respondent, turn.msg.received_at
    cards = turn.uow.cards
    if cards.attempts_since(respondent.id, now - WRONG_CODES_WINDOW) >= WRONG_CODES_ALLOWED:
        log.info("card code from respondent %s not checked: too many wrong codes", respondent.id)
        return _say(turn, "card_wait", language)
    code = read_code(typed)
    card = cards.by_hash(code_hash(turn.rt, code)) if code is not None else None
    if card is None:
        cards.record_attempt(respondent.id, now)
        return _say(turn, "card_invalid", language)
    return _redeem(turn, card, card.language or language)


def _sent_code(turn: Turn) -> tuple[str, str | None] | None:
    """Return the code a message carries and its keyword's language, if it carries one."""
    if turn.msg.card_code:
        return turn.msg.card_code, None
    words = turn.msg.text.split()
    # The code may be typed in two halves (SURVEY K7M4 Q2HX): try it whole, then split.
    for parts in (1, 2):
        typed = "".join(words[-parts:])
        if len(words) <= parts or not _looks_like_code(turn, typed):
            continue
        found = flow_for_keyword(turn.rt.flows, " ".join(words[:-parts]))
        if found is not None:
            flow, language = found
            # The base keyword (SURVEY) is printed for everyone: it says nothing of the language.
            return typed, None if language == flow.base_language else language
    return None


def _looks_like_code(turn: Turn, typed: str) -> bool:
    """Say whether a word after a keyword is meant as a card code (perhaps mistyped).

    Inside a survey only a well-formed code counts, so that an answer that happens to begin
    with SURVEY is still an answer; outside one, a word with a digit counts too, so that a
    mistyped code gets told it is wrong rather than the general pointer.
    """
    if read_code(typed) is not None:
        return True
    plausible = 4 <= len(typed) <= 12 and typed.replace("-", "").isalnum()
    return turn.conversation is None and plausible and any(ch.isdigit() for ch in typed)


def _redeem(turn: Turn, card: Card, language: str) -> list[str]:
    """Open the card's survey, tied to its officer and incident, unless the card is spent."""
    rt, uow, respondent, now = turn.rt, turn.uow, turn.respondent, turn.msg.received_at
    flow = rt.flows.get(card.flow_id)
    excluded = card.call_type is not None and rt.policy.excluded(card.call_type) is not None
    if card.expired(now) or flow is None or excluded:
        return _say(turn, "card_expired", language)
    if card.spent():
        return _say(turn, "card_used", language)
    refusal = keyword_refusal(rt, uow, respondent, now)
    # The resident was already asked about this incident (by text, or another card).
    asked = bool(card.incident_id) and (
        uow.contacts.conversation_for_contact(respondent.id, card.incident_id, None) is not None
    )
    if refusal is not None or asked:
        key = REFUSAL_MESSAGES.get(refusal.reason) if refusal else "recently_surveyed"
        return _say(turn, key, language) if key else []
    contact = _contact(card, respondent.id, now)
    uow.contacts.add(contact)
    card.redeem(now)
    conversation, result = open_conversation(rt, uow, respondent, flow, language, contact)
    log.info("card %s opened survey %s", card.id, conversation.id)
    turn.conversation = conversation
    turn.reply_language = conversation.language
    return turn.render(result.prompts)


def _contact(card: Card, respondent_id: uuid.UUID, now: datetime) -> Contact:
    """Record the police contact the card was handed over at."""
    return Contact(
        respondent_id=respondent_id,
        officer_id=card.officer_id,
        # Results per unit count the surveys a card opened, as those an officer asked for.
        unit=card.unit,
        incident_id=card.incident_id,
        call_type=card.call_type,
        # A reusable card stands for each contact it is handed over at: the one just now.
        occurred_at=now if card.reusable else card.created_at,
        created_at=now,
    )


def _say(turn: Turn, key: str, language: str) -> list[str]:
    """Say a card message in the resident's language (es-MX in Spanish), else the default."""
    spoken = offered_tag(language, tuple(turn.rt.locales)) or turn.rt.default_language
    return turn.say(key, spoken)
