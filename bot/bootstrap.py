"""The one place that names concrete adapters and wires them into a Runtime."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import metrics
from bot.channels.alerting import build_alerting
from bot.config.alert_rules import load_alert_words
from bot.config.privacy import contact_keys
from bot.config.settings import Settings
from bot.engine.locale import language_values
from bot.engine.model import Flow, Locale
from bot.engine.render import texts_of
from bot.errors import ConfigError
from bot.flows.files import FlowDefinition, load_flow_definitions
from bot.flows.locales import load_locales
from bot.flows.store import RecordedFlowStore, open_flow_store
from bot.i18n.alert_words import WordList
from bot.i18n.detect import LanguageDetector
from bot.i18n.translate import make_translator
from bot.logs import configure
from bot.ports import Clock, Keyboard, Renderer, Sender, Translator, UnitOfWork
from bot.scheduling.model import SendPolicy
from bot.services.addresses import Channel
from bot.services.runtime import Runtime
from bot.tasks.in_process import InProcessDispatcher
from bot.tasks.rq import RqDispatcher
from storage import queries
from storage.contact_cipher import ContactCipher
from storage.db import (
    is_transient,
    key_problem,
    make_engine,
    make_session_factory,
    ping,
    upgrade,
)
from storage.flow_versions import SqlAlchemyFlowVersions
from storage.observe import watch
from storage.scratch import scratch_engine
from storage.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from bot.channels.telegram import ChatTag, TelegramSender


def utc_now() -> datetime:
    """Return the current moment in UTC (the production clock)."""
    return datetime.now(UTC)


def configure_logging(settings: Settings) -> None:
    """Send Parley's logs to stderr in the configured format and level (bot/logs.py)."""
    configure(settings.log_level, settings.log_format)


def build_senders(settings: Settings, chat_tag: ChatTag) -> dict[str, Sender]:
    """Build a sender for every channel the settings configure."""
    senders: dict[str, Sender] = {}
    if settings.twilio_configured:
        from bot.channels.twilio_sms import TwilioSender

        senders[Channel.SMS] = TwilioSender.from_settings(settings)
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.whatsapp_from:
        from bot.channels.twilio_whatsapp import TwilioWhatsAppSender

        senders[Channel.WHATSAPP] = TwilioWhatsAppSender.from_settings(settings)
    if settings.telegram_bot_token:
        senders[Channel.TELEGRAM] = telegram_client(settings, chat_tag)
    return senders


def telegram_client(settings: Settings, chat_tag: ChatTag | None = None) -> TelegramSender:
    """Build the Telegram bot's client: the sender (chats named by `chat_tag`), the CLI's calls."""
    from bot.channels.telegram import TelegramSender

    return TelegramSender.from_settings(settings, chat_tag)


def build_renderers() -> dict[str, Renderer]:
    """Choose how each channel shows prompts: SMS, WhatsApp and the console as texts with hints,
    Telegram as texts whose questions' hints give way to buttons."""
    from bot.channels.telegram_buttons import telegram_texts

    return {
        Channel.SMS: texts_of,
        Channel.WHATSAPP: texts_of,
        Channel.TELEGRAM: telegram_texts,
        Channel.CONSOLE: texts_of,
    }


def build_keyboards() -> dict[str, Keyboard]:
    """Choose the channels that show answer buttons under questions: Telegram."""
    from bot.channels.telegram_buttons import keyboard

    return {Channel.TELEGRAM: keyboard}


def build_background(
    settings: Settings,
) -> tuple[Translator | None, InProcessDispatcher | RqDispatcher]:
    """Build the translator and the dispatcher: RQ when REDIS_URL is set, else threads.

    No translation provider: free-text answers are stored as "disabled". The dispatcher is
    always there: it sends scheduled surveys, reminders and retries.
    """
    translator = make_translator(settings)
    if settings.redis_url:
        return translator, RqDispatcher(settings.redis_url, settings.sweep_seconds)
    return translator, InProcessDispatcher(sweep_seconds=settings.sweep_seconds)


def _closer(
    engine: Engine, dispatcher: InProcessDispatcher | RqDispatcher | None
) -> Callable[[], None]:
    """Return what releases a runtime: background work first, then the database pool."""

    def close() -> None:
        """Stop background work, then close the database pool."""
        if dispatcher is not None:
            dispatcher.close()
        engine.dispose()

    return close


def check_languages(flows: Mapping[str, Flow], locales: Mapping[str, Locale]) -> None:
    """Refuse to start when a flow offers a language with no locale for system messages."""
    for flow in flows.values():
        missing = sorted(set(flow.languages) - set(locales))
        if missing:
            raise ConfigError(f"flow {flow.id!r} offers {missing} but locales/ has no such file")


@dataclass(frozen=True)
class Definitions:
    """What the flow and locale files say: each flow and its definition, locales, a detector."""

    loaded: Mapping[str, FlowDefinition]
    locales: Mapping[str, Locale]
    detector: LanguageDetector
    # Each language's alert words (locales/alert_words/<lang>.yaml).
    alert_words: Mapping[str, WordList] = field(default_factory=dict)

    @property
    def flows(self) -> dict[str, Flow]:
        """Return the parsed flows, by id."""
        return {flow_id: item.flow for flow_id, item in self.loaded.items()}


def load_definitions(settings: Settings) -> Definitions:
    """Read and check the flow and locale files once, and index their words for detection."""
    loaded = load_flow_definitions(settings.flows_dir)
    locales = load_locales(settings.locales_dir)
    flows = {flow_id: item.flow for flow_id, item in loaded.items()}
    check_languages(flows, locales)
    words = load_alert_words(settings.locales_dir / "alert_words")
    return Definitions(loaded, locales, LanguageDetector(locales, flows), words)


