"""How far each conversation got, as SQL: the funnel's stages (storage.queries.results).

Whether a survey was sent, delivered or started depends on its messages and answers. Probing
them with EXISTS per conversation costs three index lookups a row (seconds for a million);
instead the messages and answers of the conversations in scope are grouped once per
conversation into two derived tables, hash-joined to the conversations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select

from bot.engine.model import Status
from bot.scheduling.disposition import Disposition
from bot.scheduling.states import Direction, MessageStatus
from storage.models import Answer, Conversation, Message
from storage.queries.results_sql import Query, ResultsFilter, scoped

# A provider took the text: what "sent" means (a failed or cancelled text never left).
REACHED = (
    MessageStatus.ACCEPTED,
    MessageStatus.SCHEDULED,
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.READ,
    MessageStatus.UNDELIVERED,
    MessageStatus.REPLIED_INLINE,
)
DELIVERED = (MessageStatus.DELIVERED, MessageStatus.READ)
UNFINISHED = (Disposition.NO_RESPONSE, Disposition.BREAKOFF, Disposition.PARTIAL)
REFUSED = and_(Conversation.status == Status.REFUSED, Conversation.started_at.is_(None))


@dataclass(frozen=True)
class Progress:
    """Per conversation in scope: its message flags (sent, delivered), and whether answered."""

    texts: Subquery
    answered: Subquery

    @classmethod
    def of(cls, where: ResultsFilter) -> Progress:
        """Group the messages and answers of the conversations `where` selects."""
        ids = scoped(select(Conversation.id).select_from(Conversation), where)
        texts = (
            select(
                Message.conversation_id.label("id"),
                func.max(case((Message.status.in_(REACHED), 1), else_=0)).label("sent"),
                func.max(case((Message.status.in_(DELIVERED), 1), else_=0)).label("delivered"),
            )
            .where(Message.direction == Direction.OUT, Message.conversation_id.in_(ids))
            .group_by(Message.conversation_id)
            .subquery("texts")
        )
        answered = (
            select(Answer.conversation_id.label("id"))
            .where(Answer.conversation_id.in_(ids))
            .distinct()
            .subquery("answered")
        )
        return cls(texts, answered)

    def joined(self, query: Query) -> Query:
        """Join the flags to a query selecting from conversations."""
        query = query.outerjoin(self.texts, self.texts.c.id == Conversation.id)
        return query.outerjoin(self.answered, self.answered.c.id == Conversation.id)

    def stages(self) -> dict[str, ColumnElement[bool]]:
        """Return the condition of each counted stage but `triggered` (every row)."""
        return {
            "refused": REFUSED,
            "sent": self.texts.c.sent == 1,
            "delivered": self.texts.c.delivered == 1,
            "started": self.answered.c.id.is_not(None),
            "completed": Conversation.disposition == Disposition.COMPLETE,
            "partial": Conversation.disposition == Disposition.PARTIAL,
            "expired": and_(
                Conversation.status == Status.EXPIRED, Conversation.disposition.in_(UNFINISHED)
            ),
            "undeliverable": Conversation.disposition == Disposition.UNDELIVERABLE,
            "opted_out": Conversation.status == Status.OPTED_OUT,
        }

    def counted(self, names: tuple[str, ...]) -> list[Any]:
        """Return COUNT(*) FILTER (WHERE stage) for each named stage, labelled with its name."""
        stages = self.stages()
        return [func.count().filter(stages[name]).label(name) for name in names]
