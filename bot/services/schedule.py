"""Carry out scheduled items: start a survey, remind, expire; and sweep for what is due.

Every item is claimed in the database before anything happens, so a job delivered twice (by
RQ and by the sweep, or by two workers) acts once. A job whose conversation moved on (answered,
completed, opted out) cancels itself.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine.conversation import prompt
from bot.engine.locale import system_message
from bot.engine.model import Status
from bot.i18n.bidi import for_locale
from bot.ports import UnitOfWork
from bot.scheduling.model import RefusalReason, Refuse, RespondentHistory
from bot.scheduling.rules import Zones, decide_send, next_allowed
from bot.services.conversations import activate, close_unfinished, state_of
from bot.services.delivery import deliver_item
from bot.services.optout import record_refusal
from bot.services.runtime import Runtime
from storage.models import (
    CANCELLED,
    DONE,
    EXPIRY,
    PENDING,
    REMINDER,
    RUNNING,
    START,
    Conversation,
    Respondent,
    ScheduledItem,
)

log = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died: the sweep hands the item out again.
STALE_CLAIM = timedelta(minutes=10)
SWEEP_LIMIT = 500


@dataclass
class Job:
    """One claimed item with what its handler needs."""

    rt: Runtime
    uow: UnitOfWork
    item: ScheduledItem
    conversation: Conversation
    respondent: Respondent
    now: datetime

    @property
    def zone(self) -> Zones:
        """Return every zone the resident may be in (and the agency's), for quiet hours."""
        return self.rt.resident_zones(self.respondent.address)

    def finish(self, status: str, note: str | None = None) -> str:
        """Close the item without sending anything; return the outcome."""
        self.item.close(status, self.now, note)
        return note or status

    def defer(self, until: datetime) -> str:
        """Put the item back, due at `until` (quiet hours, a send delay)."""
        self.item.reschedule(until, self.now)
        return "deferred"

    def compose(self, body: str) -> str:
        """Queue `body` for the resident as this item's message; return the outcome."""
        text = for_locale(body, self.rt.locales.get(self.conversation.language))
        self.item.message_id = self.uow.messages.add_outbound(
            self.respondent.channel, text, self.respondent.id, self.conversation.id, None, self.now
        )
        return "send"


def run_item(rt: Runtime, item_id: uuid.UUID) -> str:
    """Carry out one scheduled item, once; return what happened (sent, deferred, skipped…)."""
    outcome, due_at = _prepare(rt, item_id)
    if outcome == "send":
        return deliver_item(rt, item_id)
    if outcome == "deferred" and due_at is not None and rt.dispatcher is not None:
        rt.dispatcher.enqueue_item(item_id, due_at)
    return outcome


def _prepare(rt: Runtime, item_id: uuid.UUID) -> tuple[str, datetime | None]:
    """Claim a due item and let its kind's handler act; commit what it decided."""
    with rt.uow() as uow:
        now = rt.clock()
        item = uow.schedule.get(item_id, for_update=True)
        if item is None or item.status != PENDING or item.due_at > now:
            return "skipped", None
        item.status, item.claimed_at, item.updated_at = RUNNING, now, now
        if item.message_id is not None:
            uow.commit()  # A retry or a paced send: the text is already composed.
            return "send", None
        job = _job(rt, uow, item, now)
        if job is None:
            item.status, outcome = CANCELLED, "skipped"  # The resident was erased.
        else:
            outcome = HANDLERS[item.kind](job)
        due_at = item.due_at
        uow.commit()
    return outcome, due_at


def _job(rt: Runtime, uow: UnitOfWork, item: ScheduledItem, now: datetime) -> Job | None:
    """Load the conversation and lock its respondent, so no inbound turn runs meanwhile."""
    conversation = uow.conversations.get(item.conversation_id)
    known = uow.respondents.get(conversation.respondent_id) if conversation else None
    if conversation is None or known is None:
        return None
    respondent = uow.respondents.for_update(known.channel, known.address, now)
    return Job(rt, uow, item, conversation, respondent, now)


def _start(job: Job) -> str:
    """Send the survey's first message, unless a rule now forbids it or it is not yet time."""
    conversation, respondent = job.conversation, job.respondent
    if conversation.status != Status.SCHEDULED.value:
        return job.finish(CANCELLED, f"conversation is {conversation.status}")
    contact = job.uow.contacts.get(conversation.contact_id)
    history = RespondentHistory(
        opted_out=respondent.opted_out_at is not None,
        do_not_survey=respondent.do_not_survey_at is not None,
        last_survey_at=job.uow.conversations.last_survey_at(respondent.id, besides=conversation.id),
    )
    occurred = contact.occurred_at if contact is not None else conversation.created_at
    call_type = contact.call_type if contact is not None else None
    decision = decide_send(occurred, job.now, call_type, history, job.rt.policy, job.zone)
    if isinstance(decision, Refuse):
        return _refuse(job, decision.reason)
    if decision.at > job.now:
        return job.defer(decision.at)
    flow = job.rt.flows.get(conversation.flow_id)
    if flow is None:
        return job.finish(CANCELLED, f"flow {conversation.flow_id} is no longer offered")
    # Reminders and expiry are planned once the text has actually left (bot.services.delivery).
    result = activate(job.rt, job.uow, respondent, conversation, flow)
    return job.compose("\n\n".join(result.replies))


def _refuse(job: Job, reason: RefusalReason) -> str:
    """Record that a scheduled survey will not be sent after all, and why."""
    conversation = job.conversation
    record_refusal(conversation, reason, job.now)
    log.info("scheduled survey %s refused at send time: %s", conversation.id, reason.value)
    return job.finish(CANCELLED, f"refused: {reason.value}")


def _reminder(job: Job) -> str:
    """Remind a resident who has not answered, within allowed hours, in their language."""
    conversation, respondent = job.conversation, job.respondent
    if conversation.status != Status.ACTIVE.value:
        return job.finish(CANCELLED, f"conversation is {conversation.status}")
    if respondent.opted_out_at is not None or respondent.do_not_survey_at is not None:
        return job.finish(CANCELLED, "resident opted out")
    allowed = next_allowed(job.now, job.rt.policy.quiet_hours, job.zone)
    if allowed is None:
        return job.finish(CANCELLED, "no hour outside quiet hours in the resident's zones")
    if allowed > job.now:
        return job.defer(allowed)
    flow = job.rt.flows.get(conversation.flow_id)
    if flow is None:
        return job.finish(CANCELLED, f"flow {conversation.flow_id} is no longer offered")
    ctx = job.rt.context
    nudge = system_message(
        job.rt.locales, conversation.language, "reminder", ctx.values_for(conversation.language)
    )
    question = prompt(flow, state_of(conversation), ctx)
    return job.compose("\n\n".join(part for part in (nudge, question) if part))


def _expiry(job: Job) -> str:
    """Close a conversation nobody finished, keeping its answers and recording its disposition."""
    conversation = job.conversation
    if conversation.status not in (Status.ACTIVE.value, Status.SCHEDULED.value):
        return job.finish(CANCELLED, f"conversation is {conversation.status}")
    close_unfinished(job.rt, job.uow, conversation, job.now)
    log.info("survey %s expired: %s", conversation.id, conversation.disposition)
    return job.finish(DONE, "expired")


HANDLERS: dict[str, Callable[[Job], str]] = {START: _start, REMINDER: _reminder, EXPIRY: _expiry}


def sweep_items(rt: Runtime, limit: int = SWEEP_LIMIT) -> datetime | None:
    """Hand every due item to the dispatcher (or run it here); return when the next falls due.

    Items already due are handed out now, so the answer is the soonest item due *later*: a
    queue that is not draining (no worker) gets each item once, not once every half second.
    """
    with rt.uow() as uow:
        now = rt.clock()
        released = uow.schedule.release_stale(now - STALE_CLAIM, now)
        due = uow.schedule.due_items(now, limit)
        uow.commit()
        # A full batch leaves more due: sweep again soon for the rest.
        upcoming = now if len(due) >= limit else uow.schedule.next_due_at(after=now)
    if released:
        log.warning("released %d scheduled items whose worker stopped", released)
    for item_id, due_at in due:
        try:
            if rt.dispatcher is not None:
                # The job id names the item and its due time: the same claim queues once.
                rt.dispatcher.enqueue_item(item_id, due_at)
            else:
                run_item(rt, item_id)
        except Exception:
            # One bad item must not hold up the others; the database keeps it due.
            log.exception("could not hand out scheduled item %s", item_id)
    return upcoming


def run_due_items(rt: Runtime, limit: int = SWEEP_LIMIT) -> list[str]:
    """Run every due item in this thread, in due order; return the outcomes (CLI, tests)."""
    with rt.uow() as uow:
        due = uow.schedule.due(rt.clock(), limit)
    return [run_item(rt, item_id) for item_id in due]
