"""Describe a survey for staff and systems: status, disposition, schedule and answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.services.runtime import Runtime
from bot.services.translations import TranslationStatus

if TYPE_CHECKING:
    from storage.queries import AnswerView, ItemView


def survey_report(
    rt: Runtime, survey_id: uuid.UUID, *, answers: bool = True
) -> dict[str, Any] | None:
    """Describe a survey: its status, language and (unless `answers` is false) answers.

    None if there is no such survey.
    """
    survey = rt.surveys.survey(survey_id, answers=answers)
    if survey is None:
        return None
    report: dict[str, Any] = {
        "id": str(survey.id),
        "flow": survey.flow_id,
        "flow_version": survey.flow_version,
        "status": survey.status,
        "refusal_reason": survey.refusal_reason,
        "disposition": survey.disposition,
        "scheduled_for": _iso(survey.scheduled_for),
        "started_at": _iso(survey.started_at),
        "expires_at": _iso(survey.expires_at),
        "schedule": [_item(item) for item in survey.items],
        "language": survey.language,
        "created_at": survey.created_at.isoformat(),
        "completed_at": _iso(survey.completed_at),
    }
    if answers:
        report["answers"] = [_answer(rt, a) for a in survey.answers]
    return report


def _item(item: ItemView) -> dict[str, Any]:
    """Describe one scheduled send: what, when, and how it went."""
    return {
        "kind": item.kind,
        "due_at": item.due_at.isoformat(),
        "status": item.status,
        "attempts": item.attempts,
    }


def _answer(rt: Runtime, answer: AnswerView) -> dict[str, Any]:
    """Describe one answer: what the resident said and its translation."""
    return {
        "question": answer.question_id,
        "value": answer.value,
        "text": answer.raw_text,
        "language": answer.language,
        "answered_at": answer.answered_at.isoformat(),
        "translation": _translation(rt, answer),
    }


def _translation(rt: Runtime, answer: AnswerView) -> dict[str, Any] | None:
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
