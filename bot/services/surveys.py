"""Start a survey for a police contact and report on it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.addresses import AddressError, mask, normalise_address
from bot.engine.model import Status
from bot.i18n.bidi import for_locale
from bot.i18n.choice import offered_tag
from bot.ports import DeliveryError
from bot.scheduling.calltypes import excluded_type
from bot.scheduling.model import RefusalReason
from bot.services.conversations import open_conversation
from bot.services.runtime import Runtime
from bot.services.translations import TranslationStatus
from storage.models import Answer, Contact, Conversation

log = logging.getLogger(__name__)


class SurveyError(ValueError):
    """A survey request that cannot be carried out; `fields` names what is wrong."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


@dataclass(frozen=True)
class SurveyRequest:
    """What a dispatch system, an officer or the console asks for."""

    channel: str
    address: str
    flow: str
    language: str | None = None
    officer_id: str | None = None
    incident_id: str | None = None
    call_type: str | None = None
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class SurveyStarted:
    """The stored conversation, its status and how delivery of the first message went."""

    id: uuid.UUID
    status: str
    delivery: str | None = None
    replies: tuple[str, ...] = field(default=())
    reason: str | None = None


def start_survey(rt: Runtime, request: SurveyRequest) -> SurveyStarted:
    """Open a conversation for a contact and send its first message."""
    address = _check(rt, request)
    with rt.uow() as uow:
        now = rt.clock()
        respondent = uow.repo.respondent_for_update(request.channel, address, now)
        contact = _contact(request, respondent.id, now)
        uow.repo.add(contact)
        uow.repo.flush()
        reason = _refusal(rt, request, respondent.opted_out_at is not None)
        if reason is not None:
            conversation = _refused(rt, request, respondent.id, contact, now, reason)
            uow.repo.add(conversation)
            uow.commit()
            log.info("survey %s refused: %s", conversation.id, reason.value)
            return SurveyStarted(conversation.id, conversation.status, reason=reason.value)
        flow = rt.flows[request.flow]
        conversation, result = open_conversation(
            rt, uow, respondent, flow, request.language, contact
        )
        body = for_locale("\n\n".join(result.replies), rt.locales.get(conversation.language))
        outbound_id = uow.repo.add_outbound_message(
            request.channel, body, respondent.id, conversation.id, None, now
        )
        uow.commit()
    delivery = deliver(rt, outbound_id, address)
    log.info("survey %s started for %s", conversation.id, mask(address))
    return SurveyStarted(conversation.id, conversation.status, delivery, result.replies)


def _check(rt: Runtime, request: SurveyRequest) -> str:
    """Validate a request against what is configured; return the normalised address."""
    errors: dict[str, str] = {}
    if request.channel not in rt.senders:
        errors["channel"] = f"channel {request.channel!r} is not configured"
    flow = rt.flows.get(request.flow)
    if flow is None:
        errors["flow"] = f"no flow {request.flow!r}"
    elif request.language and offered_tag(request.language, flow.languages) is None:
        errors["language"] = f"flow {flow.id!r} offers {', '.join(flow.languages)}"
    address = ""
    try:
        address = normalise_address(request.channel, request.address, rt.default_region)
    except AddressError as exc:
        errors["address"] = str(exc)
    if errors:
        raise SurveyError(errors)
    return address


def _contact(request: SurveyRequest, respondent_id: uuid.UUID, now: datetime) -> Contact:
    """Record the police contact the survey is about."""
    return Contact(
        respondent_id=respondent_id,
        officer_id=request.officer_id,
        incident_id=request.incident_id,
        call_type=request.call_type,
        occurred_at=request.occurred_at or now,
        created_at=now,
    )


