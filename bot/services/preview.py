"""Preview a survey: what a resident would receive, from the same code residents meet.

A preview replays the resident's replies from the start, every time, in a sandbox: a copy of
the runtime on a throwaway in-memory database (bootstrap.sandbox) whose only sender is an
Outbox that keeps what it is handed. The survey starts as the agency starts one
(start_survey); an SMS is answered as the Twilio webhook answers it (handle_inbound), a
Telegram message as the chat channel answers it (answer_in_chat, with check_press for a
button). Keywords, re-prompts, language switches and the texts themselves are therefore
exactly a resident's, with no second copy of that logic to drift; nothing is sent, and the
agency's database is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.engine.model import Flow
from bot.i18n.controls import clean_text
from bot.i18n.sms import is_gsm7, segments
from bot.ports import ButtonPress, Buttons, InboundMessage
from bot.services.addresses import RESIDENT_STARTS, Channel
from bot.services.chat_buttons import check_press
from bot.services.chat_replies import answer_in_chat
from bot.services.inbound.handle import handle_inbound
from bot.services.runtime import Runtime
from bot.services.scheduled_items import run_due_items
from bot.services.surveys import SurveyRequest, start_survey

# Opens a copy of a runtime on a throwaway database offering the given flows (bootstrap.sandbox).
Sandbox = Callable[[Runtime, Mapping[str, Flow]], AbstractContextManager[Runtime]]
# How a channel's adapter reads typed text: the text to handle, a keyword kind, a card's code
# (Telegram's /stop is the STOP keyword, /start <code> a card's code).
Reader = Callable[[str], tuple[str, str | None, str | None]]

CHANNELS = (Channel.SMS, Channel.TELEGRAM)
# A preview replays every reply each time: a cap keeps a page's work (and form) bounded.
MAX_REPLIES = 40
# The longest SMS body Twilio delivers (the webhook refuses longer).
MAX_REPLY_CHARS = 1600
# Made-up addresses: 555-0100 to 0199 are reserved for fiction; Telegram's ids are numbers.
ADDRESSES = {Channel.SMS: "+15555550100", Channel.TELEGRAM: "100000001"}
# Residents take a moment to answer: each reply arrives this long after the one before.
REPLY_GAP = timedelta(minutes=1)


class PreviewError(ValueError):
    """A preview that cannot be run as asked; the message says why (shown with a 400)."""


@dataclass(frozen=True)
class Said:
    """One thing the resident did: typed `text`, or pressed the button whose data is `text`."""

    text: str
    pressed: bool = False


@dataclass(frozen=True)
class Script:
    """What to preview: the channel, the language the survey is started in, the replies."""

    channel: str
    language: str
    said: tuple[Said, ...] = ()


@dataclass
class Sent:
    """One message the resident receives; a press on its buttons may edit it (Telegram)."""

    id: str
    body: str
    buttons: Buttons | None = None
    # What Telegram shows in place of a question once a button is pressed (its keyboard gone).
    edited: str | None = None

    @property
    def encoding(self) -> str:
        """Name the SMS alphabet the text travels in: GSM-7 when it can, else UCS-2."""
        return "GSM-7" if is_gsm7(self.body) else "UCS-2"

    @property
    def segments(self) -> int:
        """Return how many SMS segments the text is billed as."""
        return segments(self.body)


@dataclass(frozen=True)
class Exchange:
    """One reply of the resident (none: the survey's first text) and what came back."""

    said: Said | None
    received: tuple[Sent, ...]
    # The language the survey speaks after this exchange (it may switch mid-survey).
    language: str
    # The pressed button's label, and Telegram's notice when a press changed nothing.
    label: str | None = None
    toast: str | None = None


@dataclass(frozen=True)
class Preview:
    """Every exchange so far, where the survey stands, and the buttons that may be pressed now."""

    exchanges: tuple[Exchange, ...]
    status: str
    language: str
    keyboard: Sent | None = None


def run_preview(
    rt: Runtime, sandbox: Sandbox, flow: Flow, script: Script, read: Reader | None = None
) -> Preview:
    """Replay `script` on `flow` in a sandbox; return what the resident would have received.

    `read` is how the channel's adapter reads a typed text (none: the text is the message).
    """
    check_script(flow, script)
    if script.language not in rt.locales:
        # A draft may offer a language before its system messages (HELP, STOP…) exist.
        raise PreviewError(f"locales/ has no system messages in {script.language!r}")
    clock = _Clock(rt.clock())
    # The preview starts at once: no waiting after the contact, and no quiet hours.
    policy = replace(rt.policy, delay=timedelta(0), quiet_hours=None)
    outbox = ButtonOutbox() if script.channel == Channel.TELEGRAM else Outbox()
    with sandbox(rt, {**rt.flows, flow.id: flow}) as scratch:
        scratch = replace(scratch, clock=clock, policy=policy, senders={script.channel: outbox})
        replay = _Replay(scratch, outbox, clock, script.channel, read or _as_typed)
        exchanges = [replay.start(flow, script.language)]
        exchanges.extend(replay.turn(said) for said in script.said)
        status, language = replay.where()
    return Preview(tuple(exchanges), status, language, outbox.keyboard())


def check_script(flow: Flow, script: Script) -> None:
    """Refuse a script this preview cannot run, saying why."""
    if script.channel not in CHANNELS:
        raise PreviewError(f"channel must be one of: {', '.join(CHANNELS)}")
    if script.language not in flow.languages:
        raise PreviewError(f"flow {flow.id!r} offers {', '.join(flow.languages)}")
    if len(script.said) > MAX_REPLIES:
        raise PreviewError(f"a preview holds at most {MAX_REPLIES} replies: restart it")
    for said in script.said:
        if not said.text.strip() or len(said.text) > MAX_REPLY_CHARS:
            raise PreviewError(f"a reply must have 1 to {MAX_REPLY_CHARS} characters")
        if clean_text(said.text) != said.text:
            raise PreviewError("a reply carries control characters, which no channel delivers")
        if said.pressed and script.channel != Channel.TELEGRAM:
            raise PreviewError(f"{script.channel} has no buttons to press")


class Outbox:
    """A sender that sends nothing: it keeps each message, in order, for the preview."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []

    @property
    def identity(self) -> str:
        """Name what the messages are paced as sent from: the preview itself."""
        return "preview"

    def cost(self, body: str) -> int:
        """Return one: nothing is sent, so there is no pace to keep."""
        return 1

    def send(self, address: str, body: str) -> str | None:
        """Keep a text; return its made-up id."""
        return self.keep(body, None)

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Say no message is in doubt: keeping one never times out."""
        return None

    def keep(self, body: str, buttons: Buttons | None) -> str:
        """Keep a message with its buttons; return its id ("<chat>:<number>", as Telegram's)."""
        sent = Sent(f"preview:{len(self.sent) + 1}", body, buttons)
        self.sent.append(sent)
        return sent.id

    def keyboard(self) -> Sent | None:
        """Return the latest message whose buttons are still there to press, if any."""
        for sent in reversed(self.sent):
            if sent.buttons and sent.edited is None:
                return sent
        return None


class ButtonOutbox(Outbox):
    """An Outbox for a channel with answer buttons (Telegram): it keeps the buttons too."""

    def send_buttons(self, address: str, body: str, buttons: Buttons) -> str | None:
        """Keep a text with its buttons; return its made-up id."""
        return self.keep(body, buttons)


def _as_typed(text: str) -> tuple[str, str | None, str | None]:
    """Read a typed text as itself: no keyword flag, no card code."""
    return text, None, None


@dataclass
class _Clock:
    """The sandbox's time: a reply's moment, moved on by REPLY_GAP for each reply."""

    now: datetime

    def __call__(self) -> datetime:
        """Return the current moment of the preview."""
        return self.now


@dataclass
class _Replay:
    """Drives one preview: starts the survey, then hands each reply to the channel's service."""

    rt: Runtime
    outbox: Outbox
    clock: _Clock
    channel: str
    read: Reader
    replies: int = 0

    @property
    def address(self) -> str:
        """Return the made-up resident's address on the channel."""
        return ADDRESSES[Channel(self.channel)]

    def start(self, flow: Flow, language: str) -> Exchange:
        """Start the survey as the agency does, and return its first text."""
        if self.channel in RESIDENT_STARTS:
            self._open_chat()
        request = SurveyRequest(self.channel, self.address, flow.id, language)
        start_survey(self.rt, request)
        return Exchange(None, tuple(self.outbox.sent), self.where()[1])

    def _open_chat(self) -> None:
        """Record that the resident opened the chat: a chat app lets the bot speak only then."""
        with self.rt.uow() as uow:
            uow.respondents.for_update(self.channel, self.address, self.clock.now)
            uow.commit()

    def turn(self, said: Said) -> Exchange:
        """Hand one reply to the channel's service; return what the resident received."""
        before = len(self.outbox.sent)
        self.clock.now += REPLY_GAP
        label = toast = None
        if said.pressed:
            label, toast, message = self._press(said.text)
        else:
            message = self._message(said.text)
        if message is not None and self.channel == Channel.TELEGRAM:
            # As in production: the reply is a scheduled item due now, which a worker sends.
            answer_in_chat(self.rt, message)
            run_due_items(self.rt)
        elif message is not None:
            # As the Twilio webhook does: the reply travels in the answer to the message.
            for body in handle_inbound(self.rt, message):
                self.outbox.keep(body, None)
        received = tuple(self.outbox.sent[before:])
        return Exchange(said, received, self.where()[1], label, toast)

    def _message(self, typed: str) -> InboundMessage:
        """Build the resident's message as the channel's adapter delivers it."""
        text, keyword, code = self.read(typed)
        message = InboundMessage(self.channel, self.address, text, self._next_id(), self.clock.now)
        return replace(message, provider_keyword=keyword, card_code=code)

    def _press(self, data: str) -> tuple[str, str | None, InboundMessage | None]:
        """Press a button under the latest question; return its label, a notice, the answer."""
        shown = self.outbox.keyboard()
        labels = (
            {sent: label for row in (shown.buttons or ()) for label, sent in row} if shown else {}
        )
        if shown is None or data not in labels:
            raise PreviewError("a button press names no button shown to the resident")
        chat, now = self.address, self.clock.now
        press = ButtonPress(self.channel, chat, chat, shown.id, data, self._next_id(), now)
        verdict = check_press(self.rt, press)
        if verdict.shown is not None:
            shown.edited = verdict.shown  # Telegram replaces the question with the answer
        return labels[data], verdict.toast, verdict.message

    def _next_id(self) -> str:
        """Return a new provider id for a reply, so the channel's services can find it again."""
        self.replies += 1
        return f"preview-{self.replies}"

    def where(self) -> tuple[str, str]:
        """Return the status and the language of the resident's latest survey."""
        with self.rt.uow() as uow:
            respondent = uow.respondents.find(self.channel, self.address)
            latest = uow.conversations.latest_for(respondent.id) if respondent else None
            if latest is None:
                return "none", ""
            return str(latest.status), latest.language
