"""Residents' addresses encrypted at rest: respondents.address becomes address_hash + address_enc.

Every stored number and chat id is hashed (HMAC-SHA256, ADDRESS_HASH_KEY) and sealed (AES-GCM,
DATA_KEY), and Telegram's sent message ids lose the chat id they began with. The keys come
from the caller (storage.db.upgrade's cipher) or the environment; with rows to move and no
keys, the migration stops and says so. The downgrade opens every row again.

Revision ID: 0019_encrypted_addresses
Revises: 0018_results_indexes
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from storage.contact_cipher import ContactCipher, address_context, cipher_from_environ

revision: str = "0019_encrypted_addresses"
down_revision: str | None = "0018_results_indexes"
branch_labels = None
depends_on = None

_BATCH = 500
_TELEGRAM_ID = re.compile(r"(-?[0-9]+):([0-9]+)")
_respondents = sa.table(
    "respondents",
    sa.column("id", sa.Uuid()),
    sa.column("channel", sa.String()),
    sa.column("address", sa.String()),
    sa.column("address_hash", sa.String()),
    sa.column("address_enc", sa.String()),
)
_messages = sa.table(
    "messages",
    sa.column("id", sa.Uuid()),
    sa.column("channel", sa.String()),
    sa.column("direction", sa.String()),
    sa.column("respondent_id", sa.Uuid()),
    sa.column("provider_message_id", sa.String()),
)


def _cipher(direction: str) -> ContactCipher | None:
    """Return the cipher handed over by storage.db.upgrade, else one from the environment."""
    given = context.config.attributes.get("contact_cipher")
    if given is not None:
        return given  # type: ignore[no-any-return]
    try:
        return cipher_from_environ()
    except ValueError as exc:
        raise RuntimeError(f"cannot {direction} the residents' addresses: {exc}") from None


def _required(direction: str) -> ContactCipher:
    """Return the cipher, or stop: rows are waiting and no key was given."""
    cipher = _cipher(direction)
    if cipher is None:
        raise RuntimeError(
            f"cannot {direction} the residents' addresses: set DATA_KEY and ADDRESS_HASH_KEY"
            " (`python -m bot keys generate` prints a new key), then migrate again"
        )
    return cipher


def _pages(query: sa.Select[Any], key: sa.ColumnClause[Any]) -> Iterator[list[sa.Row[Any]]]:
    """Yield the rows of `query` (which selects `key`, an id, first) in pages, in its order."""
    bind = op.get_bind()
    last = None
    while True:
        page = query.order_by(key).limit(_BATCH)
        if last is not None:
            page = page.where(key > last)
        rows = bind.execute(page).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def upgrade() -> None:
    """Hash and seal every address; drop the plain-text column and its unique key."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("address_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("address_enc", sa.String(length=255), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(_respondents)).scalar():
        _seal_all(_required("encrypt"))
    with op.batch_alter_table("respondents") as batch:
        batch.drop_constraint("uq_respondents_channel_address", type_="unique")
        batch.drop_column("address")
        batch.alter_column("address_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("address_enc", existing_type=sa.String(length=255), nullable=False)
        batch.create_unique_constraint(
            "uq_respondents_channel_address_hash", ["channel", "address_hash"]
        )


def _seal_all(cipher: ContactCipher) -> None:
    """Write each respondent's hash and ciphertext; rename Telegram's sent message ids."""
    bind = op.get_bind()
    r = _respondents.c
    for rows in _pages(sa.select(r.id, r.channel, r.address), r.id):
        for row in rows:
            digest = cipher.digest(row.address)
            sealed = cipher.seal(row.address, address_context(row.channel, digest))
            bind.execute(
                _respondents.update()
                .where(r.id == row.id)
                .values(address_hash=digest, address_enc=sealed)
            )
    m = _messages.c
    sent = sa.select(m.id, m.provider_message_id).where(
        m.channel == "telegram", m.direction == "out", m.provider_message_id.is_not(None)
    )
    for rows in _pages(sent, m.id):
        for row in rows:
            found = _TELEGRAM_ID.fullmatch(row.provider_message_id)
            if found:
                tagged = f"{cipher.chat_tag(found[1])}:{found[2]}"
                bind.execute(
                    _messages.update().where(m.id == row.id).values(provider_message_id=tagged)
                )


def downgrade() -> None:
    """Open every address back into respondents.address (the keys are needed)."""
    with op.batch_alter_table("respondents") as batch:
        batch.add_column(sa.Column("address", sa.String(length=64), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.select(sa.func.count()).select_from(_respondents)).scalar():
        _open_all(_required("decrypt"))
    with op.batch_alter_table("respondents") as batch:
        batch.drop_constraint("uq_respondents_channel_address_hash", type_="unique")
        batch.drop_column("address_hash")
        batch.drop_column("address_enc")
        batch.alter_column("address", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_respondents_channel_address", ["channel", "address"])


def _open_all(cipher: ContactCipher) -> None:
    """Write each respondent's address back as text, and Telegram's ids with their chat ids."""
    bind = op.get_bind()
    r = _respondents.c
    for rows in _pages(sa.select(r.id, r.channel, r.address_hash, r.address_enc), r.id):
        for row in rows:
            context_ = address_context(row.channel, row.address_hash)
            address = cipher.open(row.address_enc, context_)
            bind.execute(_respondents.update().where(r.id == row.id).values(address=address))
    m = _messages.c
    sent = (
        sa.select(m.id, m.provider_message_id, r.address)
        .join_from(_messages, _respondents, m.respondent_id == r.id)
        .where(m.channel == "telegram", m.direction == "out", m.provider_message_id.is_not(None))
    )
    for rows in _pages(sent, m.id):
        for row in rows:
            tag, _, number = row.provider_message_id.partition(":")
            if tag == cipher.chat_tag(row.address):
                bind.execute(
                    _messages.update()
                    .where(m.id == row.id)
                    .values(provider_message_id=f"{row.address}:{number}")
                )
