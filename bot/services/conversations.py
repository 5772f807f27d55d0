"""Start and advance conversations: the bridge between stored rows and the pure engine."""

from __future__ import annotations

from datetime import datetime

from bot.engine.conversation import begin, step
from bot.engine.model import ConversationState, Flow, Prompt, Status, StepResult
from bot.ports import UnitOfWork
from bot.scheduling.disposition import unfinished
from bot.scheduling.states import ALL_KINDS, FOLLOW_UPS
from bot.services.alerts import raise_alerts
from bot.services.runtime import Runtime
from bot.services.translations import queue_translations
from storage.models import Contact, Conversation, Respondent


def state_of(conversation: Conversation) -> ConversationState:
    """Read the engine state out of a stored conversation."""
    return ConversationState(
        node_id=conversation.node_id,
        language=conversation.language,
        status=Status(conversation.status),
        retries=conversation.retries,
    )


def apply_result(
    rt: Runtime, uow: UnitOfWork, conversation: Conversation, result: StepResult, now: datetime
) -> None:
    """Store a step's new state and answers; free-text answers go for translation.

    The stored answers are then read against the alert rules: an alert raised here is queued
    in this transaction, so it is sent within moments of the answer, once.
    """
    completed = conversation.record_step(result.state, now)
    if completed:
        # Nothing is left to remind about, and nothing to expire.
        uow.schedule.cancel([conversation.id], FOLLOW_UPS, now, Status.COMPLETED)
    for answer in result.answers:
        uow.conversations.save_answer(
            conversation.id,
            answer.question_id,
            answer.raw,
            answer.value,
            answer.language,
            answer.answered_at,
        )
    if result.answers:
        # On the row the step has just changed: the funnel's "started" costs no statement.
        conversation.record_answered(min(answer.answered_at for answer in result.answers))
        queue_translations(rt, uow, conversation, result.answers, now)
    if result.answers or completed:
        raise_alerts(rt, uow, conversation, now)


def open_conversation(
    rt: Runtime,
    uow: UnitOfWork,
    respondent: Respondent,
    flow: Flow,
    language: str | None,
    contact: Contact | None = None,
) -> tuple[Conversation, StepResult]:
    """Begin `flow` with a respondent (closing any conversation still open) and store it."""
    now = rt.clock()
    chosen = rt.language_for(flow, language, respondent.language, respondent.address)
    conversation = Conversation(
        respondent_id=respondent.id,
        contact_id=contact.id if contact is not None else None,
        flow_id=flow.id,
        flow_version=flow.version,
        language=chosen,
        status=Status.SCHEDULED,
        created_at=now,
        updated_at=now,
    )
    uow.conversations.add(conversation)
    return conversation, activate(rt, uow, respondent, conversation, flow)


def activate(
    rt: Runtime, uow: UnitOfWork, respondent: Respondent, conversation: Conversation, flow: Flow
) -> StepResult:
    """Send a stored conversation's flow off (closing any other still open); store the step."""
    now = rt.clock()
    previous = uow.conversations.open_for(respondent.id)
    if previous is not None and previous.id != conversation.id:
        # One conversation at a time: a newer survey supersedes an unfinished one.
        close_unfinished(rt, uow, previous, now)
    # A menu shown before this survey numbered other choices: a digit now answers the survey.
    respondent.menu_open_at = None
    result = begin(flow, conversation.language, rt.context)
    conversation.activate(now)
    apply_result(rt, uow, conversation, result, now)
    respondent.language = result.state.language
    return result


def close_unfinished(
    rt: Runtime, uow: UnitOfWork, conversation: Conversation, now: datetime
) -> None:
    """Expire an unfinished conversation, keep its answers and record how far it got."""
    answered = sum(1 for a in uow.conversations.answers(conversation.id) if a.value is not None)
    flow = rt.flow_of(conversation)
    questions = sum(1 for node in flow.nodes.values() if node.waits) if flow else 0
    conversation.expire(unfinished(answered, questions), now)
    uow.schedule.cancel([conversation.id], ALL_KINDS, now, Status.EXPIRED)


def advance(
    rt: Runtime, uow: UnitOfWork, conversation: Conversation, text: str, now: datetime
) -> tuple[Prompt, ...]:
    """Feed a resident's reply to the engine, store what follows and return what to say."""
    flow = rt.flow_of(conversation)
    if flow is None:
        # The flow was withdrawn while this conversation was open: close it politely.
        conversation.close_without_flow(now)
        return ()
    result = step(flow, state_of(conversation), text, now, rt.context)
    apply_result(rt, uow, conversation, result, now)
    return result.prompts
