"""Answer a chat app's message (Telegram): the reply stored queued first, then sent, recorded.

A chat app's webhook cannot carry the reply in its answer the way TwiML does, so the reply is
sent through the channel's sender once the turn is committed. The message row comes first:
a reply is never lost (a failure that may pass leaves it queued, and the redelivered update
sends it) and never sent twice (it is marked "sending" before the call, and a call that may
have reached the provider leaves it "unknown", never resent).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from bot.engine.locale import system_message
from bot.ports import DeliveryError, InboundMessage, UnitOfWork
from bot.scheduling.states import DeliveryFailure, MessageStatus
from bot.services.delivery import send_text
from bot.services.inbound.handle import handle_inbound
from bot.services.optout import opt_out
from bot.services.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What became of a message's replies: how many left, and whether to ask for a redelivery."""

    sent: int
    # A failure that may pass: the reply stays queued for the provider's redelivery.
    retry: bool = False


def answer_in_chat(rt: Runtime, msg: InboundMessage) -> Outcome:
    """Handle a resident's chat message, then send its queued replies."""
    handle_inbound(rt, msg, inline=False)
    return send_replies(rt, msg)


def send_replies(rt: Runtime, msg: InboundMessage) -> Outcome:
    """Send the replies to `msg` still queued (a redelivery sends what failed to go before)."""
    sender = rt.senders.get(msg.channel)
    if sender is None:
        log.warning("no sender for %s: its replies stay queued", msg.channel)
        return Outcome(0, retry=True)
    sent, retry = 0, False
    for message_id, body, buttons in _claim(rt, msg):
        try:
            _record(rt, message_id, send_text(sender, msg.address, body, buttons), None)
            sent += 1
        except DeliveryError as exc:
            retry = _record(rt, message_id, None, exc) or retry
    return Outcome(sent, retry)


def _claim(rt: Runtime, msg: InboundMessage) -> list[tuple[uuid.UUID, str, str | None]]:
    """Mark the queued replies to `msg` as sending; return their ids, bodies and buttons."""
    with rt.uow() as uow:
        seen = uow.messages.find(msg.channel, msg.provider_message_id or "")
        replies = uow.messages.replies_to(seen.id) if seen is not None else []
        claimed = []
        for reply in replies:
            message = uow.messages.get(reply.id, for_update=True)  # locked: one sender claims it
            if message is not None and message.status == MessageStatus.QUEUED and message.body:
                message.status, message.updated_at = MessageStatus.SENDING, rt.clock()
                claimed.append((message.id, message.body, message.buttons))
        uow.commit()
    return claimed


def _record(
    rt: Runtime, message_id: uuid.UUID, provider_id: str | None, error: DeliveryError | None
) -> bool:
    """Store how the send went; return whether it may pass (the reply is queued again)."""
    with rt.uow() as uow:
        message = uow.messages.get(message_id, for_update=True)
        if message is None:
            return False
        now = rt.clock()
        message.updated_at = now
        if error is None:
            message.status, message.provider_message_id = MessageStatus.SENT, provider_id
        elif error.uncertain:
            message.status, message.error_code = MessageStatus.UNKNOWN, error.code
        elif not error.permanent:
            message.status, message.error_code = MessageStatus.QUEUED, error.code
        else:
            message.status, message.error_code = MessageStatus.FAILED, error.code
            _opted_out(rt, uow, message.respondent_id, error)
        uow.commit()
    return error is not None and not error.permanent and not error.uncertain


def _opted_out(
    rt: Runtime, uow: UnitOfWork, respondent_id: uuid.UUID | None, error: DeliveryError
) -> None:
    """Opt a resident out who blocked us on the channel: nothing is ever sent to them again."""
    if error.kind is not DeliveryFailure.OPTED_OUT:
        return
    respondent = uow.respondents.get(respondent_id) if respondent_id is not None else None
    if respondent is not None:
        opt_out(uow, respondent, rt.clock())


def start_word(rt: Runtime) -> str:
    """Return the default flow's start keyword: what a chat app's bare "start" stands for."""
    flow = rt.flows.get(rt.default_flow) or next(iter(rt.flows.values()), None)
    words = flow.keywords.get(flow.base_language) if flow is not None else None
    return words[0] if words else ""


def explain_group(rt: Runtime, channel: str, chat_id: str, hint: str | None) -> None:
    """Tell a group chat, once per message, that surveys are answered in private chats."""
    sender = rt.senders.get(channel)
    tag = (hint or "").split("-")[0].lower()
    language = tag if tag in rt.locales else rt.default_language
    body = system_message(rt.locales, language, "group_chat", rt.context.values_for(language))
    if sender is None or not body:
        return
    try:
        sender.send(chat_id, body)
    except DeliveryError as exc:
        log.warning("the explanation to a group chat failed: %s", exc)
