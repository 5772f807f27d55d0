"""Check every flow language for admins: is it complete, and what does each message cost by SMS.

`python -m bot flows check` prints this report (bot/flows/report.py). A language is `ok`,
a `draft` (machine-translated, awaiting review, not offered), or `incomplete` (texts missing,
placeholders that differ from the base language, or no locale file for its system messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bot.engine.conversation import Context, begin, question
from bot.engine.flowdef import flow_problems
from bot.engine.locale import language_values
from bot.engine.model import ConversationState, Flow, Locale, Node
from bot.engine.render import text_of, texts_of
from bot.engine.text import render
from bot.errors import DefinitionFileError
from bot.flows.files import load_flows, preview_flow
from bot.flows.locales import load_locales
from bot.flows.sources import FlowSource, read_flow_sources
from bot.flows.translations import MISSING, Gap, translation_gaps, translation_view
from bot.i18n.sms import is_gsm7, segments

GSM7, UCS2, MIXED = "GSM-7", "UCS-2", "mixed"
OK, DRAFT, INCOMPLETE = "ok", "draft", "incomplete"
INLINE = "inline"
# Hints only ever travel inside a question, where the flow report already counts them.
_HINT_PREFIX = "hint_"
FIRST_TEXT, FIRST_TEXT_JOIN = "first text", "\n\n"


@dataclass(frozen=True)
class MessageCost:
    """One text as a resident receives it, and what it costs: its encoding and SMS segments."""

    name: str
    text: str
    encoding: str
    segments: int


def message_cost(name: str, text: str) -> MessageCost:
    """Measure one text: GSM-7 when every character fits that alphabet, else UCS-2."""
    return MessageCost(name, text, GSM7 if is_gsm7(text) else UCS2, segments(text))


@dataclass(frozen=True)
class Costs:
    """Messages with their costs, summed up."""

    messages: tuple[MessageCost, ...]

    @property
    def max_segments(self) -> int:
        """Return the segments of the longest message."""
        return max((message.segments for message in self.messages), default=0)

    @property
    def total_segments(self) -> int:
        """Return the segments of all the messages together."""
        return sum(message.segments for message in self.messages)

    @property
    def encoding(self) -> str:
        """Return the one encoding every message travels in, or "mixed"."""
        encodings = {message.encoding for message in self.messages}
        return encodings.pop() if len(encodings) == 1 else MIXED

    def as_json(self) -> dict[str, Any]:
        """Return the costs as plain data for --json."""
        return {
            "encoding": self.encoding,
            "max_segments": self.max_segments,
            "total_segments": self.total_segments,
            "messages": [vars(message) for message in self.messages],
        }


@dataclass(frozen=True)
class LanguageReport:
    """One language of one flow: where its texts are, its status, its gaps, its costs."""

    language: str
    source: str
    status: str
    costs: Costs
    missing: tuple[str, ...] = ()
    mismatches: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # The opening messages and the first question, sent together as the survey's first text.
    first_text: MessageCost | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain data for --json."""
        head = {key: getattr(self, key) for key in ("language", "source", "status")}
        lists = {key: list(getattr(self, key)) for key in ("missing", "mismatches", "notes")}
        first = vars(self.first_text) if self.first_text is not None else None
        return {**head, **lists, **self.costs.as_json(), "first_text": first}


@dataclass(frozen=True)
class FlowReport:
    """Every language of one flow, inline ones first."""

    id: str
    version: str
    languages: tuple[LanguageReport, ...]


@dataclass(frozen=True)
class LocaleReport:
    """The system messages of one locale and their costs."""

    code: str
    name: str
    costs: Costs


