"""The dependencies every use case needs, bundled once by bootstrap()."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.engine.conversation import Context
from bot.engine.model import Flow, Locale
from bot.i18n.choice import choose_language
from bot.ports import Clock, Dispatcher, Sender, SurveyQueries, Translator, UnitOfWorkFactory
from bot.scheduling.model import SendPolicy
from bot.scheduling.pacing import Pacing
from bot.scheduling.timezones import resident_timezones


@dataclass(frozen=True)
class Runtime:
    """Concrete collaborators for the service layer, chosen by bootstrap()."""

    uow: UnitOfWorkFactory
    # The read side: surveys as reports show them, read apart from the unit of work.
    surveys: SurveyQueries
    flows: Mapping[str, Flow]
    locales: Mapping[str, Locale]
    values: Mapping[str, str]
    senders: Mapping[str, Sender]
    clock: Clock
    default_language: str = "en"
    default_region: str = "US"
    # Free-text answers are translated into agency_language; no translator = disabled.
    translator: Translator | None = None
    dispatcher: Dispatcher | None = None
    agency_language: str = "en"
    # Reads the language a reply is written in (None: no reliable signal); None = never switch.
    detect: Callable[[str, str | None], str | None] | None = None
    # When a survey may be sent: delay, quiet hours, frequency cap, exclusions, reminders.
    policy: SendPolicy = field(default_factory=SendPolicy)
    # How fast each sending number may send.
    pacing: Pacing = field(default_factory=Pacing)
    # Each language's own placeholder values laid over `values` ({help} worded in Spanish).
    by_language: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Releases what bootstrap() opened (the database pool); the runtime is unusable afterwards.
    close: Callable[[], None] = lambda: None

    @property
    def context(self) -> Context:
        """Return the engine context: every locale and the placeholder values."""
        return Context(locales=self.locales, values=self.values, by_language=self.by_language)

    def resident_zones(self, address: str) -> tuple[ZoneInfo, ...]:
        """Return the zones a resident's quiet hours are read in: their number's, and ours."""
        return resident_timezones(address, self.policy.default_zone)

    def language_for(
        self, flow: Flow, wanted: str | None, remembered: str | None = None, address: str = ""
    ) -> str:
        """Pick the language to speak: the hint, the remembered one, the number's, a default."""
        return choose_language(
            flow.languages,
            hint=wanted,
            remembered=remembered,
            address=address,
            home_region=self.default_region,
            default=self.default_language,
        )
