"""A conversation's lifecycle: the only code that changes its status and disposition.

Mixed into the `Conversation` table (storage.models), so every way a survey starts or ends sets
its status, its disposition (how it ended, bot.scheduling.disposition) and its timestamps
together, the same way wherever the decision is taken. Storage may use the domain's vocabulary
(the engine's Status, dispositions, refusal reasons: standard-library modules), nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.engine.model import LIVE, ConversationState, Status
from bot.scheduling.disposition import Disposition
from bot.scheduling.model import RefusalReason
from bot.scheduling.states import DELIVERED, REACHED


class ConversationLifecycle:
    """The transitions of a conversation's status, each with its disposition and timestamps."""

    if TYPE_CHECKING:
        # Columns of the table this is mixed into (storage.models.Conversation).
        node_id: str | None
        language: str
        status: str
        disposition: str | None
        refusal_reason: str | None
        reminders_pending: bool
        retries: int
        started_at: datetime | None
        sent_at: datetime | None
        delivered_at: datetime | None
        answered_at: datetime | None
        updated_at: datetime
        completed_at: datetime | None

    @property
    def live(self) -> bool:
        """Say whether the survey is still to be sent or under way."""
        return self.status in LIVE

    def activate(self, now: datetime) -> None:
        """Mark a scheduled survey as under way: its first text is being composed now."""
        self._become(Status.ACTIVE, None, now)
        self.started_at = now

    def record_step(self, state: ConversationState, now: datetime) -> bool:
        """Store where the engine left the conversation; say whether that step completed it.

        The engine only carries a conversation on or completes it: any other change of status
        would bypass the transitions here, so it is refused as a programming error.
        """
        self.node_id, self.language, self.retries = state.node_id, state.language, state.retries
        self.updated_at = now
        if state.status is Status.COMPLETED:
            return self.complete(now)
        if state.status != self.status:
            raise ValueError(f"the engine cannot move a conversation to {state.status}")
        return False

    def complete(self, now: datetime) -> bool:
        """Close the survey as finished by the resident; say whether it was not already."""
        if self.completed_at is not None:
            return False
        self._become(Status.COMPLETED, Disposition.COMPLETE, now)
        self.completed_at = now
        return True

    def close_without_flow(self, now: datetime) -> None:
        """Close a survey whose flow was withdrawn under it: ended, with no disposition."""
        self._become(Status.COMPLETED, None, now)
        self.completed_at = now

    def expire(self, disposition: Disposition, now: datetime) -> None:
        """Close a survey nobody finished, recording how far it got."""
        self._become(Status.EXPIRED, disposition, now)

    def undeliverable(self, now: datetime) -> bool:
        """Close a live survey whose first text never reached the resident; say if it was live."""
        if not self.live:
            return False
        self.expire(Disposition.UNDELIVERABLE, now)
        return True

    def opt_out(self, now: datetime) -> None:
        """Close the survey because the resident opted out (STOP, or with their provider)."""
        self._become(Status.OPTED_OUT, Disposition.OPTED_OUT, now)

    def refuse(self, reason: RefusalReason, now: datetime) -> None:
        """Close the survey because a rule or the resident's wish refuses it.

        The reason is kept only for a survey never sent: it says why nothing went out. An
        opted-out resident's survey reads as opted out.
        """
        if reason is RefusalReason.OPTED_OUT:
            self.opt_out(now)
        else:
            self._become(Status.REFUSED, Disposition.REFUSED, now)
        if self.started_at is None:
            self.refusal_reason = reason

    def cancel(self, reason: RefusalReason, now: datetime) -> None:
        """Close the survey because staff cancelled it (or its call type is now excluded)."""
        self._become(Status.REFUSED, Disposition.REFUSED, now)
        self.refusal_reason = reason
        self.reminders_pending = False

    def record_text(self, status: str, now: datetime) -> None:
        """Note that one of its texts reached `status`: the first sent and delivered are kept."""
        if status in REACHED and self.sent_at is None:
            self.sent_at = now
        if status in DELIVERED and self.delivered_at is None:
            self.delivered_at = now

    def record_answered(self, at: datetime) -> None:
        """Note that the resident answered at `at`: the first answer's time is kept."""
        if self.answered_at is None:
            self.answered_at = at

    def _become(self, status: Status, disposition: Disposition | None, now: datetime) -> None:
        """Set the status and the disposition together, and when they changed."""
        self.status, self.disposition, self.updated_at = status, disposition, now