@dataclass(frozen=True)
class CheckReport:
    """The whole check: flows, locales, and the errors that stop Parley from starting."""

    flows: tuple[FlowReport, ...] = ()
    locales: tuple[LocaleReport, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def failing(self) -> tuple[tuple[str, str], ...]:
        """Return (flow, language) for every offered language that is incomplete."""
        return tuple(
            (flow.id, language.language)
            for flow in self.flows
            for language in flow.languages
            if language.status == INCOMPLETE
        )

    @property
    def ok(self) -> bool:
        """Say whether every flow loads and every offered language is complete."""
        return not self.errors and not self.failing

    def as_json(self) -> dict[str, Any]:
        """Return the whole report as plain data for --json."""
        return {
            "ok": self.ok,
            "errors": list(self.errors),
            "flows": [
                {"id": f.id, "version": f.version, "languages": [r.as_json() for r in f.languages]}
                for f in self.flows
            ],
            "locales": [
                {"code": loc.code, "name": loc.name, **loc.costs.as_json()} for loc in self.locales
            ],
        }


class CheckedSettings(Protocol):
    """Where the definitions are and the agency's values (Settings has them)."""

    @property
    def flows_dir(self) -> Path:
        """The directory of flow files."""

    @property
    def locales_dir(self) -> Path:
        """The directory of locale files."""

    @property
    def placeholder_values(self) -> dict[str, str]:
        """The agency's {placeholder} values."""

    @property
    def agency_contacts(self) -> dict[str, str]:
        """The agency's help and complaints contacts."""

    @property
    def contacts(self) -> Mapping[str, Mapping[str, str]]:
        """Each language's own contacts."""


def check_flows(settings: CheckedSettings) -> CheckReport:
    """Check every flow, translation and locale file the settings point at."""
    try:
        locales = load_locales(settings.locales_dir)
        sources = read_flow_sources(settings.flows_dir)
    except (DefinitionFileError, NotADirectoryError) as exc:
        return CheckReport(errors=(str(exc),))
    by_language = language_values(locales, settings.agency_contacts, settings.contacts)
    ctx = Context(locales, settings.placeholder_values, by_language)
    # A flow broken in itself has no languages worth measuring; its error says why.
    sound = [source for source in sources.values() if not flow_problems(source.data)]
    previews = {source.id: preview_flow(source) for source in sound}
    flows = tuple(_flow_report(source, previews[source.id], ctx) for source in sound)
    offered = [
        (previews[flow.id], {lang.language for lang in flow.languages if lang.status != DRAFT})
        for flow in flows
    ]
    return CheckReport(flows, _locale_reports(locales, offered, ctx), _errors(settings))


def _errors(settings: CheckedSettings) -> tuple[str, ...]:
    """Load the flows as Parley does at start-up and return the error that stops it, if any."""
    try:
        load_flows(settings.flows_dir)
    except DefinitionFileError as exc:
        return (str(exc),)
    return ()


def _flow_report(source: FlowSource, flow: Flow, ctx: Context) -> FlowReport:
    """Report every language of one flow: inline ones, then each translation file."""
    reports = [
        _language_report(flow, language, INLINE, False, _inline_gaps(source, language), ctx)
        for language in source.data["languages"]
    ]
    for translation in source.translations:
        gaps = translation_gaps(source.data, translation.data)
        name, machine = translation.path.name, translation.machine
        reports.append(_language_report(flow, translation.language, name, machine, gaps, ctx))
    return FlowReport(flow.id, flow.version, tuple(reports))


def _inline_gaps(source: FlowSource, language: str) -> list[Gap]:
    """List what a language given inline in the flow file lacks."""
    return translation_gaps(source.data, translation_view(source.data, language))


def _language_report(
    flow: Flow, language: str, source: str, machine: bool, gaps: list[Gap], ctx: Context
) -> LanguageReport:
    """Build one language's report: status from its gaps, costs from what would be sent."""
    missing = tuple(dict.fromkeys(gap.node for gap in gaps if gap.kind == MISSING))
    mismatches = tuple(gap.reason for gap in gaps if gap.kind != MISSING)
    notes = () if language in ctx.locales else (f"no locale file {language}.yaml",)
    status = DRAFT if machine else INCOMPLETE if gaps or notes else OK
    if machine:
        notes = ("machine draft: not offered to residents until reviewed", *notes)
    costs = Costs(tuple(_measure(flow, flow.nodes.values(), language, set(missing), ctx)))
    first = first_text(flow, language, ctx)
    return LanguageReport(language, source, status, costs, missing, mismatches, notes, first)


def first_text(flow: Flow, language: str, ctx: Context) -> MessageCost | None:
    """Measure the survey's first text: the opening messages and first question, as sent."""
    # The first send joins the walk's replies into one body (bot/services/scheduled_items.py).
    body = FIRST_TEXT_JOIN.join(texts_of(begin(flow, language, ctx).prompts))
    return message_cost(FIRST_TEXT, body) if body else None


def _measure(
    flow: Flow, nodes: Iterable[Node], language: str, skip: set[str], ctx: Context
) -> Iterable[MessageCost]:
    """Measure each node's message as the engine sends it, questions with their hints."""
    for node in nodes:
        if node.id in skip:
            continue  # it would go out in the base language: nothing to measure
        if node.waits:
            asked = question(flow, ConversationState(node.id, language), ctx)
            text = text_of(asked) if asked is not None else ""
        else:
            text = render(node.text.get(language, ""), ctx.values_for(language))
        if text:
            yield message_cost(node.id, text)


def _locale_reports(
    locales: Mapping[str, Locale], offered: Sequence[tuple[Flow, set[str]]], ctx: Context
) -> tuple[LocaleReport, ...]:
    """Measure every locale's system messages, filled in as the services fill them."""
    reports = []
    for code, locale in locales.items():
        values = {**ctx.values_for(code), "keyword": _keyword(offered, code)}
        messages = tuple(
            message_cost(key, render(text, values))
            for key, text in locale.messages.items()
            if not key.startswith(_HINT_PREFIX)
        )
        reports.append(LocaleReport(code, locale.name, Costs(messages)))
    return tuple(reports)


def _keyword(offered: Sequence[tuple[Flow, set[str]]], language: str) -> str:
    """Return the start keyword the `unknown` message suggests in a language (as inbound does)."""
    for flow, languages in offered:
        words = flow.keywords.get(language) if language in languages else None
        words = words or flow.keywords.get(flow.base_language)
        if words:
            return words[0].upper()
    return "HELP"
