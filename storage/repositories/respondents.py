"""Respondents: found by keyed hash or created race-safely, and locked while a turn runs.

Addresses are looked up by their keyed hash (one HMAC per request, then the unique index on
(channel, address_hash)) and stored sealed; the plaintext is revealed on the row in memory:
the address asked for, or the ciphertext opened when a row is read by id (to send to it).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.contact_cipher import ContactCipher, address_context
from storage.models import Conversation, Message, Respondent, ScheduledItem
from storage.repositories.erasure import erase_records
from storage.repositories.statements import dialect_of, statements


class SqlAlchemyRespondentRepository:
    """Find, create and lock respondents."""

    def __init__(self, session: Session, cipher: ContactCipher) -> None:
        self._session = session
        self._cipher = cipher

    def for_update(self, channel: str, address: str, now: datetime) -> Respondent:
        """Get or create the respondent at an address and lock its row until commit."""
        return self.with_open_conversation(channel, address, now)[0]

    def with_open_conversation(
        self, channel: str, address: str, now: datetime
    ) -> tuple[Respondent, Conversation | None]:
        """Get or create the respondent, lock its row, then read its open conversation.

        The lock serialises turns of one resident on PostgreSQL (SQLite's BEGIN IMMEDIATE
        already serialises all writers). The conversation is read in a second statement, after
        the lock is held: joined into the locking query, PostgreSQL would return the row as it
        was before the lock wait, and two simultaneous replies would lose one update. Creation
        is race-safe: the insert runs in a SAVEPOINT, and a concurrent insert of the same
        address makes it fail and re-read the winner's row.
        """
        prepared = statements(dialect_of(self._session))
        digest = self._cipher.digest(address)
        params = {"channel": channel, "address_hash": digest}
        respondent = self._session.scalars(prepared.respondent_for_update, params).first()
        if respondent is None:
            try:
                with self._session.begin_nested():
                    self._session.add(self._new(channel, address, digest, now))
            except IntegrityError:
                pass  # Another transaction created it first; the row is committed now.
            respondent = self._session.scalars(prepared.respondent_for_update, params).one()
        self._reveal(respondent, address)
        open_conversation: Conversation | None = self._session.scalars(
            prepared.open_conversation, {"respondent_id": respondent.id}
        ).first()
        return respondent, open_conversation

    def _reveal(self, respondent: Respondent, address: str) -> None:
        """Reveal the address on a locked row, sealing it again if retention kept only the hash.

        The resident is back: a reply or a survey needs the address (a Telegram chat is
        reached only by its id), and retention drops it again once they fall silent.
        """
        if not respondent.address_enc:
            context = address_context(respondent.channel, respondent.address_hash)
            respondent.address_enc = self._cipher.seal(address, context)
        respondent.reveal(address)

    def lock_for_item(self, item_id: uuid.UUID) -> None:
        """Lock the row of the resident a scheduled item is for (if any) until commit.

        A worker takes it before the item's own row: the order an inbound turn takes its locks
        in (the resident, then the conversation and its items), so a send being recorded and a
        reply of the same resident never wait on each other in a cycle (a deadlock, which
        PostgreSQL breaks by failing one of them: the webhook, answering 500).
        """
        owner = (
            select(func.coalesce(Conversation.respondent_id, Message.respondent_id))
            .select_from(ScheduledItem)
            .outerjoin(Conversation, Conversation.id == ScheduledItem.conversation_id)
            .outerjoin(Message, Message.id == ScheduledItem.message_id)
            .where(ScheduledItem.id == item_id)
            .scalar_subquery()
        )
        # Core columns only: no row enters the session unlocked, to be read stale later.
        self._session.execute(select(Respondent.id).where(Respondent.id == owner).with_for_update())

    def find(self, channel: str, address: str) -> Respondent | None:
        """Return the respondent at an address, if any, without locking."""
        query = select(Respondent).where(
            Respondent.channel == channel, Respondent.address_hash == self._cipher.digest(address)
        )
        found = self._session.scalars(query).one_or_none()
        if found is not None:
            found.reveal(address)
        return found

    def get(self, respondent_id: uuid.UUID) -> Respondent | None:
        """Return the respondent with this id, if any, its address decrypted (fails closed).

        A row retention left hash-only (or an anonymous one) is returned with no address:
        reading `address` then raises, naming no contact detail.
        """
        found = self._session.get(Respondent, respondent_id)
        if found is not None and "_address" not in found.__dict__ and found.address_enc:
            context = address_context(found.channel, found.address_hash)
            found.reveal(self._cipher.open(found.address_enc, context))
        return found

    def erase(self, respondent_id: uuid.UUID, keep_message_id: uuid.UUID | None) -> dict[str, int]:
        """Delete everything held about a resident but their row; return how many, by table."""
        return erase_records(self._session, respondent_id, keep_message_id)

    def _new(self, channel: str, address: str, digest: str, now: datetime) -> Respondent:
        """Build a respondent row holding only the address's hash and ciphertext."""
        sealed = self._cipher.seal(address, address_context(channel, digest))
        row = Respondent(channel=channel, address_hash=digest, address_enc=sealed, created_at=now)
        row.reveal(address)
        return row

    def reseal_batch(
        self, after: uuid.UUID | None, limit: int
    ) -> tuple[uuid.UUID | None, int, int]:
        """Re-encrypt the next `limit` rows after `after` (id order) with the current key.

        The rows are locked until commit, so a turn or a send meanwhile waits for them; rows
        already under the current key are left alone, so a rerun resumes where one stopped.
        Returns the last id read (None past the end), the rows read and the rows re-encrypted.
        """
        columns = (Respondent.id, Respondent.channel, Respondent.address_hash)
        query = select(*columns, Respondent.address_enc).order_by(Respondent.id).limit(limit)
        # Rows retention left hash-only (or anonymous) hold no ciphertext to move.
        query = query.where(Respondent.address_enc != "")
        if after is not None:
            query = query.where(Respondent.id > after)
        rows = self._session.execute(query.with_for_update()).all()
        changed = []
        for row in rows:
            if not self._cipher.is_current(row.address_enc):
                context = address_context(row.channel, row.address_hash)
                plain = self._cipher.open(row.address_enc, context)
                changed.append({"row_id": row.id, "sealed": self._cipher.seal(plain, context)})
        if changed:
            self._session.execute(_RESEAL, changed)
        return (rows[-1].id if rows else None), len(rows), len(changed)

    def count_by_key(self) -> dict[str, int]:
        """Count the respondents sealed with each data key, by key id."""
        key = func.substr(Respondent.address_enc, 1, 8)
        sealed = select(key, func.count()).where(Respondent.address_enc != "")
        counted = self._session.execute(sealed.group_by(key)).all()
        return {str(kid): int(total) for kid, total in counted}


_RESEAL = (
    update(Respondent.__table__)  # type: ignore[arg-type]
    .where(Respondent.__table__.c.id == bindparam("row_id"))
    .values(address_enc=bindparam("sealed"))
)
