"""Carry out scheduled items: start a survey, remind, expire; and sweep for what is due.

Every item is claimed in the database before anything happens, so a job delivered twice (by
RQ and by the sweep, or by two workers) acts once. A job whose conversation moved on (answered,
completed, opted out) cancels itself.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.engine.conversation import question
from bot.engine.locale import system_message
from bot.engine.model import LIVE, Status
from bot.i18n.bidi import for_locale
from bot.ports import Buttons, UnitOfWork
from bot.scheduling.model import RefusalReason, Refuse
from bot.scheduling.rules import Zones, decide_send, next_allowed
from bot.scheduling.states import ItemKind, ItemStatus, RunOutcome
from bot.services.conversations import activate, close_unfinished, state_of
from bot.services.delivery import deliver_item
from bot.services.delivery_record import lock_item
from bot.services.runtime import Runtime
from bot.services.survey_history import respondent_history
from storage.models import Conversation, Respondent, ScheduledItem

log = logging.getLogger(__name__)

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

    def cancel(self, note: str) -> RunOutcome:
        """Close the item without sending anything: it is no longer wanted, and `note` says why."""
        self.item.close(ItemStatus.CANCELLED, self.now, note)
        return RunOutcome.CANCELLED

    def defer(self, until: datetime) -> RunOutcome:
        """Put the item back, due at `until` (quiet hours, a send delay)."""
        self.item.reschedule(until, self.now)
        return RunOutcome.DEFERRED

    def compose(self, body: str, buttons: Buttons | None = None) -> RunOutcome:
        """Queue `body` (with answer buttons, on a channel that has them); return the outcome."""
        text = for_locale(body, self.rt.locales.get(self.conversation.language))
        self.item.message_id = self.uow.messages.add_outbound(
            self.respondent.channel,
            text,
            self.respondent.id,
            self.conversation.id,
            None,
            self.now,
            buttons=json.dumps(buttons) if buttons else None,
        )
        return RunOutcome.SEND


def run_item(rt: Runtime, item_id: uuid.UUID) -> RunOutcome:
    """Carry out one scheduled item, once; return what happened (sent, deferred, skipped…)."""
    outcome, due_at = _prepare(rt, item_id)
    if outcome is RunOutcome.SEND:
        return deliver_item(rt, item_id)
    if outcome is RunOutcome.DEFERRED and due_at is not None and rt.dispatcher is not None:
        rt.dispatcher.enqueue_item(item_id, due_at)
    return outcome


def _prepare(rt: Runtime, item_id: uuid.UUID) -> tuple[RunOutcome, datetime | None]:
    """Claim a due item and let its kind's handler act; commit what it decided."""
    with rt.uow() as uow:
        now = rt.clock()
        item = lock_item(uow, item_id)
        if item is None or item.status != ItemStatus.PENDING or item.due_at > now:
            return RunOutcome.SKIPPED, None
        item.claim(now)
        if item.message_id is not None:
            uow.commit()  # A retry or a paced send: the text is already composed.
            return RunOutcome.SEND, None
        job = _job(rt, uow, item, now)
        if job is None:
            item.close(ItemStatus.CANCELLED, now, "the resident was erased")
            outcome = RunOutcome.SKIPPED
        else:
            outcome = HANDLERS[ItemKind(item.kind)](job)
        due_at = item.due_at
        uow.commit()
    return outcome, due_at


def _job(rt: Runtime, uow: UnitOfWork, item: ScheduledItem, now: datetime) -> Job | None:
    """Load the conversation and lock its respondent, so no inbound turn runs meanwhile."""
    conversation = uow.conversations.get(item.conversation_id) if item.conversation_id else None
    known = uow.respondents.get(conversation.respondent_id) if conversation else None
    if conversation is None or known is None or not known.reachable:
        return None  # An anonymous or hash-only row: retention erased whom to send to.
    respondent = uow.respondents.for_update(known.channel, known.address, now)
    return Job(rt, uow, item, conversation, respondent, now)


