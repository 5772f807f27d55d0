"""Trigger a survey for a police contact: one service behind the API, the CSV import and /officer.

Nothing is texted here unless it is due now: the survey is stored as scheduled with its send
time, decided by the agency's rules (bot.scheduling), and the scheduler sends it when due.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.engine.model import Status
from bot.errors import FieldsError
from bot.i18n.choice import offered_tag
from bot.ports import TemplateSender, UnitOfWork
from bot.scheduling.model import Decision, RefusalReason, Refuse, Send
from bot.scheduling.rules import decide_send
from bot.scheduling.states import HELD_BACK, ItemKind, RunOutcome
from bot.services.addresses import RESIDENT_STARTS, AddressError, mask, normalise_address
from bot.services.flow_routes import flow_for
from bot.services.optout import cancel_conversation
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_item
from bot.services.survey_history import respondent_history
from storage.models import Contact, Conversation, Respondent

log = logging.getLogger(__name__)


class SurveyError(FieldsError):
    """A survey request that cannot be carried out; `fields` names what is wrong."""


@dataclass(frozen=True)
class SurveyRequest:
    """What a dispatch system, an officer or the console asks for."""

    channel: str
    address: str
    # "": the flow the call type is routed to, else the default flow (bot.services.flow_routes).
    flow: str
    language: str | None = None
    officer_id: str | None = None
    incident_id: str | None = None
    call_type: str | None = None
    occurred_at: datetime | None = None
    # The officer's unit (team, precinct): the officer page passes the signed-in account's.
    unit: str | None = None


@dataclass(frozen=True)
class SurveyStarted:
    """The stored survey: its status, when it goes out, and how a send due now went."""

    id: uuid.UUID
    status: Status
    delivery: RunOutcome | None = None
    replies: tuple[str, ...] = field(default=())
    reason: str | None = None
    scheduled_for: datetime | None = None
    # The same incident and resident were asked for before: this is that survey.
    duplicate: bool = False
    # This request closed the survey (its call type is now excluded, or staff cancelled it).
    cancelled: bool = False
    # When a first text held back (a sender's backlog, a provider retry) is due to go out.
    queued_until: datetime | None = None


def start_survey(rt: Runtime, request: SurveyRequest) -> SurveyStarted:
    """Record a contact and schedule its survey (or record why not); send it if due now."""
    if not request.flow:
        request = replace(request, flow=flow_for(rt, request.call_type))
    address = check_request(rt, request)
    with rt.uow() as uow:
        now = rt.clock()
        _check_reachable(uow, request.channel, address)
        respondent = uow.respondents.for_update(request.channel, address, now)
        existing = uow.contacts.conversation_for_contact(
            respondent.id, request.incident_id, request.occurred_at
        )
        if existing is not None:
            cancelled = _reclassify(rt, uow, request, existing, now)
            uow.commit()
            return describe_survey(existing, duplicate=True, cancelled=cancelled)
        contact = _contact(request, respondent.id, now)
        uow.contacts.add(contact)
        decision = _decide(rt, uow, request, respondent, contact.occurred_at, now)
        conversation = _conversation(rt, request, respondent, contact, decision, now)
        uow.conversations.add(conversation)
        due = decision.at if isinstance(decision, Send) else None
        item = uow.schedule.schedule(conversation.id, ItemKind.START, due, now) if due else None
        item_id = item.id if item is not None else None
        uow.commit()
    if item_id is None or due is None:
        log.info("survey %s refused: %s", conversation.id, conversation.refusal_reason)
        return describe_survey(conversation)
    log.info("survey %s for %s scheduled for %s", conversation.id, mask(address), due.isoformat())
    return _hand_over(rt, conversation.id, item_id, due, now)


def _check_reachable(uow: UnitOfWork, channel: str, address: str) -> None:
    """Refuse a chat app's survey to a chat that never wrote to us: the app would refuse it."""
    if channel in RESIDENT_STARTS and uow.respondents.find(channel, address) is None:
        raise SurveyError(
            {
                "address": f"this {channel} chat has not started the bot: the resident must "
                "open the chat with it (for example from a survey card) before a survey can be sent"
            }
        )


def _reclassify(
    rt: Runtime, uow: UnitOfWork, request: SurveyRequest, existing: Conversation, now: datetime
) -> bool:
    """Apply a repeat trigger's call type: an excluded one cancels the survey; say if it did.

    CAD systems update the call type when a call clears, so a call first sent as a
    disturbance may come again as domestic violence: no text may follow it.
    """
    contact = uow.contacts.get(existing.contact_id)
    if not request.call_type or contact is None:
        return False
    now_excluded = _is_excluded(rt, request.call_type)
    # Keep the record of why a survey was refused: an excluded type is never overwritten.
    if now_excluded or not (contact.call_type and _is_excluded(rt, contact.call_type)):
        contact.call_type = request.call_type
    if not now_excluded:
        return False
    return cancel_conversation(uow, existing, RefusalReason.EXCLUDED_CALL_TYPE, now)


def _is_excluded(rt: Runtime, call_type: str) -> bool:
    """Say whether the agency's rules never survey after this call type."""
    return rt.policy.excluded(call_type) is not None


