"""Roles the service layer depends on, as typing.Protocols; adapters live at the edge."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from bot.scheduling.states import DeliveryFailure

if TYPE_CHECKING:
    from bot.engine.model import Flow, Prompt
    from storage.accounts import AccountsRepository
    from storage.repository import SqlAlchemyRepository
    from storage.schedule import ScheduleRepository
    from storage.translations_repo import TranslationsRepository


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
    """A channel refused or failed to take a message; `kind` says what that means for it.

    The channel's adapter reads its own codes into a kind (bot.scheduling.states.DeliveryFailure):
    the recipient opted out, the message will never go, or the failure may pass (then
    `retry_after`, when the channel said how long to wait). `code` is the channel's own code,
    kept on the message for staff. `uncertain`: the request may have reached the provider (a
    timeout after it was sent, a reset connection, a 5xx), so the text may have left: it is
    looked up before any resend.
    """

    def __init__(
        self,
        message: str,
        code: str | None = None,
        kind: DeliveryFailure = DeliveryFailure.TRANSIENT,
        *,
        uncertain: bool = False,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind
        self.uncertain = uncertain
        self.retry_after = retry_after

    @property
    def permanent(self) -> bool:
        """Say whether sending this message again can never succeed."""
        return self.kind is not DeliveryFailure.TRANSIENT


class Renderer(Protocol):
    """Turn the engine's prompts into the message bodies one channel sends."""

    def __call__(self, prompts: Sequence[Prompt], /) -> tuple[str, ...]:
        """Render `prompts`, leaving out any that would be blank."""
        ...


class Sender(Protocol):
    """Deliver one outbound text on a channel; return the provider's message id."""

    @property
    def identity(self) -> str:
        """Name the sending number (or channel) whose pace a send counts against."""
        ...

    def cost(self, body: str) -> int:
        """Return how many units of its sending rate `body` takes (SMS: its segments)."""
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

    @property
    def repo(self) -> SqlAlchemyRepository:
        """Return the repository bound to this block's transaction."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work of this block durable."""
        ...

    @property
    def translations(self) -> TranslationsRepository:
        """Return the translation queries bound to this block's transaction."""
        ...

    @property
    def schedule(self) -> ScheduleRepository:
        """Return the scheduled-item queries bound to this block's transaction."""
        ...

    @property
    def accounts(self) -> AccountsRepository:
        """Return the staff-account queries bound to this block's transaction."""
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


class UnknownFlowVersionError(LookupError):
    """No definition of this version of a flow was ever recorded."""

    def __init__(self, flow_id: str, version: str) -> None:
        super().__init__(f"flow {flow_id!r} has no recorded version {version!r}")
        self.flow_id = flow_id
        self.version = version


class FlowStore(Protocol):
    """Flow definitions by version: the live one of each flow, and every one ever recorded.

    A version is the content hash a conversation keeps in `flow_version`: a conversation is
    stepped with the version it began on, new conversations begin on the live one.
    """

    def live(self, flow_id: str) -> Flow:
        """Return the version of `flow_id` new conversations begin on; KeyError if not offered."""
        ...

    def live_flows(self) -> Mapping[str, Flow]:
        """Return the live version of every offered flow, keyed by flow id."""
        ...

    def get(self, flow_id: str, version: str) -> Flow:
        """Return `version` of `flow_id` as recorded; UnknownFlowVersionError if it never was."""
        ...


class StoredFlowVersion(Protocol):
    """One recorded, never changed definition of a flow: version `number` of `flow_id`."""

    @property
    def flow_id(self) -> str:
        """Return the flow's id."""
        ...

    @property
    def number(self) -> int:
        """Return the version's number, counting from 1 per flow in the order recorded."""
        ...

    @property
    def digest(self) -> str:
        """Return the content hash of the files the definition was built from."""
        ...

    @property
    def definition(self) -> Mapping[str, Any]:
        """Return the definition in the flow file format, translations merged in."""
        ...


class FlowVersionRecords(Protocol):
    """Where flow definitions are kept, one immutable row per version (the database)."""

    def ready(self) -> bool:
        """Say whether versions can be recorded (the schema has the table)."""
        ...

    def record(
        self, flow_id: str, digest: str, definition: Mapping[str, Any], now: datetime
    ) -> StoredFlowVersion:
        """Keep a definition unless its digest is already kept; return its version either way."""
        ...

    def find(self, flow_id: str, digest: str) -> StoredFlowVersion | None:
        """Return the version of `flow_id` with this digest, if recorded."""
        ...

    def versions(self, flow_id: str) -> Sequence[StoredFlowVersion]:
        """Return every recorded version of `flow_id`, oldest first."""
        ...