def _start(job: Job) -> RunOutcome:
    """Send the survey's first message, unless a rule now forbids it or it is not yet time."""
    conversation, respondent = job.conversation, job.respondent
    if conversation.status != Status.SCHEDULED:
        return job.cancel(f"conversation is {conversation.status}")
    contact = job.uow.contacts.get(conversation.contact_id)
    history = respondent_history(job.uow, respondent, besides=conversation.id)
    occurred = contact.occurred_at if contact is not None else conversation.created_at
    call_type = contact.call_type if contact is not None else None
    decision = decide_send(occurred, job.now, call_type, history, job.rt.policy, job.zone)
    if isinstance(decision, Refuse):
        return _refuse(job, decision.reason)
    if decision.at > job.now:
        return job.defer(decision.at)
    flow = job.rt.flow_of(conversation)
    if flow is None:
        return job.cancel(f"flow {conversation.flow_id} is no longer offered")
    # Reminders and expiry are planned once the text has actually left (bot.services.delivery).
    result = activate(job.rt, job.uow, respondent, conversation, flow)
    texts = job.rt.render(respondent.channel, result.prompts)
    return job.compose("\n\n".join(texts), job.rt.keyboard(respondent.channel, result.prompts))


def _refuse(job: Job, reason: RefusalReason) -> RunOutcome:
    """Record that a scheduled survey will not be sent after all, and why."""
    conversation = job.conversation
    conversation.refuse(reason, job.now)
    log.info("scheduled survey %s refused at send time: %s", conversation.id, reason.value)
    job.item.close(ItemStatus.CANCELLED, job.now, f"refused: {reason.value}")
    return RunOutcome.REFUSED


def _reminder(job: Job) -> RunOutcome:
    """Remind a resident who has not answered, within allowed hours, in their language."""
    conversation, respondent = job.conversation, job.respondent
    if conversation.status != Status.ACTIVE:
        return job.cancel(f"conversation is {conversation.status}")
    if respondent.opted_out_at is not None or respondent.do_not_survey_at is not None:
        return job.cancel("resident opted out")
    allowed = next_allowed(job.now, job.rt.policy.quiet_hours, job.zone)
    if allowed is None:
        return job.cancel("no hour outside quiet hours in the resident's zones")
    if allowed > job.now:
        return job.defer(allowed)
    flow = job.rt.flow_of(conversation)
    if flow is None:
        return job.cancel(f"flow {conversation.flow_id} is no longer offered")
    ctx = job.rt.context
    nudge = system_message(
        job.rt.locales, conversation.language, "reminder", ctx.values_for(conversation.language)
    )
    asked = question(flow, state_of(conversation), ctx)
    texts = job.rt.render(job.respondent.channel, (asked,) if asked is not None else ())
    return job.compose("\n\n".join(part for part in (nudge, *texts) if part))


def _expiry(job: Job) -> RunOutcome:
    """Close a conversation nobody finished, keeping its answers and recording its disposition."""
    conversation = job.conversation
    if conversation.status not in LIVE:
        return job.cancel(f"conversation is {conversation.status}")
    close_unfinished(job.rt, job.uow, conversation, job.now)
    log.info("survey %s expired: %s", conversation.id, conversation.disposition)
    job.item.close(ItemStatus.DONE, job.now, RunOutcome.EXPIRED)
    return RunOutcome.EXPIRED


HANDLERS: dict[ItemKind, Callable[[Job], RunOutcome]] = {
    ItemKind.START: _start,
    ItemKind.REMINDER: _reminder,
    ItemKind.EXPIRY: _expiry,
}


def sweep_items(rt: Runtime, limit: int = SWEEP_LIMIT) -> datetime | None:
    """Hand every due item to the dispatcher (or run it here); return when the next falls due.

    Items already due are handed out now, so the answer is the soonest item due *later*: a
    queue that is not draining (no worker) gets each item once, not once every half second.
    """
    with rt.uow() as uow:
        now = rt.clock()
        released = uow.schedule.release_stale(now - rt.claim_lease, now)
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


def run_due_items(rt: Runtime, limit: int = SWEEP_LIMIT) -> list[RunOutcome]:
    """Run every due item in this thread, in due order; return the outcomes (CLI, tests)."""
    with rt.uow() as uow:
        due = uow.schedule.due(rt.clock(), limit)
    return [run_item(rt, item_id) for item_id in due]
