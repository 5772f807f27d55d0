"""Roles the service layer depends on, as typing.Protocols; adapters live at the edge."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol

from bot.storage_ports import (
    AccountRepository,
    ContactRepository,
    ConversationRepository,
    MessageRepository,
    RespondentRepository,
    ScheduleRepository,
    SurveyQueries,
    TokenRepository,
    TranslationRepository,
)

__all__ = [
    "AccountRepository",
    "Clock",
    "ContactRepository",
    "ConversationRepository",
    "DeliveryError",
    "Dispatcher",
    "InboundMessage",
    "MessageRepository",
    "RespondentRepository",
    "ScheduleRepository",
    "Sender",
    "SurveyQueries",
    "TokenRepository",
    "TranslationError",
    "TranslationRepository",
    "Translator",
    "UnitOfWork",
    "UnitOfWorkFactory",
]


@dataclass(frozen=True)
class InboundMessage:
    """One message from a resident, normalised by its channel adapter."""

    channel: str
    address: str
    text: str
    provider_message_id: str | None
    received_at: datetime
    # A provider's own reading of an opt-out keyword (Twilio's OptOutType: STOP, START, HELP).
    provider_keyword: str | None = None
    # Pictures or other attachments that came with the message (an MMS), which Parley cannot read.
    media_count: int = 0

    @property
    def media_only(self) -> bool:
        """Say whether the message is attachments and no text (a picture sent as an answer)."""
        return self.media_count > 0 and not self.text.strip()


class DeliveryError(Exception):
    """A provider refused or failed to take a message.

    `uncertain`: the request may have reached the provider (a timeout after it was sent, a
    reset connection, a 5xx), so the text may have left: it is looked up before any resend.
    """

    def __init__(
        self,
        message: str,
        code: str | None = None,
        permanent: bool = False,
        *,
        uncertain: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.permanent = permanent
        self.uncertain = uncertain


class Sender(Protocol):
    """Deliver one outbound text on a channel; return the provider's message id."""

    @property
    def identity(self) -> str:
        """Name the sending number (or channel) whose pace a send counts against."""
        ...

    def send(self, address: str, body: str) -> str | None:
        """Send `body` to `address`; raise DeliveryError when the provider fails."""
        ...

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Return the provider's id of `body` sent to `address` since `since`, if it took it.

        Raise DeliveryError when the provider cannot be asked.
        """
        ...


class UnitOfWork(Protocol):
    """A transaction: commit explicitly, roll back by default when the block ends."""

    # One repository per aggregate, each bound to this block's transaction.
    @property
    def respondents(self) -> RespondentRepository:
        """Return the respondents of this block."""
        ...

    @property
    def conversations(self) -> ConversationRepository:
        """Return the conversations and their answers of this block."""
        ...

    @property
    def contacts(self) -> ContactRepository:
        """Return the police contacts of this block."""
        ...

    @property
    def messages(self) -> MessageRepository:
        """Return the messages in and out of this block."""
        ...

    @property
    def schedule(self) -> ScheduleRepository:
        """Return the scheduled items and pacing slots of this block."""
        ...

    @property
    def tokens(self) -> TokenRepository:
        """Return the API tokens of this block."""
        ...

    @property
    def accounts(self) -> AccountRepository:
        """Return the staff accounts of this block."""
        ...

    @property
    def translations(self) -> TranslationRepository:
        """Return the answers' translation state and cache of this block."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work of this block durable, then run its after-commit actions."""
        ...

    def rollback(self) -> None:
        """Discard the work of this block since its last commit, and its after-commit actions."""
        ...

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the block's next commit succeeds (dropped on rollback)."""
        ...


class Dispatcher(Protocol):
    """Run work in the background: in this process, or on a queue (RQ) for workers."""

    def start(self) -> None:
        """Begin periodic background work (the sweep), if not begun yet; cheap to repeat."""
        ...

    def enqueue_translation(self, answer_id: uuid.UUID) -> None:
        """Ask for an answer to be translated soon; the database already says it is due."""
        ...

    def enqueue_item(self, item_id: uuid.UUID, due_at: datetime) -> None:
        """Ask for a scheduled item to be run at `due_at`; the database already holds it."""
        ...


Clock = Callable[[], datetime]
UnitOfWorkFactory = Callable[[], UnitOfWork]


class TranslationError(Exception):
    """A translation provider failed or timed out; the original text is kept."""


class Translator(Protocol):
    """Translate one text; `name` says which provider did it (stored beside the result)."""

    name: str

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Return `text` in `target`; raise TranslationError when the provider fails."""
        ...
