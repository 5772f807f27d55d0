"""The dependencies every use case needs, bundled once by bootstrap()."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.engine.conversation import Context
from bot.engine.model import Flow, Locale
from bot.ports import Clock, Sender, UnitOfWorkFactory


@dataclass(frozen=True)
class Runtime:
    """Concrete collaborators for the service layer, chosen by bootstrap()."""

    uow: UnitOfWorkFactory
    flows: Mapping[str, Flow]
    locales: Mapping[str, Locale]
    values: Mapping[str, str]
    senders: Mapping[str, Sender]
    clock: Clock
    default_language: str = "en"
    default_region: str = "US"
    # Releases what bootstrap() opened (the database pool); the runtime is unusable afterwards.
    close: Callable[[], None] = lambda: None

    @property
    def context(self) -> Context:
        """Return the engine context: every locale and the placeholder values."""
        return Context(locales=self.locales, values=self.values)

    def language_for(self, flow: Flow, wanted: str | None) -> str:
        """Pick the language to speak: the wanted one if the flow offers it, else a default."""
        for candidate in (wanted, self.default_language, flow.base_language):
            if candidate and candidate in flow.languages:
                return candidate
        return flow.base_language
