"""The retention job's storage role: what fell due, and erasing it in locked batches.

Re-exported by bot.ports. Signatures name ORM rows and storage's plain DueConversation only.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from storage.models import Answer
    from storage.repositories.retention import DueConversation


class RetentionRepository(Protocol):
    """Find and erase contact details and message bodies past the retention period."""

    def due_conversations(self, cutoff: datetime, limit: int) -> list[DueConversation]:
        """Lock up to `limit` ended, unredacted conversations last changed by `cutoff`."""
        ...

    def answers(self, conversation_ids: Sequence[uuid.UUID]) -> list[Answer]:
        """Return the answers of these conversations, to be scrubbed in place."""
        ...

    def redact(self, due: Sequence[DueConversation], now: datetime) -> int:
        """Move each conversation to a new anonymous respondent, blank its messages; count them."""
        ...

    def remember_surveys(self, surveyed: Mapping[uuid.UUID, datetime]) -> None:
        """Keep on each respondent the latest of its own and the given survey time."""
        ...

    def scrub_loose_messages(self, cutoff: datetime, limit: int) -> int:
        """Blank up to `limit` messages of no conversation created by `cutoff`; count them."""
        ...

    def delete_card_attempts(self, cutoff: datetime) -> int:
        """Delete the wrong card codes residents sent by `cutoff`; count them."""
        ...

    def delete_translations(self, cutoff: datetime) -> int:
        """Delete cached machine translations made by `cutoff`; count them."""
        ...

    def seal_off(self, cutoff: datetime, limit: int) -> int:
        """Keep only the hash of up to `limit` respondents nothing points at; count them."""
        ...

    def forget(self, surveyed_before: datetime, limit: int) -> int:
        """Delete up to `limit` hash-only respondents no list or cap needs; count them."""
        ...
