"""Answer a chat app's message (Telegram): the reply goes out as a scheduled item.

A chat app's webhook cannot carry the reply in its answer the way TwiML does. The turn stores
the reply queued with a scheduled item due now (bot.services.inbound.handle), committed with
the turn, and the dispatcher sends it after the webhook has answered: paced per bot, retried
with backoff (Telegram's retry_after honoured), never sent twice, and found again by the
sweep if the dispatcher or its queue is lost meanwhile. The database says what is due.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.engine.locale import system_message
from bot.ports import DeliveryError, InboundMessage
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime

log = logging.getLogger(__name__)


class GroupMessage(Protocol):
    """A message in a group chat, as a channel read it."""

    @property
    def chat_id(self) -> str:
        """Return the group chat's id."""
        ...

    @property
    def language_hint(self) -> str | None:
        """Return the sender's app language, if given."""
        ...

    @property
    def provider_message_id(self) -> str:
        """Return the message's id on the channel."""
        ...


def answer_in_chat(rt: Runtime, msg: InboundMessage) -> None:
    """Handle a resident's chat message; its reply is a scheduled item handed to the dispatcher."""
    handle_inbound(rt, msg, inline=False)


def start_word(rt: Runtime) -> str:
    """Return the default flow's start keyword: what a chat app's bare "start" stands for."""
    flow = rt.flows.get(rt.default_flow) or next(iter(rt.flows.values()), None)
    words = flow.keywords.get(flow.base_language) if flow is not None else None
    return words[0] if words else ""


def explain_group(rt: Runtime, channel: str, group: GroupMessage) -> None:
    """Tell a group chat, once per message (a redelivery is not answered), that surveys are private.

    No resident is behind a group, so nothing about it is stored but the message's id.
    """
    with rt.uow() as uow:
        first = uow.messages.add_inbound(channel, group.provider_message_id, None, None, rt.clock())
        uow.commit()
    sender = rt.senders.get(channel)
    tag = (group.language_hint or "").split("-")[0].lower()
    language = tag if tag in rt.locales else rt.default_language
    body = system_message(rt.locales, language, "group_chat", rt.context.values_for(language))
    if first is None or sender is None or not body:
        return
    try:
        sender.send(group.chat_id, body)
    except DeliveryError as exc:
        log.warning("the explanation to a group chat failed: %s", exc)
