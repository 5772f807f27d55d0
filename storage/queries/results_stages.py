"""How far each conversation got, as SQL: the funnel's stages (storage.queries.results).

Whether a survey was sent, delivered or started is recorded on its own row, in the same
transaction as the event (storage.lifecycle: `sent_at`, `delivered_at`, `answered_at`), so every
stage is a condition on conversations alone: the funnel is one scan of the conversations in
scope, never a join to their messages or answers (seconds at a million surveys).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func

from bot.engine.model import Status
from bot.scheduling.disposition import Disposition
from storage.models import Conversation

UNFINISHED = (Disposition.NO_RESPONSE, Disposition.BREAKOFF, Disposition.PARTIAL)
REFUSED = and_(Conversation.status == Status.REFUSED, Conversation.started_at.is_(None))


def stages() -> dict[str, ColumnElement[bool]]:
    """Return the condition of each counted stage but `triggered` (every row)."""
    return {
        "refused": REFUSED,
        "sent": Conversation.sent_at.is_not(None),
        "delivered": Conversation.delivered_at.is_not(None),
        "started": Conversation.answered_at.is_not(None),
        "completed": Conversation.disposition == Disposition.COMPLETE,
        "partial": Conversation.disposition == Disposition.PARTIAL,
        "expired": and_(
            Conversation.status == Status.EXPIRED, Conversation.disposition.in_(UNFINISHED)
        ),
        "undeliverable": Conversation.disposition == Disposition.UNDELIVERABLE,
        "opted_out": Conversation.status == Status.OPTED_OUT,
    }


def counted(names: tuple[str, ...]) -> list[Any]:
    """Return COUNT(*) FILTER (WHERE stage) for each named stage, labelled with its name."""
    conditions = stages()
    return [func.count().filter(conditions[name]).label(name) for name in names]
