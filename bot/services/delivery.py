"""Deliver a scheduled item's message: pace the sender, call the provider, record the outcome.

The provider is called outside any transaction, so no row stays locked over the network. A
message is marked "sending" before the call. A call that may have reached the provider (a
timeout after the request left, a reset, a 5xx) marks it "unknown"; so does a process dying
during the call. A resident must never get the same text twice, so such a message is never
sent again blindly: it is first looked up at the provider, recorded as sent if found there,
and sent again only if the provider has no such message.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from bot.engine.model import Status
from bot.ports import (
    ButtonSender,
    DeliveryError,
    Sender,
    TemplateSender,
    UnitOfWork,
)
from bot.scheduling.states import IN_DOUBT, ItemKind, ItemStatus, MessageStatus, RunOutcome
from bot.services.delivery_record import enqueue_again, lock_item, record_delivery
from bot.services.runtime import Runtime
from bot.services.send_slots import allowed_at, behind_reply, paced_until, quiet_until
from storage.models import Conversation, Message, ScheduledItem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ready:
    """A message claimed for sending, with where it goes."""

    sender: Sender
    address: str
    body: str
    # The language of the approved template that goes in place of `body` (WhatsApp, when the
    # resident has not written within the window); None: `body` itself.
    template: str | None = None
    # Answer buttons under the text, as JSON (a channel that shows them: Telegram).
    buttons: str | None = None


@dataclass(frozen=True)
class Doubt:
    """A claimed message that may already have left: to look up before sending again."""

    sender: Sender
    address: str
    body: str
    since: datetime
    # It went as the approved template: the provider's copy holds the template's text instead.
    template: bool = False


def deliver_item(rt: Runtime, item_id: uuid.UUID) -> RunOutcome:
    """Send a claimed item's message once; return sent, paced, retry, failed, opted_out…"""
    ready = _ready(rt, item_id)
    if isinstance(ready, Doubt):
        ready = _resolve(rt, item_id, ready)
    if not isinstance(ready, Ready):
        return ready
    provider_id: str | None = None
    error: DeliveryError | None = None
    try:
        if isinstance(ready.sender, TemplateSender) and ready.template is not None:
            provider_id = ready.sender.send_template(ready.address, ready.body, ready.template)
        else:
            provider_id = send_text(ready.sender, ready.address, ready.body, ready.buttons)
    except DeliveryError as exc:
        error = exc
    return record_delivery(rt, item_id, provider_id, error)


def send_text(sender: Sender, address: str, body: str, buttons: str | None) -> str | None:
    """Call the provider: with the text's stored answer buttons when its channel shows them."""
    if buttons and isinstance(sender, ButtonSender):
        rows = tuple(tuple((label, data) for label, data in row) for row in json.loads(buttons))
        return sender.send_buttons(address, body, rows)
    return sender.send(address, body)


def _resolve(rt: Runtime, item_id: uuid.UUID, doubt: Doubt) -> Ready | RunOutcome:
    """Look a message in doubt up at the provider: found, it was sent; not found, send it."""
    try:
        if isinstance(doubt.sender, TemplateSender) and doubt.template:
            found = doubt.sender.find_template(doubt.address, doubt.since)
        else:
            found = doubt.sender.find(doubt.address, doubt.body, doubt.since)
    except DeliveryError as exc:
        # Still unknown: look again later (the lookup counts as an attempt, so it ends).
        failure = DeliveryError(f"lookup failed: {exc}", exc.code, uncertain=True)
        return record_delivery(rt, item_id, None, failure, looked_up=True)
    if found is not None:
        log.info("message of item %s was found at the provider: recorded, not resent", item_id)
        return record_delivery(rt, item_id, found, None)
    with rt.uow() as uow:
        item = lock_item(uow, item_id)
        message = uow.messages.get(item.message_id) if item and item.message_id else None
        if message is None or message.status not in IN_DOUBT:
            return RunOutcome.SKIPPED
        message.status = MessageStatus.QUEUED  # The provider never took it: safe to send.
        uow.commit()
    again = _ready(rt, item_id)
    return RunOutcome.SKIPPED if isinstance(again, Doubt) else again


def _ready(rt: Runtime, item_id: uuid.UUID) -> Ready | Doubt | RunOutcome:
    """Take the sender's next slot and mark the message sending; or say why not now."""
    with rt.uow() as uow:
        now = rt.clock()
        claimed = _claimed(rt, uow, item_id, now)
        if isinstance(claimed, RunOutcome):
            uow.commit()
            return claimed
        item, message, sender, address = claimed
        if message.status in IN_DOUBT:
            return _doubt(uow, item, message, sender, address, now)
        # A withdrawn text ("cancelled": its survey was cancelled) is closed by _still_wanted.
        if message.status not in (MessageStatus.QUEUED, MessageStatus.CANCELLED):
            item.close(ItemStatus.DONE, now)  # Already sent: the job was delivered twice.
            uow.commit()
            return RunOutcome.SKIPPED
        allowed = allowed_at(rt, item, address, now)
        if not _still_wanted(uow, item, message, sender, now, allowed) or allowed is None:
            uow.commit()
            return RunOutcome.CANCELLED
        later = (
            quiet_until(item, allowed, now)
            or behind_reply(uow.schedule, item, message, now)
            or paced_until(rt, uow.schedule, item, message, sender, now)
        )
        if later is not None:
            uow.commit()
            enqueue_again(rt, item_id, later)
            return RunOutcome.PACED
        return _sending(uow, item, message, sender, address, now)


