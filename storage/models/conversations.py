"""Tables: respondents, contacts, conversations, answers, messages, translations."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.lifecycle import ConversationLifecycle
from storage.models.base import Base, UtcDateTime, next_seq, utc_now


def incident_key(incident_id: str) -> str:
    """Fold an incident number for comparison: width (NFKC) and case ("ｒ-1" is "R-1")."""
    return unicodedata.normalize("NFKC", incident_id).casefold().strip()


class Respondent(Base):
    """A resident we survey, reachable on one channel at one address (stored encrypted).

    The address (an E.164 number or a chat id) is never stored as text: `address_hash` (keyed
    HMAC-SHA256) finds the row, `address_enc` (AES-GCM) holds it for sending. `address` is the
    plaintext the repository revealed when it found or opened the row (storage/contact_cipher).
    """

    __tablename__ = "respondents"
    __table_args__ = (UniqueConstraint("channel", "address_hash"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    channel: Mapped[str] = mapped_column(String(16))  # sms, whatsapp, telegram, console
    address_hash: Mapped[str] = mapped_column(String(64))
    address_enc: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(35))
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set while the numbered language menu awaits a choice: a digit then picks a language.
    menu_open_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Texted NOSURVEY (or listed by the agency): never surveyed again; other texts still allowed.
    do_not_survey_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When last surveyed, rounded up to the day: the frequency cap's memory after retention.
    last_surveyed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set while a DELETE (erase my data) awaits the resident's YES.
    erase_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    @property
    def address(self) -> str:
        """Return the resident's address, as the repository revealed it."""
        plain: str | None = self.__dict__.get("_address")
        if plain is None and not self.address_enc:
            # Fails closed, naming no contact detail: nothing can be sent to this row.
            raise LookupError(
                f"respondent {self.id}: its contact details were erased by retention;"
                " it is reachable again once the resident writes or is surveyed anew"
            )
        if plain is None:
            raise LookupError("a respondent's address is revealed only by its repository")
        return plain

    @property
    def reachable(self) -> bool:
        """Say whether the address is known: revealed, or still sealed on the row."""
        return "_address" in self.__dict__ or bool(self.address_enc)

    def reveal(self, address: str) -> None:
        """Keep the decrypted (or looked-up) address in memory, never in the database."""
        self.__dict__["_address"] = address