def _unit_of_work(session_factory: sessionmaker[Session], cipher: ContactCipher) -> UnitOfWork:
    """Open a unit of work on the database (typed as the port, so mypy checks the adapter)."""
    return SqlAlchemyUnitOfWork(session_factory, cipher, observe=metrics.record)


def open_database(settings: Settings, migrate: bool | None, cipher: ContactCipher) -> Engine:
    """Create the engine; bring the schema up to date when asked; refuse keys that don't fit."""
    engine = make_engine(settings.database_url)
    if settings.migrate_on_start if migrate is None else migrate:
        upgrade(engine, cipher)
    problem = key_problem(engine, cipher)
    engine.dispose()  # drop the start-up connections: a preloading server forks after this
    if problem:
        raise ConfigError(problem)
    return engine


def _storage(
    engine: Engine, definitions: Definitions, now: datetime, refresh: float, cipher: ContactCipher
) -> dict[str, Any]:
    """Return the runtime's database side: units of work, the read side, the flow versions."""
    session_factory = make_session_factory(engine)
    watch(session_factory)  # what commits change is counted (bot/metrics.py)
    # The flow files seed the database; the newest published version of each flow is live.
    store = open_flow_store(SqlAlchemyFlowVersions(engine), definitions.loaded, now, refresh)
    return {
        "uow": partial(_unit_of_work, session_factory, cipher),
        "surveys": queries.SqlAlchemySurveyQueries(session_factory),
        "admin": queries.SqlAlchemyAdminQueries(session_factory),
        "responses": queries.SqlAlchemyResponseQueries(session_factory),
        "public": queries.SqlAlchemyPublicQueries(session_factory),
        "results": queries.SqlAlchemyResultsQueries(session_factory),
        "operations": queries.SqlAlchemyOperationsQueries(session_factory),
        "flow_store": store,
        "unavailable": is_transient,
    }


def _channels(senders: Mapping[str, Sender]) -> dict[str, Any]:
    """Return how the runtime reaches residents: a sender, a renderer, buttons per channel."""
    renderers, keyboards = build_renderers(), build_keyboards()
    return {"senders": dict(senders), "renderers": renderers, "keyboards": keyboards}


def _from_settings(settings: Settings, locales: Mapping[str, Locale]) -> dict[str, Any]:
    """Return the runtime's fields that come straight from the settings."""
    return {
        "values": settings.placeholder_values,
        "by_language": language_values(locales, settings.agency_contacts, settings.contacts),
        "default_language": settings.default_language,
        "default_region": settings.default_region,
        "default_flow": settings.default_flow,
        "agency_language": settings.agency_language,
        "policy": settings.send_policy or SendPolicy(),
        "pacing": settings.pacing,
        "card_days": settings.card_days,
        "claim_lease": timedelta(seconds=settings.claim_lease_seconds),
        # Changing SECRET_KEY invalidates the cards handed out before (their hashes differ).
        "card_key": settings.secret_key.encode(),
        "telegram_bot": settings.telegram_bot_username,
        "whatsapp_number": settings.whatsapp_number,
        "retention_days": settings.retention_days,
        "inbound_per_minute": settings.inbound_per_minute,
    }


def bootstrap(
    settings: Settings | None = None,
    *,
    migrate: bool | None = None,
    clock: Clock = utc_now,
    senders: Mapping[str, Sender] | None = None,
    definitions: Definitions | None = None,
) -> Runtime:
    """Wire the runtime: database, flows (`definitions` unless given), senders, translator."""
    settings = settings or Settings.from_env()
    cipher = ContactCipher(*contact_keys(settings))
    translator, dispatcher = build_background(settings)
    engine = open_database(settings, migrate, cipher)
    definitions = definitions or load_definitions(settings)
    locales = dict(definitions.locales)
    rt = Runtime(
        locales=locales,
        clock=clock,
        translator=translator,
        dispatcher=dispatcher,
        detect=definitions.detector.detect,
        close=_closer(engine, dispatcher),
        probes={"database": partial(ping, engine), **dispatcher.probes()},
        alerting=build_alerting(settings, definitions.alert_words),
        **_storage(engine, definitions, clock(), settings.flow_refresh_seconds, cipher),
        **_channels(build_senders(settings, cipher.chat_tag) if senders is None else senders),
        **_from_settings(settings, locales),
    )
    dispatcher.bind(rt)
    return rt


@contextmanager
def sandbox(rt: Runtime, flows: Mapping[str, Flow]) -> Iterator[Runtime]:
    """Yield `rt` on a throwaway in-memory database offering `flows`, with nothing to send by.

    What runs in it (a survey's preview) reaches no resident, no provider, no translator and
    not the agency's database: it has no sender, dispatcher or translator until its user adds
    one, and its database is gone when the block ends.
    """
    engine = scratch_engine()
    session_factory = make_session_factory(engine)
    scratch = replace(
        rt,
        uow=partial(_unit_of_work, session_factory, ContactCipher.throwaway()),
        surveys=queries.SqlAlchemySurveyQueries(session_factory),
        flow_store=RecordedFlowStore(flows, SqlAlchemyFlowVersions(engine)),
        senders={},
        dispatcher=None,
        translator=None,
        alerting=None,
        close=engine.dispose,
    )
    try:
        yield scratch
    finally:
        engine.dispose()