def _doubt(
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    sender: Sender,
    address: str,
    now: datetime,
) -> Doubt:
    """Describe a claimed text that may have left, to look it up before sending again."""
    template = item.kind == ItemKind.START and _needs_template(uow, message, sender, now)
    return Doubt(sender, address, message.body or "", message.created_at, template)


def _sending(
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    sender: Sender,
    address: str,
    now: datetime,
) -> Ready:
    """Count the attempt, mark the message sending and commit: say what leaves, and how."""
    conversation = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    template = None
    if conversation is not None and _needs_template(uow, message, sender, now):
        template = conversation.language  # Only a first text gets here: see _still_wanted.
    item.attempts += 1
    message.status, message.updated_at = MessageStatus.SENDING, now
    uow.commit()
    return Ready(sender, address, message.body or "", template, message.buttons)


def _needs_template(uow: UnitOfWork, message: Message, sender: Sender, now: datetime) -> bool:
    """Say whether a message may go only as an approved template (WhatsApp, outside its window).

    On a channel with a customer-service window, plain messages may go only within it of the
    resident's last message; outside it the channel takes nothing but a template.
    """
    if not isinstance(sender, TemplateSender) or message.respondent_id is None:
        return False
    last = uow.messages.last_inbound_at(message.respondent_id)
    return last is None or now - last >= sender.window


def _claimed(
    rt: Runtime, uow: UnitOfWork, item_id: uuid.UUID, now: datetime
) -> tuple[ScheduledItem, Message, Sender, str] | RunOutcome:
    """Lock an item and its message, with the sender and address; or say why there are none."""
    item = lock_item(uow, item_id)
    message_id = item.message_id if item is not None else None
    message = uow.messages.get(message_id, for_update=True) if message_id else None
    if item is None or message is None:
        return RunOutcome.SKIPPED
    sender = rt.senders.get(message.channel)
    respondent = uow.respondents.get(message.respondent_id) if message.respondent_id else None
    if sender is None or respondent is None:
        message.status, message.error_code = MessageStatus.FAILED, "no_sender"
        item.close(ItemStatus.FAILED, now, "no sender for the channel or no respondent")
        return RunOutcome.FAILED
    if not respondent.reachable:
        # Fails closed: retention kept no address for this row, and the note names none.
        message.status, message.error_code = MessageStatus.FAILED, "erased"
        item.close(ItemStatus.FAILED, now, "the respondent's contact details were erased")
        return RunOutcome.FAILED
    return item, message, sender, respondent.address


def _still_wanted(
    uow: UnitOfWork,
    item: ScheduledItem,
    message: Message,
    sender: Sender,
    now: datetime,
    allowed: datetime | None,
) -> bool:
    """Cancel a queued text whose conversation ended meanwhile, or that may never go out.

    Every outbound text belongs to an active conversation: a first text or a reminder that
    waited for its slot or a retry must not reach a resident who is done with the survey
    (completed, stopped, expired). Nor may one go out when the resident's possible zones
    share no hour outside quiet hours (`allowed` is None), nor a reminder outside WhatsApp's
    window: the approved template opens a survey, it cannot restate a question.
    """
    conversation = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    active = _active(uow, item, message, conversation)
    shut = item.kind != ItemKind.START and _needs_template(uow, message, sender, now)
    if active and allowed is not None and not shut:
        return True
    message.status, message.updated_at = MessageStatus.CANCELLED, now
    item.close(ItemStatus.CANCELLED, now, f"not sent: {_why_not(item, conversation, active, shut)}")
    if active and item.kind == ItemKind.START and conversation is not None:
        conversation.undeliverable(now)
    return False


def _active(
    uow: UnitOfWork, item: ScheduledItem, message: Message, conversation: Conversation | None
) -> bool:
    """Say whether what the text belongs to still wants it: an active survey, or a reply.

    A reply answers the resident's own message, whatever became of a survey since; but not
    once they opted out after it was composed (their STOP's own answer is composed with it).
    """
    if item.kind == ItemKind.REPLY:
        return _reply_wanted(uow, message)
    return conversation is not None and conversation.status == Status.ACTIVE


def _why_not(
    item: ScheduledItem, conversation: Conversation | None, active: bool, shut: bool
) -> str:
    """Say why a text is withdrawn, for the item's note."""
    if active:
        return "outside the channel's reply window" if shut else "no hour outside quiet hours"
    if item.kind == ItemKind.REPLY:
        return "the resident opted out since"
    return f"the conversation is {conversation.status if conversation is not None else 'gone'}"


def _reply_wanted(uow: UnitOfWork, message: Message) -> bool:
    """Say whether a reply may still go: not if the resident opted out after it was composed."""
    respondent = uow.respondents.get(message.respondent_id) if message.respondent_id else None
    stopped = respondent.opted_out_at if respondent is not None else None
    return stopped is None or stopped <= message.created_at