class Contact(Base):
    """A contact between a resident and the police that a survey asks about."""

    __tablename__ = "contacts"
    # One survey per incident and resident: two officers at one scene, or a retried request,
    # find the first contact (NULL incident ids never conflict).
    __table_args__ = (
        UniqueConstraint("respondent_id", "incident_id"),
        # The results dashboard filters by unit (always, for a supervisor) and by officer.
        Index("ix_contacts_unit", "unit"),
        Index("ix_contacts_officer_id", "officer_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Deleting a respondent (erasure request) deletes what we know about them.
    respondent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE"), index=True
    )
    officer_id: Mapped[str | None] = mapped_column(String(64))
    # The officer's unit (team, precinct), where known: results are read per unit.
    unit: Mapped[str | None] = mapped_column(String(64))
    incident_id: Mapped[str | None] = mapped_column(String(64))
    call_type: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Conversation(ConversationLifecycle, Base):
    """One run of a flow with one respondent; its status changes only through its lifecycle."""

    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_respondent_id_status", "respondent_id", "status"),
        # Exports page through conversations in this order (storage/queries/responses.py).
        Index("ix_conversations_created_at_id", "created_at", "id"),
        # The retention job's look-up of ended conversations not yet redacted.
        Index(
            "ix_conversations_unredacted_updated_at",
            "updated_at",
            postgresql_where=text("redacted_at IS NULL"),
            sqlite_where=text("redacted_at IS NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    respondent_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("respondents.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    flow_id: Mapped[str] = mapped_column(String(64))
    flow_version: Mapped[str] = mapped_column(String(32))
    node_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(35))
    # bot.engine.model.Status, changed only by the methods of storage.lifecycle
    status: Mapped[str] = mapped_column(String(16))
    # Why a survey was never sent (bot.scheduling.model.RefusalReason), for the API.
    refusal_reason: Mapped[str | None] = mapped_column(String(32))
    # How it ended (bot.scheduling.disposition.Disposition), set with its status
    disposition: Mapped[str | None] = mapped_column(String(16))
    # When the first message is due (status scheduled) and when an unfinished run closes.
    scheduled_for: Mapped[datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Reminders may be pending: the resident's next reply cancels them. Read with the row, so
    # the many replies after that cost no extra statement.
    reminders_pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    retries: Mapped[int] = mapped_column(Integer, default=0)
    # When the resident was told this number is not monitored and to call the emergency number:
    # once per conversation, so an anxious resident is not answered with it again and again.
    emergency_pointer_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # How far it got, each set once with the event (storage.lifecycle): when a provider first
    # took one of its texts, when one was first reported delivered, when it was first answered.
    # The results funnel counts them on this row alone, with no join to messages or answers.
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When retention erased its message bodies and detached it from the resident.
    redacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


AnswerJson = str | int | bool | None


class Answer(Base):
    """A respondent's answer to one question of a conversation."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("conversation_id", "question_id"),
        # The sweep's query: pending translations whose time has come.
        Index("ix_answers_translation_status_due_at", "translation_status", "translation_due_at"),
        # The results dashboard's comments page, newest first (free-text answers only).
        Index(
            "ix_answers_comments",
            "answered_at",
            "id",
            postgresql_where=text("translation_status IS NOT NULL"),
            sqlite_where=text("translation_status IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(String(64))
    raw_text: Mapped[str | None] = mapped_column(Text)
    # none_as_null: "no answer" is SQL NULL, so `value IS NULL` finds skipped questions.
    value: Mapped[AnswerJson] = mapped_column(JSON(none_as_null=True), nullable=True)
    language: Mapped[str] = mapped_column(String(35))
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Free-text answers only (NULL status otherwise): the original stays in raw_text/value.
    detected_language: Mapped[str | None] = mapped_column(String(35))
    translation: Mapped[str | None] = mapped_column(Text)
    translation_language: Mapped[str | None] = mapped_column(String(35))
    translation_provider: Mapped[str | None] = mapped_column(String(16))
    # not_needed, pending, done, failed, disabled (bot.services.translations.TranslationStatus)
    translation_status: Mapped[str | None] = mapped_column(String(16))
    translation_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    translation_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    translation_error: Mapped[str | None] = mapped_column(String(200))


class Translation(Base):
    """A durable cache of machine translations: the same text is sent to a provider once.

    Keyed by the SHA-256 of the text, so the cache itself holds no resident's original words.
    """

    __tablename__ = "translations"
    # Retention deletes the rows older than RETENTION_DAYS by this index.
    __table_args__ = (Index("ix_translations_created_at", "created_at"),)

    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(35), primary_key=True)  # "auto" when unknown
    target: Mapped[str] = mapped_column(String(35), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), primary_key=True)
    translated_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class Message(Base):
    """One message in or out; inbound bodies are never stored, only outbound ones."""

    __tablename__ = "messages"
    __table_args__ = (
        # NULL provider ids (not yet sent) may repeat: both databases treat NULLs as distinct.
        UniqueConstraint("channel", "provider_message_id"),
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        CheckConstraint("direction = 'out' OR body IS NULL", name="inbound_body_not_stored"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(BigInteger, default=next_seq)
    direction: Mapped[str] = mapped_column(String(3))  # bot.scheduling.states.Direction
    channel: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    respondent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("respondents.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str | None] = mapped_column(Text)
    # The answer buttons sent under the body, as JSON rows of [label, data] (Telegram): kept so
    # that a press is checked against what the resident was shown and its label can be echoed.
    buttons: Mapped[str | None] = mapped_column(Text)
    # bot.scheduling.states.MessageStatus
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
