"""What a unit of work changed that operators count: messages, conversation outcomes, retries.

Flushes happen mid-transaction (autoflush before a query), after which an attribute's history
is gone; so every flush notes its changes in the Session's `info`, and the unit of work hands
them on only when the transaction commits (a rollback drops them). Rows a repository
writes with a Core statement (messages are inserted so) are noted by it with `note`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Conversation, Message, ScheduledItem

# ("message", channel, direction, status), ("conversation", status) or ("retry", kind).
Change = tuple[str, ...]
_KEY = "parley.changes"


def watch(session_factory: sessionmaker[Session]) -> None:
    """Note the counted changes of every flush of this factory's Sessions."""
    event.listen(session_factory, "after_flush", _noted)


def note(session: Session, change: Change) -> None:
    """Note a change made by a statement flushes do not see (a Core INSERT)."""
    session.info.setdefault(_KEY, []).append(change)


def take(session: Session) -> list[Change]:
    """Return and forget the changes the Session's flushes noted."""
    changes: list[Change] = session.info.pop(_KEY, [])
    return changes


def drop(session: Session) -> None:
    """Forget the noted changes (the transaction was rolled back)."""
    session.info.pop(_KEY, None)


def _noted(session: Session, _context: Any) -> None:
    """Note the flush's new messages, status changes and retried items."""
    found = [*_changes(session.new, new=True), *_changes(session.dirty, new=False)]
    if found:
        session.info.setdefault(_KEY, []).extend(found)


def _changes(rows: Iterable[object], *, new: bool) -> Iterable[Change]:
    """Yield the counted change each row made, if any."""
    for row in rows:
        if isinstance(row, Message) and (new or _changed(row, "status")):
            yield ("message", row.channel, row.direction, row.status)
        elif isinstance(row, Conversation) and (new or _changed(row, "status")):
            yield ("conversation", row.status)
        elif isinstance(row, ScheduledItem) and not new and _retried(row):
            yield ("retry", row.kind)


def _retried(row: ScheduledItem) -> bool:
    """Say whether the flush counts a second (or later) attempt of a scheduled item."""
    return _changed(row, "attempts") and (row.attempts or 0) > 1


def _changed(row: object, name: str) -> bool:
    """Say whether the flush writes a new value of the attribute."""
    return bool(inspect(row).attrs[name].history.added)
