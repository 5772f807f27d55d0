"""The states Parley's stored rows move through, as StrEnums: stable values, stored as text.

Their values are what the database columns hold and what the API shows, so a member compares
equal to the text read back from a row. Conversation status lives with the engine
(bot.engine.model.Status) and how a survey ended in bot.scheduling.disposition.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Which way a message went: from a resident, or to one."""

    IN = "in"
    OUT = "out"


class MessageStatus(StrEnum):
    """Where a message stands, from its composing to the provider's last report on it."""

    # An inbound message (its body is never stored).
    RECEIVED = "received"
    # Composed and waiting for its sender's slot, a retry or a lookup.
    QUEUED = "queued"
    # Handed to the provider call now: it may leave at any moment.
    SENDING = "sending"
    # The provider call may have reached it (a timeout, a reset, a 5xx): looked up before a resend.
    UNKNOWN = "unknown"
    # Withdrawn before it left (its survey was cancelled or ended), or cancelled at the provider.
    CANCELLED = "cancelled"
    # Returned in the answer to the resident's own message (a TwiML reply, the console): the
    # channel sends it, and no provider id or delivery report ever comes back for it.
    REPLIED_INLINE = "replied_inline"
    # What a provider reports, in the order it usually does.
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    SENT = "sent"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    FAILED = "failed"
    READ = "read"


# Texts that may already have left: a provider call timed out, or its process died during it.
IN_DOUBT = frozenset({MessageStatus.SENDING, MessageStatus.UNKNOWN})
# A provider took the text (a failed or cancelled text never left): its conversation was sent.
REACHED = frozenset(
    {
        MessageStatus.ACCEPTED,
        MessageStatus.SCHEDULED,
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.READ,
        MessageStatus.UNDELIVERED,
        MessageStatus.REPLIED_INLINE,
    }
)
# The resident's phone or app has the text: its conversation was delivered.
DELIVERED = frozenset({MessageStatus.DELIVERED, MessageStatus.READ})


class ItemKind(StrEnum):
    """What a scheduled item does: send a survey's first text, remind, close the survey, reply."""

    START = "start"
    REMINDER = "reminder"
    EXPIRY = "expiry"
    # A chat app's answer to the resident's own message (an SMS answer goes back as TwiML).
    REPLY = "reply"


ALL_KINDS = (ItemKind.START, ItemKind.REMINDER, ItemKind.EXPIRY)
FOLLOW_UPS = (ItemKind.REMINDER, ItemKind.EXPIRY)


class AlertKind(StrEnum):
    """What an alert row tells a supervisor: a problem to look at, or praise to pass on."""

    ALERT = "alert"
    COMMENDATION = "commendation"


class ItemStatus(StrEnum):
    """Where a scheduled item stands: waiting, claimed by a worker, or finished for good."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"


class RunOutcome(StrEnum):
    """What running a scheduled item did; shown by the API as a survey's `delivery`."""

    # A text is composed: deliver it now (internal to the run, never returned by it).
    SEND = "send"
    SENT = "sent"
    # Held back for the sender's pace, or to retry after a failure that may pass.
    PACED = "paced"
    RETRY = "retry"
    FAILED = "failed"
    # The provider says the resident blocked us: they are opted out here too.
    OPTED_OUT = "opted_out"
    # Not due, already done or run by another worker, or its resident was erased.
    SKIPPED = "skipped"
    # Not needed any more (the conversation moved on) or never possible (no allowed hour).
    CANCELLED = "cancelled"
    # A send rule refused the survey when its time came.
    REFUSED = "refused"
    # Put back until quiet hours or a send delay end.
    DEFERRED = "deferred"
    EXPIRED = "expired"


# A first text held back and due again later (its slot, its retry): the officer sees "queued".
HELD_BACK = frozenset({RunOutcome.PACED, RunOutcome.RETRY})


class DeliveryFailure(StrEnum):
    """What a channel's refusal to take a message means, whatever the channel said it with."""

    # The recipient blocked us (replied STOP to the carrier or provider): never retry, opt out.
    OPTED_OUT = "opted_out"
    # This message will never be taken (an invalid number, a landline): never retry.
    PERMANENT = "permanent"
    # It may pass (rate limiting, an outage, a network failure): retry, after a while.
    TRANSIENT = "transient"
