"""Describe a survey for staff and systems: status, disposition, schedule and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from bot.services.runtime import Runtime
from bot.services.translations import TranslationStatus
from storage.models import Answer


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
            "disposition": conversation.disposition,
            "scheduled_for": _iso(conversation.scheduled_for),
            "started_at": _iso(conversation.started_at),
            "expires_at": _iso(conversation.expires_at),
            "schedule": [
                {
                    "kind": item.kind,
                    "due_at": item.due_at.isoformat(),
                    "status": item.status,
                    "attempts": item.attempts,
                }
                for item in uow.schedule.for_conversation(conversation.id)
            ],
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
