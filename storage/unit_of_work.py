"""A unit of work: one Session, one transaction, rolled back unless committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from storage.contact_cipher import ContactCipher
from storage.observe import Change, drop, take
from storage.repositories import (
    SqlAlchemyAccountRepository,
    SqlAlchemyAlertRepository,
    SqlAlchemyAuditRepository,
    SqlAlchemyCardRepository,
    SqlAlchemyContactRepository,
    SqlAlchemyConversationRepository,
    SqlAlchemyFlowRepository,
    SqlAlchemyMessageRepository,
    SqlAlchemyRespondentRepository,
    SqlAlchemyRetentionRepository,
    SqlAlchemyScheduleRepository,
    SqlAlchemyTokenRepository,
    SqlAlchemyTranslationRepository,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Repositories:
    """Every repository of one open block, all bound to its Session."""

    respondents: SqlAlchemyRespondentRepository
    conversations: SqlAlchemyConversationRepository
    contacts: SqlAlchemyContactRepository
    messages: SqlAlchemyMessageRepository
    schedule: SqlAlchemyScheduleRepository
    tokens: SqlAlchemyTokenRepository
    accounts: SqlAlchemyAccountRepository
    translations: SqlAlchemyTranslationRepository
    cards: SqlAlchemyCardRepository
    audit: SqlAlchemyAuditRepository
    alerts: SqlAlchemyAlertRepository
    flows: SqlAlchemyFlowRepository
    retention: SqlAlchemyRetentionRepository

    @classmethod
    def on(cls, session: Session, cipher: ContactCipher) -> _Repositories:
        """Bind one repository per aggregate to `session` (respondents' addresses to `cipher`)."""
        return cls(
            respondents=SqlAlchemyRespondentRepository(session, cipher),
            conversations=SqlAlchemyConversationRepository(session),
            contacts=SqlAlchemyContactRepository(session),
            messages=SqlAlchemyMessageRepository(session),
            schedule=SqlAlchemyScheduleRepository(session),
            tokens=SqlAlchemyTokenRepository(session),
            accounts=SqlAlchemyAccountRepository(session),
            translations=SqlAlchemyTranslationRepository(session),
            cards=SqlAlchemyCardRepository(session),
            audit=SqlAlchemyAuditRepository(session),
            alerts=SqlAlchemyAlertRepository(session),
            flows=SqlAlchemyFlowRepository(session),
            retention=SqlAlchemyRetentionRepository(session, cipher),
        )


class SqlAlchemyUnitOfWork:
    """Open a Session per `with` block; commit explicitly, roll back otherwise."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        cipher: ContactCipher,
        observe: Callable[[list[Change]], None] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._cipher = cipher
        # Told what each commit changed that operators count (storage/observe.py).
        self._observe = observe
        self._session: Session | None = None
        self._repositories: _Repositories | None = None
        self._after_commit: list[Callable[[], None]] = []

    @property
    def respondents(self) -> SqlAlchemyRespondentRepository:
        """Return the respondents of the open block."""
        return self._open().respondents

    @property
    def conversations(self) -> SqlAlchemyConversationRepository:
        """Return the conversations (and their answers) of the open block."""
        return self._open().conversations

    @property
    def contacts(self) -> SqlAlchemyContactRepository:
        """Return the police contacts of the open block."""
        return self._open().contacts

    @property
    def messages(self) -> SqlAlchemyMessageRepository:
        """Return the messages in and out of the open block."""
        return self._open().messages

    @property
    def schedule(self) -> SqlAlchemyScheduleRepository:
        """Return the scheduled items and pacing slots of the open block."""
        return self._open().schedule

    @property
    def tokens(self) -> SqlAlchemyTokenRepository:
        """Return the API tokens of the open block."""
        return self._open().tokens

    @property
    def accounts(self) -> SqlAlchemyAccountRepository:
        """Return the staff accounts of the open block."""
        return self._open().accounts

    @property
    def translations(self) -> SqlAlchemyTranslationRepository:
        """Return the answers' translation state and cache of the open block."""
        return self._open().translations

    @property
    def cards(self) -> SqlAlchemyCardRepository:
        """Return the survey cards and residents' wrong codes of the open block."""
        return self._open().cards

    @property
    def audit(self) -> SqlAlchemyAuditRepository:
        """Return the audit log of the open block (entries are only added)."""
        return self._open().audit

    @property
    def alerts(self) -> SqlAlchemyAlertRepository:
        """Return the alerts and their deliveries of the open block."""
        return self._open().alerts

    @property
    def flows(self) -> SqlAlchemyFlowRepository:
        """Return the flows' versions, drafts and routes of the open block."""
        return self._open().flows

    @property
    def retention(self) -> SqlAlchemyRetentionRepository:
        """Return what retention erases, in locked batches, in the open block."""
        return self._open().retention

    def __enter__(self) -> Self:
        """Open a fresh Session and its repositories."""
        if self._session is not None:
            raise RuntimeError("unit of work is already open")
        self._session = self._session_factory()
        self._repositories = _Repositories.on(self._session, self._cipher)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed and close the Session."""
        session, self._session, self._repositories = self._session, None, None
        self._after_commit.clear()
        if session is not None:
            # close() rolls back the open transaction like rollback() would, but without
            # expiring loaded objects: what was read inside stays readable (detached) after.
            session.close()

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once this block's next commit succeeds; drop it on rollback or exit.

        Background work (a translation) must only be handed over once the rows it reads are
        committed, or a fast worker would find nothing to do.
        """
        self._open_session()
        self._after_commit.append(action)

    def commit(self) -> None:
        """Commit the work done so far in this block, then run the after-commit actions."""
        session = self._open_session()
        session.commit()
        changes = take(session)
        if self._observe is not None and changes:
            try:
                self._observe(changes)
            except Exception as exc:  # counting the work must never fail the work, once done
                logger.warning("could not count a commit's changes (%s)", type(exc).__name__)
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def rollback(self) -> None:
        """Discard the work done since the last commit, and its after-commit actions."""
        session = self._open_session()
        session.rollback()
        drop(session)
        self._after_commit.clear()

    def _open(self) -> _Repositories:
        """Return the open block's repositories, or fail outside a `with` block."""
        if self._repositories is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._repositories

    def _open_session(self) -> Session:
        """Return the open Session, or fail outside a `with` block."""
        if self._session is None:
            raise RuntimeError("unit of work is not open: use it in a `with` block")
        return self._session
