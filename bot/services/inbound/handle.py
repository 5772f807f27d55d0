"""Handle one inbound message: global keywords first, then the resident's conversation."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from functools import partial

from bot.engine.keywords import KeywordHit, match_keyword
from bot.engine.model import PromptOption, Status
from bot.i18n.bidi import for_locale
from bot.ports import OPEN_CHAT, InboundMessage, UnitOfWork
from bot.scheduling.states import ItemKind, MessageStatus
from bot.services.addresses import mask
from bot.services.conversations import advance, open_conversation
from bot.services.inbound.card_start import card_reply
from bot.services.inbound.erase_request import erase_turn
from bot.services.inbound.flood import flooding
from bot.services.inbound.keyword_replies import (
    KEYWORD_HANDLERS,
    emergency_reply,
    looks_urgent,
    media_reply,
    written_language,
)
from bot.services.inbound.keyword_start import (
    REFUSAL_MESSAGES,
    flow_for_keyword,
    keyword_refusal,
)
from bot.services.inbound.languages import (
    follow_written_language,
    menu_choice,
    menu_refused,
    named_language,
    send_menu,
    switch_to,
)
from bot.services.inbound.turn import Turn
from bot.services.optout import join_do_not_survey
from bot.services.runtime import Runtime
from storage.models import Conversation

log = logging.getLogger(__name__)

DAY = timedelta(days=1)
# Twilio's OptOutType values (and Telegram's commands) mapped onto our keyword kinds.
PROVIDER_KEYWORDS = {
    "STOP": "stop",
    "START": "start",
    "HELP": "help",
    "LANGUAGE": "language",
    "DELETE": "erase",
}


def handle_inbound(rt: Runtime, msg: InboundMessage, inline: bool = True) -> list[str]:
    """Answer a resident's message; a redelivered message gets the same answer, stored once.

    Not `inline` (not in the webhook's answer, as TwiML is): stored queued, for chat_replies.
    """
    with rt.uow() as uow:
        respondent, conversation = uow.respondents.with_open_conversation(
            msg.channel, msg.address, msg.received_at
        )
        inbound = _store_inbound(uow, msg, respondent.id, conversation)
        if inbound is None:
            return _replayed(uow, msg)
        if flooding(rt, uow, respondent, msg):
            uow.commit()  # stored, so a retry is known, and counted; not answered
            return []
        turn = Turn(
            rt, uow, msg, respondent, conversation, inbound_id=inbound, replies_inline=inline
        )
        _cancel_reminders(uow, conversation, msg.received_at)
        replies = route(turn)
        body = reply_body(rt, replies, turn.reply_language)
        if body:
            _log_reply(turn, inbound, body, rt.clock(), inline)
        uow.commit()
    log.info("handled %s message from %s: %d reply", msg.channel, mask(msg.address), len(replies))
    return [body] if body else []


def _store_inbound(
    uow: UnitOfWork, msg: InboundMessage, respondent_id: uuid.UUID, open_one: Conversation | None
) -> uuid.UUID | None:
    """Log the inbound message (never its body); None when the provider delivered it before."""
    conversation_id = open_one.id if open_one else None
    return uow.messages.add_inbound(
        msg.channel, msg.provider_message_id, respondent_id, conversation_id, msg.received_at
    )


def _cancel_reminders(uow: UnitOfWork, conversation: Conversation | None, now: datetime) -> None:
    """Cancel the survey's pending reminders: any reply shows the resident has seen it."""
    if conversation is not None and conversation.reminders_pending:
        uow.schedule.cancel([conversation.id], (ItemKind.REMINDER,), now, "replied")
        conversation.reminders_pending = False


def reply_body(rt: Runtime, replies: list[str], language: str | None) -> str:
    """Join replies into the one text sent back, with direction marks for its language."""
    return for_locale("\n\n".join(replies), rt.locales.get(language or ""))


def _replayed(uow: UnitOfWork, msg: InboundMessage) -> list[str]:
    """Return what was answered to a message the provider delivered before."""
    log.info("duplicate delivery of %s ignored", msg.provider_message_id)
    seen = uow.messages.find(msg.channel, msg.provider_message_id or "")
    return [m.body for m in uow.messages.replies_to(seen.id) if m.body] if seen else []


# What an opted-out resident may still be answered: START, and HELP, as carriers require.
_AFTER_STOP = frozenset({"start", "help"})


def route(turn: Turn) -> list[str]:
    """Pick the handler for a message: keyword, answer, flow keyword or a pointer to help."""
    hit = _keyword(turn)
    erasing = erase_turn(turn, hit)  # first: erasure is a right after STOP too
    if erasing is not None:
        return erasing
    if turn.respondent.opted_out_at is not None and (hit is None or hit.kind not in _AFTER_STOP):
        return _while_opted_out(turn, hit)
    handler = KEYWORD_HANDLERS.get(hit.kind) if hit else None
    replies = handler(turn, hit) if handler is not None and hit is not None else None
    if replies is not None:
        return replies
    # A card's code (SURVEY K7M4Q2HX, or Telegram's /start payload) opens the card's survey,
    # even over an open conversation: the resident is asking about this contact now.
    carded = card_reply(turn)
    if carded is not None:
        return carded
    # A digit answers an open language menu before the question; a language's name switches.
    if menu_refused(turn):
        return send_menu(turn)  # "99" names no language: show the menu again
    chosen = menu_choice(turn) or named_language(turn)
    if chosen is not None:
        return switch_to(turn, chosen)
    if turn.conversation is not None:
        # A cry for help or a picture is not an answer: say so, then ask the question again.
        pointer = emergency_reply(turn) or media_reply(turn)
        return pointer if pointer is not None else _answer(turn, turn.conversation)
    if looks_urgent(turn):
        return _once_a_day(turn, "emergency", written_language(turn, turn.language()))
    return _start_or_point(turn)


def _while_opted_out(turn: Turn, hit: KeywordHit | None) -> list[str]:
    """Answer nothing to an opted-out resident; still record a do-not-survey request."""
    if hit is not None and hit.kind == "nosurvey":
        # Recorded even after STOP, so a later START does not bring surveys back.
        join_do_not_survey(turn.uow, turn.respondent, turn.msg.received_at)
    # Opted out: nothing is ever sent again until the resident texts START.
    return []


def _answer(turn: Turn, conversation: Conversation) -> list[str]:
    """Feed the reply to the conversation, following the language it is written in."""
    notice = follow_written_language(turn)
    prompts = advance(turn.rt, turn.uow, conversation, turn.msg.text, turn.msg.received_at)
    turn.reply_language = conversation.language
    return [*notice, *turn.render(prompts)]


def _keyword(turn: Turn) -> KeywordHit | None:
    """Read a global keyword from the provider's flag or the text itself."""
    flag = (turn.msg.provider_keyword or "").upper()
    if flag == OPEN_CHAT and turn.respondent.opted_out_at is not None:
        flag = "START"  # Opening the chat again after STOP is asking to be texted again.
    provider = PROVIDER_KEYWORDS.get(flag)
    found = match_keyword(turn.msg.text, turn.rt.locales.values())
    if provider is not None:
        return KeywordHit(kind=provider, language=found.language if found else "en")
    return found


def _start_or_point(turn: Turn) -> list[str]:
    """Start the flow a keyword names, or tell a stranger what this number is."""
    found = flow_for_keyword(turn.rt.flows, turn.msg.text)
    if found is not None:
        flow, language = found
        if language == flow.base_language:
            # Posters print the base keyword for everyone; a remembered choice says more, and
            # so does the language the resident's app is set to (Telegram's language_code).
            language = turn.respondent.language or turn.msg.language_hint or language
        refusal = keyword_refusal(turn.rt, turn.uow, turn.respondent, turn.msg.received_at)
        if refusal is not None:
            key = REFUSAL_MESSAGES.get(refusal.reason)
            return _once_a_day(turn, key, language) if key else []
        conversation, result = open_conversation(turn.rt, turn.uow, turn.respondent, flow, language)
        turn.conversation = conversation
        turn.reply_language = conversation.language
        return turn.render(result.prompts)
    latest = turn.uow.conversations.latest_for(turn.respondent.id)
    if latest is not None and latest.status == Status.COMPLETED:
        # A thank-you after the survey: say the line is not watched and where to turn instead.
        return _once_a_day(turn, "completed", latest.language)
    if latest is not None and (
        latest.status == Status.EXPIRED
        or (latest.status == Status.REFUSED and latest.started_at is not None)
    ):
        # A late answer (or one to a survey cancelled after its first text): it has closed.
        return _once_a_day(turn, "expired", latest.language)
    return _point(turn, turn.language())


def _point(turn: Turn, language: str) -> list[str]:
    """Tell a stranger what this number is, offering a survey's keyword to reply with."""
    offer = _survey_offer(turn.rt, language)
    keyword = offer.label if offer is not None else "HELP"
    return _once_a_day(turn, "unknown", language, offer, keyword=keyword)


def _once_a_day(
    turn: Turn, key: str, language: str, offer: PromptOption | None = None, **values: str
) -> list[str]:
    """Say a pointer message, but not twice in a day: an auto-responder must not loop with us.

    With an `offer`, the word it asks for ("text SURVEY") is a button where there are buttons.
    """
    if offer is not None:
        replies = turn.offer(key, language, offer, **values)
    else:
        replies = turn.say(key, language, **values)
    body = reply_body(turn.rt, replies, language)
    last = turn.uow.messages.last_outbound(turn.respondent.id)
    if last is not None and last.body == body and turn.msg.received_at - last.created_at < DAY:
        turn.reply_language, turn.buttons = None, None
        return []
    return replies


def _survey_offer(rt: Runtime, language: str) -> PromptOption | None:
    """Return a flow keyword to suggest in `language` (the first flow's, upper-cased), if any."""
    for flow in rt.flows.values():
        words = flow.keywords.get(language) or flow.keywords.get(flow.base_language)
        if words:
            return PromptOption(flow.id, words[0].upper())
    return None


def _log_reply(
    turn: Turn, inbound_id: uuid.UUID, body: str, now: datetime, inline: bool = True
) -> None:
    """Store the reply to an inbound message so a redelivery gets the same answer.

    Not `inline`, the reply is a scheduled item due now, handed to the dispatcher once the turn
    is committed: sent, paced, retried and looked up exactly like a survey's first text.
    """
    conversation = turn.conversation
    reply_id = turn.uow.messages.add_outbound(
        turn.msg.channel,
        body,
        turn.respondent.id,
        conversation.id if conversation is not None else None,
        inbound_id,
        now,
        # Inline, the channel answers with it in its reply to the resident's message (TwiML,
        # the console); no provider id or delivery report comes back, so it is never "sent".
        status=MessageStatus.REPLIED_INLINE if inline else MessageStatus.QUEUED,
        buttons=json.dumps(turn.buttons) if turn.buttons and not inline else None,
    )
    if inline and conversation is not None:
        conversation.record_text(MessageStatus.REPLIED_INLINE, now)  # on the row already loaded
    if not inline:
        item = turn.uow.schedule.add_reply(reply_id, now)
        dispatcher = turn.rt.dispatcher
        if dispatcher is not None:
            turn.uow.after_commit(partial(dispatcher.enqueue_item, item.id, now))
