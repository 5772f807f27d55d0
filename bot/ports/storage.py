"""Storage roles: staff and translation repositories, the read side, and the unit of work.

Re-exported by bot.ports. Signatures name ORM row types (storage.models) and the read side's
plain views, nothing else of SQLAlchemy: tests/fakes.py implements them in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from bot.ports.alerts import AlertRepository
from bot.ports.flows import FlowRepository
from bot.ports.repositories import (
    ContactRepository,
    ConversationRepository,
    MessageRepository,
    RespondentRepository,
    ScheduleRepository,
)
from bot.ports.retention import RetentionRepository

if TYPE_CHECKING:
    from storage.models import (
        Answer,
        ApiToken,
        AuditEntry,
        Card,
        User,
    )
    from storage.queries import (
        AuditFilter,
        AuditPage,
        Backlog,
        ResponseKey,
        ResponseRow,
        RunningCount,
        SurveyView,
    )


class TokenRepository(Protocol):
    """The HTTP API's bearer tokens, known by their SHA-256 digest."""

    def by_hash(self, token_hash: str) -> ApiToken | None:
        """Return the unrevoked token with this digest, if any."""
        ...

    def all(self) -> list[ApiToken]:
        """Return every API token, oldest first."""
        ...

    def add(
        self, name: str, token_hash: str, now: datetime, scopes: str = "surveys:write"
    ) -> ApiToken:
        """Store a new API token by its digest, with its space-separated scopes."""
        ...


class CardRepository(Protocol):
    """Survey cards, known by a keyed hash of their code, and residents' wrong codes."""

    def add(self, card: Card) -> None:
        """Store a new card now, so its id and defaults are set."""
        ...

    def by_hash(self, code_hash: str) -> Card | None:
        """Return the card with this code hash, locked until commit."""
        ...

    def record_attempt(self, respondent_id: uuid.UUID, now: datetime) -> None:
        """Remember that a resident sent a code that opened nothing."""
        ...

    def attempts_since(self, respondent_id: uuid.UUID, since: datetime) -> int:
        """Count a resident's wrong codes since a moment."""
        ...


class AccountRepository(Protocol):
    """Staff accounts."""

    def add(self, user: User) -> None:
        """Stage a new account."""
        ...

    def by_email(self, email: str, *, for_update: bool = False) -> User | None:
        """Return the account with this email, locked for update if asked."""
        ...

    def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        """Return the account with this id, locked for update if asked."""
        ...

    def all(self) -> list[User]:
        """Return every account, by email."""
        ...

    def enabled_admins(self) -> list[User]:
        """Return the enabled admin accounts, locked until commit."""
        ...

    def unit_of_officer(self, officer_id: str) -> str | None:
        """Return the unit the officer's live accounts name, if they name exactly one."""
        ...


class AuditRepository(Protocol):
    """The audit log: entries are added, never changed or removed."""

    def add(self, entry: AuditEntry) -> None:
        """Stage an entry, stored by the same commit as the change it records."""
        ...


class TranslationRepository(Protocol):
    """Answers' translation state, and the durable cache of machine translations."""

    def mark_answer(
        self,
        conversation_id: uuid.UUID,
        question_id: str,
        *,
        status: str | None,
        detected_language: str | None,
        due_at: datetime | None,
    ) -> uuid.UUID | None:
        """Set a stored answer's translation state afresh; return its id (None if absent)."""
        ...

    def answer_for_update(self, answer_id: uuid.UUID) -> Answer | None:
        """Return an answer, locked until commit so only one worker claims it."""
        ...

    def due_answers(self, status: str, now: datetime, limit: int) -> list[uuid.UUID]:
        """Return the ids of answers in `status` whose next attempt is due, oldest first."""
        ...

    def cached(self, text: str, source: str, target: str, provider: str) -> str | None:
        """Return the stored translation of `text` by `provider`, if any."""
        ...

    def remember(
        self, text: str, source: str, target: str, provider: str, translated: str, now: datetime
    ) -> None:
        """Store a translation in the cache."""
        ...


class SurveyQueries(Protocol):
    """The read side of surveys, for reports: nothing read here is locked or changed."""

    def survey(self, survey_id: uuid.UUID, *, answers: bool = True) -> SurveyView | None:
        """Return a survey with its scheduled sends and (unless `answers` is false) answers."""
        ...


class OperationsQueries(Protocol):
    """The operators' read side: the background work still to do."""

    def backlog(self, now: datetime) -> Backlog:
        """Return the scheduled items due and overdue by kind, and translations waiting."""
        ...


class AdminQueries(Protocol):
    """The read side of the admin site: the audit log and the surveys running per version."""

    def audit_page(self, where: AuditFilter, page: int, per_page: int) -> AuditPage:
        """Return page `page` (from 1) of the entries `where` selects, newest first."""
        ...

    def audit_actions(self) -> list[str]:
        """Return every action the log holds."""
        ...

    def version_number(self, flow_id: str, digest: str) -> int | None:
        """Return the number a flow's version is known by, if recorded."""
        ...

    def running(self) -> list[RunningCount]:
        """Count the scheduled and active surveys per flow version."""
        ...


class ResponseQueries(Protocol):
    """The read side of exports: pages of conversations with their contacts and answers."""

    def page(
        self, after: ResponseKey | None, since: datetime | None, limit: int
    ) -> list[ResponseRow]:
        """Return up to `limit` conversations created at or after `since`, following `after`."""
        ...

    def question_ids(self, since: datetime | None) -> list[tuple[str, str, str]]:
        """Return (flow id, flow version, question id) for every question answered since `since`."""
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
    def flows(self) -> FlowRepository:
        """Return the flows' versions, drafts and routes of this block."""
        ...

    @property
    def translations(self) -> TranslationRepository:
        """Return the answers' translation state and cache of this block."""
        ...

    @property
    def cards(self) -> CardRepository:
        """Return the survey cards and residents' wrong codes of this block."""
        ...

    @property
    def audit(self) -> AuditRepository:
        """Return the audit log of this block."""
        ...

    @property
    def alerts(self) -> AlertRepository:
        """Return the alerts and their deliveries of this block."""
        ...

    @property
    def retention(self) -> RetentionRepository:
        """Return what retention erases, in locked batches, in this block."""
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


UnitOfWorkFactory = Callable[[], UnitOfWork]
