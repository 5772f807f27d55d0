"""Background work and outside services: the dispatcher, the clock, the translator."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Protocol


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

    def enqueue_alert(self, delivery_id: uuid.UUID) -> None:
        """Ask for an alert delivery to be sent now; the database already holds it."""
        ...


Clock = Callable[[], datetime]


class TranslationError(Exception):
    """A translation provider failed or timed out; the original text is kept."""


class Translator(Protocol):
    """Translate one text; `name` says which provider did it (stored beside the result)."""

    name: str

    def translate(self, text: str, source: str | None, target: str) -> str:
        """Return `text` in `target`; raise TranslationError when the provider fails."""
        ...