def check_request(rt: Runtime, request: SurveyRequest) -> str:
    """Validate a request against what is configured; return the normalised address."""
    errors: dict[str, str] = {}
    if request.channel not in rt.senders:
        # str(): a Channel's repr would name the enum, not the channel the caller sent.
        errors["channel"] = f"channel {str(request.channel)!r} is not configured"
    flow = rt.flows.get(request.flow)
    if flow is None:
        errors["flow"] = f"no flow {request.flow!r}"
    elif request.language and offered_tag(request.language, flow.languages) is None:
        errors["language"] = f"flow {flow.id!r} offers {', '.join(flow.languages)}"
    if request.incident_id and _has_format_characters(request.incident_id):
        # An invisible character makes two incident numbers that look alike differ.
        errors["incident_id"] = "must not contain invisible formatting characters"
    address = ""
    try:
        address = normalise_address(request.channel, request.address, rt.default_region)
    except AddressError as exc:
        errors["address"] = str(exc)
    if errors:
        raise SurveyError(errors)
    return address


def _has_format_characters(text: str) -> bool:
    """Say whether text carries invisible format characters (zero-width spaces, marks)."""
    return any(unicodedata.category(ch) == "Cf" for ch in text)


def _contact(request: SurveyRequest, respondent_id: uuid.UUID, now: datetime) -> Contact:
    """Record the police contact the survey is about."""
    return Contact(
        respondent_id=respondent_id,
        officer_id=request.officer_id,
        unit=request.unit,
        incident_id=request.incident_id,
        call_type=request.call_type,
        occurred_at=request.occurred_at or now,
        created_at=now,
    )


def _decide(
    rt: Runtime,
    uow: UnitOfWork,
    request: SurveyRequest,
    respondent: Respondent,
    occurred_at: datetime,
    now: datetime,
) -> Decision:
    """Apply the agency's rules: whether the survey goes out, and when."""
    history = respondent_history(uow, respondent)
    zone = rt.resident_zones(respondent.address)
    return decide_send(occurred_at, now, request.call_type, history, rt.policy, zone)


def _conversation(
    rt: Runtime,
    request: SurveyRequest,
    respondent: Respondent,
    contact: Contact,
    decision: Decision,
    now: datetime,
) -> Conversation:
    """Build the stored survey: scheduled with its send time, or refused with the reason.

    Raise SurveyError when its channel cannot open a conversation in its language.
    """
    flow = rt.flows[request.flow]
    conversation = Conversation(
        respondent_id=respondent.id,
        contact_id=contact.id,
        flow_id=flow.id,
        flow_version=flow.version,
        language=rt.language_for(flow, request.language, respondent.language, respondent.address),
        status=Status.SCHEDULED,
        created_at=now,
        updated_at=now,
    )
    require_template(rt, request.channel, conversation.language)
    if isinstance(decision, Refuse):
        conversation.refuse(decision.reason, now)
    else:
        conversation.scheduled_for = decision.at
    return conversation


def require_template(rt: Runtime, channel: str, language: str) -> None:
    """Refuse a survey the agency starts where its channel has no template to open it with.

    WhatsApp lets a business speak first only with a template approved beforehand; without
    one for the language, the survey could never reach the resident, so it is refused now.
    """
    sender = rt.senders.get(channel)
    if isinstance(sender, TemplateSender) and not sender.has_template(language):
        raise SurveyError(
            {
                "channel": f"channel {str(channel)!r} can start a survey only with an approved "
                f"template, and none is configured for language {language!r}"
            }
        )


def _hand_over(
    rt: Runtime, conversation_id: uuid.UUID, item_id: uuid.UUID, due: datetime, now: datetime
) -> SurveyStarted:
    """Send now what is due now; leave the rest to the scheduler."""
    delivery = None
    if due <= now:
        delivery = run_item(rt, item_id)
    elif rt.dispatcher is not None:
        rt.dispatcher.enqueue_item(item_id, due)
    with rt.uow() as uow:
        conversation = uow.conversations.get(conversation_id)
        replies = uow.messages.first_body(conversation_id) if delivery else None
        item = uow.schedule.get(item_id)
        # Held back: the item is due again at its sender's slot (or its retry), past the backlog.
        queued = item.due_at if item is not None and delivery in HELD_BACK else None
    if conversation is None:
        # Only an erasure between the two transactions removes it: nothing is left to report.
        raise LookupError(f"survey {conversation_id} no longer exists")
    started = describe_survey(conversation, delivery=delivery, replies=replies)
    return replace(started, queued_until=queued)


def describe_survey(
    conversation: Conversation,
    *,
    duplicate: bool = False,
    cancelled: bool = False,
    delivery: RunOutcome | None = None,
    replies: str | None = None,
) -> SurveyStarted:
    """Describe a stored survey to the caller."""
    return SurveyStarted(
        id=conversation.id,
        status=Status(conversation.status),
        delivery=delivery,
        replies=(replies,) if replies else (),
        reason=conversation.refusal_reason,
        scheduled_for=conversation.scheduled_for,
        duplicate=duplicate,
        cancelled=cancelled,
    )
