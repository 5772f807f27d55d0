"""The dependencies every use case needs, bundled once by bootstrap()."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.engine.conversation import Context
from bot.engine.model import Flow, Locale, Prompt
from bot.i18n.choice import choose_language
from bot.ports import (
    AdminQueries,
    Buttons,
    Clock,
    Dispatcher,
    FlowStore,
    Keyboard,
    OperationsQueries,
    PublicQueries,
    Renderer,
    ResponseQueries,
    ResultsQueries,
    Sender,
    SurveyQueries,
    Translator,
    UnitOfWorkFactory,
    UnknownFlowVersionError,
)
from bot.scheduling.model import SendPolicy
from bot.scheduling.pacing import Pacing
from bot.services.alert_findings import Alerting
from bot.services.timezones import resident_timezones

if TYPE_CHECKING:
    from storage.models import Conversation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """Concrete collaborators for the service layer, chosen by bootstrap()."""

    uow: UnitOfWorkFactory
    # Every version of every flow: the live ones, and those running conversations began on.
    flow_store: FlowStore
    # The read side: surveys as reports show them, read apart from the unit of work.
    surveys: SurveyQueries
    # The admin site's read side: the audit log and the surveys running per flow version.
    admin: AdminQueries
    # The read side of exports: pages of conversations with their contacts and answers.
    responses: ResponseQueries
    # The results dashboard's read side: funnel, answers, breakdowns, comments.
    results: ResultsQueries
    locales: Mapping[str, Locale]
    values: Mapping[str, str]
    senders: Mapping[str, Sender]
    clock: Clock
    # How each channel shows the engine's prompts (SMS: texts with hints; Telegram: buttons).
    renderers: Mapping[str, Renderer] = field(default_factory=dict)
    # The answer buttons a channel shows under a question (none: answers are typed).
    keyboards: Mapping[str, Keyboard] = field(default_factory=dict)
    default_language: str = "en"
    default_region: str = "US"
    # The flow a survey starts when no flow is named and several are loaded (DEFAULT_FLOW).
    default_flow: str = "post_contact"
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
    # Survey cards: days a single-use card is valid, the key their codes are hashed with, and
    # the Telegram bot and WhatsApp number their links open (empty: no such link).
    card_days: int = 14
    card_key: bytes = b""
    telegram_bot: str = ""
    whatsapp_number: str = ""
    # Which answers raise alerts for supervisors, and how they hear of them (None: no alerts).
    alerting: Alerting | None = None
    # The read side of officer feedback and the public page (None: neither is served).
    public: PublicQueries | None = None
    # Days after a survey ends before retention erases its contact details (RETENTION_DAYS).
    retention_days: int = 30
    # The operators' read side: the backlog /metrics reports (None: not reported).
    operations: OperationsQueries | None = None
    # Messages a minute one resident may send before the rest go unanswered (0: no limit).
    inbound_per_minute: int = 20
    # How long a worker's claim on a scheduled item holds: older, the worker is taken for dead.
    claim_lease: timedelta = timedelta(minutes=10)
    # What /readyz checks, by name: each returns when its service answers and raises otherwise.
    probes: Mapping[str, Callable[[], None]] = field(default_factory=dict)
    # Whether an error means a backing service is briefly unreachable (the database is down
    # or restarting): a request failing so is answered 503, and its caller retries.
    unavailable: Callable[[BaseException], bool] = lambda exc: False
    # Releases what bootstrap() opened (the database pool); the runtime is unusable afterwards.
    close: Callable[[], None] = lambda: None

    @property
    def flows(self) -> Mapping[str, Flow]:
        """Return the live version of every offered flow: what new conversations begin on."""
        return self.flow_store.live_flows()

    def flow_of(self, conversation: Conversation) -> Flow | None:
        """Return the flow version a conversation began on; None once its flow is withdrawn."""
        flow_id = conversation.flow_id
        if flow_id not in self.flows:
            return None
        try:
            return self.flow_store.get(flow_id, conversation.flow_version)
        except UnknownFlowVersionError:
            # Begun before versions were kept, on files changed since: only the live one is left.
            log.warning(
                "conversation %s: flow %s version %s was never recorded; stepping the live one",
                conversation.id,
                flow_id,
                conversation.flow_version,
            )
            return self.flows[flow_id]

    @property
    def context(self) -> Context:
        """Return the engine context: every locale and the placeholder values."""
        return Context(locales=self.locales, values=self.values, by_language=self.by_language)

    def render(self, channel: str, prompts: Sequence[Prompt]) -> list[str]:
        """Render the engine's prompts as `channel` sends them."""
        renderer = self.renderers.get(channel)
        if renderer is None:
            raise LookupError(f"no renderer for channel {channel!r} (see bootstrap)")
        return list(renderer(prompts))

    def keyboard(self, channel: str, prompts: Sequence[Prompt]) -> Buttons | None:
        """Return the answer buttons `channel` shows under these prompts, if it has any."""
        keyboard = self.keyboards.get(channel)
        return keyboard(prompts) if keyboard is not None else None

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
