"""The read side of what is shown beyond supervisors: officer feedback and the public page.

Re-exported by bot.ports. It returns counts and an officer's own comments, never a survey.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from storage.queries import Comment, GroupCount, ValueCount

# A question across a flow's versions: (flow id, question id).
QuestionKey = tuple[str, str]


class PublicQueries(Protocol):
    """Aggregates grouped by the database: nothing read here is one resident's."""

    def completed(
        self, by: Literal["unit", "language"], since: datetime, until: datetime
    ) -> list[GroupCount]:
        """Count the surveys completed in [since, until) per month and unit or language."""
        ...

    def values_by_unit(
        self, questions: Sequence[QuestionKey], since: datetime, until: datetime
    ) -> list[ValueCount]:
        """Count the answers per value, unit and month to these questions, in [since, until)."""
        ...

    def values(
        self, questions: Sequence[QuestionKey], until: datetime, officer_id: str | None = None
    ) -> list[ValueCount]:
        """Count the answers per value to these questions completed before `until`."""
        ...

    def officer_days(self, officer_id: str, until: datetime) -> list[tuple[str, int]]:
        """Count an officer's surveys completed before `until` per UTC day, oldest first."""
        ...

    def comments(
        self, officer_id: str, questions: Sequence[QuestionKey], until: datetime, limit: int
    ) -> tuple[int, list[Comment]]:
        """Count an officer's comments before `until`; return the newest `limit`, by their text."""
        ...