def _refusal(rt: Runtime, request: SurveyRequest, opted_out: bool) -> RefusalReason | None:
    """Say why a survey must not be sent now, if a rule forbids it.

    Call-type exclusions come first: after a domestic-violence call, a text can put someone
    in danger whatever else is true.
    """
    policy = rt.policy
    excluded = policy.excluded_call_types
    if request.call_type and excluded_type(request.call_type, excluded, policy.call_type_aliases):
        return RefusalReason.EXCLUDED_CALL_TYPE
    return RefusalReason.OPTED_OUT if opted_out else None


def _refused(
    rt: Runtime,
    request: SurveyRequest,
    respondent_id: uuid.UUID,
    contact: Contact,
    now: datetime,
    reason: RefusalReason,
) -> Conversation:
    """Record a survey that was not sent, and why."""
    flow = rt.flows[request.flow]
    return Conversation(
        respondent_id=respondent_id,
        contact_id=contact.id,
        flow_id=flow.id,
        flow_version=flow.version,
        language=rt.language_for(flow, request.language),
        status=(Status.OPTED_OUT if reason is RefusalReason.OPTED_OUT else Status.REFUSED).value,
        refusal_reason=reason.value,
        created_at=now,
        updated_at=now,
    )


def deliver(rt: Runtime, message_id: uuid.UUID, address: str) -> str:
    """Hand a queued message to its channel and record the outcome; return the new status."""
    claimed = _claim(rt, message_id)
    if claimed is None:
        return "skipped"
    channel, body = claimed
    # The provider call happens outside any transaction, so no lock is held over the network.
    try:
        provider_id, status, code = rt.senders[channel].send(address, body), "sent", None
    except DeliveryError as exc:
        log.warning("delivery of %s failed: %s", message_id, exc.code or exc)
        provider_id, status, code = None, "failed", exc.code
    with rt.uow() as uow:
        message = uow.repo.get_message(message_id)
        if message is not None:
            message.provider_message_id = provider_id
            message.status, message.error_code = status, code
            message.updated_at = rt.clock()
            uow.commit()
    return status


def _claim(rt: Runtime, message_id: uuid.UUID) -> tuple[str, str] | None:
    """Mark a queued message as being sent, so no other deliverer sends it too."""
    with rt.uow() as uow:
        message = uow.repo.get_message(message_id, for_update=True)
        if message is None or message.status != "queued":
            return None
        message.status, message.updated_at = "sending", rt.clock()
        uow.commit()
        return message.channel, message.body or ""


def survey_report(rt: Runtime, survey_id: uuid.UUID) -> dict[str, Any] | None:
    """Describe a survey: its status, language and answers; None if there is none."""
    with rt.uow() as uow:
        conversation = uow.repo.get_conversation(survey_id)
        if conversation is None:
            return None
        answers = uow.repo.answers(conversation.id)
        return {
            "id": str(conversation.id),
            "flow": conversation.flow_id,
            "flow_version": conversation.flow_version,
            "status": conversation.status,
            "refusal_reason": conversation.refusal_reason,
            "language": conversation.language,
            "created_at": conversation.created_at.isoformat(),
            "completed_at": _iso(conversation.completed_at),
            "answers": [
                {
                    "question": a.question_id,
                    "value": a.value,
                    "text": a.raw_text,
                    "language": a.language,
                    "answered_at": a.answered_at.isoformat(),
                    "translation": _translation(rt, a),
                }
                for a in answers
            ],
        }


def _translation(rt: Runtime, answer: Answer) -> dict[str, Any] | None:
    """Describe a free-text answer's translation; "pending" until it is done (None otherwise)."""
    if answer.translation_status is None:
        return None
    done = answer.translation_status == TranslationStatus.DONE
    return {
        "status": answer.translation_status,
        "text": answer.translation if done else None,
        "language": answer.translation_language if done else rt.agency_language,
        "provider": answer.translation_provider if done else None,
        "detected_language": answer.detected_language,
    }


def _iso(moment: datetime | None) -> str | None:
    """Format an optional moment as ISO 8601."""
    return moment.isoformat() if moment is not None else None
