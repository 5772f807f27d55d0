"""Survey cards an officer hands over, and the wrong codes residents send (to slow guessing)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime, utc_now


class Card(Base):
    """A card whose code opens a survey about one contact (or, reusable, one officer's).

    Only a keyed hash of the code is stored, as API tokens are: the code is shown once when
    the card is made, and a copy of the database cannot be turned into working codes.
    """

    __tablename__ = "cards"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    flow_id: Mapped[str] = mapped_column(String(64))
    officer_id: Mapped[str | None] = mapped_column(String(64))
    # The officer's unit (team, precinct): the contacts the card opens are counted under it.
    unit: Mapped[str | None] = mapped_column(String(64))
    incident_id: Mapped[str | None] = mapped_column(String(64))
    call_type: Mapped[str | None] = mapped_column(String(64))
    # The language the officer heard the resident speak: the survey starts in it.
    language: Mapped[str | None] = mapped_column(String(16))
    # Reusable cards (a pre-printed stack) open a survey each time until revoked.
    reusable: Mapped[bool] = mapped_column(Boolean, default=False)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    def spent(self) -> bool:
        """Say whether a single-use card has opened its survey already."""
        return not self.reusable and self.used_at is not None

    def expired(self, now: datetime) -> bool:
        """Say whether the card can no longer be used: past its date or revoked."""
        return self.revoked_at is not None or (
            self.expires_at is not None and self.expires_at <= now
        )

    def redeem(self, now: datetime) -> None:
        """Record that the card opened a survey."""
        self.uses = (self.uses or 0) + 1
        self.used_at = now


class CardAttempt(Base):
    """A code a resident sent that opened nothing: too many in an hour and we stop checking."""

    __tablename__ = "card_attempts"
    __table_args__ = (Index("ix_card_attempts_respondent_id_at", "respondent_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Deleting a respondent (erasure request) deletes what we know about them.
    respondent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE")
    )
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
