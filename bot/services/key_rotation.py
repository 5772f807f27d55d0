"""Key rotation: residents' contact details re-encrypted with the current key, batch by batch.

Each batch is one transaction over at most `batch_size` rows, read in id order after the last
batch's last id (keyset pagination), so a run is safe during traffic (a turn waits at most for
one batch's rows), resumable (rows already under the current key are skipped) and idempotent.
Old keys stay readable throughout: DATA_KEY lists the new key first, the old ones after it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from bot.ports import UnitOfWorkFactory

BATCH_SIZE = 500


@dataclass(frozen=True)
class RotationProgress:
    """How far a rotation has gone: batches done, rows read and rows re-encrypted so far."""

    batches: int
    read: int
    resealed: int


def rotate_keys(uow: UnitOfWorkFactory, batch_size: int = BATCH_SIZE) -> Iterator[RotationProgress]:
    """Re-encrypt every respondent's address under the current key; yield after each batch."""
    after: uuid.UUID | None = None
    progress = RotationProgress(0, 0, 0)
    while True:
        with uow() as work:
            last, read, resealed = work.respondents.reseal_batch(after, batch_size)
            work.commit()
        if last is None:
            return
        progress = RotationProgress(
            progress.batches + 1, progress.read + read, progress.resealed + resealed
        )
        yield progress
        after = last


def rows_per_key(uow: UnitOfWorkFactory) -> dict[str, int]:
    """Count the respondents sealed under each data key, by key id."""
    with uow() as work:
        return work.respondents.count_by_key()
