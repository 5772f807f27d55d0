"""What a channel carries: inbound messages, senders, renderers, delivery errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.scheduling.states import DeliveryFailure

if TYPE_CHECKING:
    from bot.engine.model import Prompt

# A provider keyword for a chat app's "open the chat" (Telegram's bare /start): the survey
# keyword for most, START (texts again, please) for a resident who opted out.
OPEN_CHAT = "OPEN"


@dataclass(frozen=True)
class InboundMessage:
    """One message from a resident, normalised by its channel adapter."""

    channel: str
    address: str
    text: str
    provider_message_id: str | None
    received_at: datetime
    # A provider's own reading of an opt-out keyword (Twilio's OptOutType: STOP, START, HELP).
    provider_keyword: str | None = None
    # Pictures or other attachments that came with the message (an MMS), which Parley cannot read.
    media_count: int = 0
    # A survey card's code the channel carried apart from the text (Telegram's /start payload);
    # a code typed in a message (`SURVEY K7M4Q2`) is read from the text by the service instead.
    card_code: str | None = None
    # The resident's own language setting in their app (Telegram's language_code): a hint.
    language_hint: str | None = None

    @property
    def media_only(self) -> bool:
        """Say whether the message is attachments and no text (a picture sent as an answer)."""
        return self.media_count > 0 and not self.text.strip()


# Marks a system menu's button data apart from a question's (question ids begin with a letter).
MENU_MARK = "~"


@dataclass(frozen=True)
class ButtonPress:
    """A resident pressed an answer button under one of our messages, normalised by its channel.

    `data` is what the button was sent with: "<question id>:<answer as typed text>", or for a
    system menu's button "~<menu>:<option's value>" (no question id begins with MENU_MARK).
    """

    channel: str
    address: str  # the chat the pressed message is in
    presser: str  # the chat of whoever pressed (in a private chat, the same)
    pressed_message_id: str  # the provider's id of the pressed message, as its row stores it
    data: str
    provider_message_id: str  # the press's own id, so that a redelivery counts once
    received_at: datetime
    language_hint: str | None = None

    @property
    def question_id(self) -> str:
        """Return the question the pressed button answers."""
        return self.data.partition(":")[0]

    @property
    def answer(self) -> str:
        """Return the answer the press stands for, as the resident would type it."""
        return self.data.partition(":")[2]

    @property
    def menu(self) -> str | None:
        """Return the system menu the pressed button is in; None for a question's button."""
        head = self.question_id
        return head.removeprefix(MENU_MARK) if head.startswith(MENU_MARK) else None


class DeliveryError(Exception):
    """A channel refused or failed to take a message; `kind` says what that means for it.

    The channel's adapter reads its own codes into a kind (bot.scheduling.states.DeliveryFailure):
    the recipient opted out, the message will never go, or the failure may pass (then
    `retry_after`, when the channel said how long to wait). `code` is the channel's own code,
    kept on the message for staff. `uncertain`: the request may have reached the provider (a
    timeout after it was sent, a reset connection, a 5xx), so the text may have left: it is
    looked up before any resend.
    """

    def __init__(
        self,
        message: str,
        code: str | None = None,
        kind: DeliveryFailure = DeliveryFailure.TRANSIENT,
        *,
        uncertain: bool = False,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind
        self.uncertain = uncertain
        self.retry_after = retry_after

    @property
    def permanent(self) -> bool:
        """Say whether sending this message again can never succeed."""
        return self.kind is not DeliveryFailure.TRANSIENT


# A question's answer buttons: rows of (label, the data the press sends back).
Buttons = tuple[tuple[tuple[str, str], ...], ...]


class Keyboard(Protocol):
    """Choose the answer buttons a channel shows under its prompts (None: no buttons)."""

    def __call__(self, prompts: Sequence[Prompt], /) -> Buttons | None:
        """Return the buttons of the last question in `prompts` that has them."""
        ...


@runtime_checkable
class ButtonSender(Protocol):
    """A sender whose channel can show answer buttons under a text (Telegram)."""

    def send_buttons(self, address: str, body: str, buttons: Buttons) -> str | None:
        """Send `body` with `buttons` under it; raise DeliveryError when the provider fails."""
        ...


class Renderer(Protocol):
    """Turn the engine's prompts into the message bodies one channel sends."""

    def __call__(self, prompts: Sequence[Prompt], /) -> tuple[str, ...]:
        """Render `prompts`, leaving out any that would be blank."""
        ...


class Sender(Protocol):
    """Deliver one outbound text on a channel; return the provider's message id."""

    @property
    def identity(self) -> str:
        """Name the sending number (or channel) whose pace a send counts against."""
        ...

    def cost(self, body: str) -> int:
        """Return how many units of its sending rate `body` takes (SMS: its segments)."""
        ...

    def send(self, address: str, body: str) -> str | None:
        """Send `body` to `address`; raise DeliveryError when the provider fails."""
        ...

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Return the provider's id of `body` sent to `address` since `since`, if it took it.

        Raise DeliveryError when the provider cannot be asked.
        """
        ...


@runtime_checkable
class TemplateSender(Sender, Protocol):
    """A sender whose channel lets the agency speak first only with an approved template.

    WhatsApp: free-form messages may go only within `window` of the resident's last message;
    outside it, a conversation is opened with a template the provider approved beforehand.
    """

    @property
    def window(self) -> timedelta:
        """Return how long after a resident's last message free-form messages may be sent."""
        ...

    def has_template(self, language: str) -> bool:
        """Say whether an approved template opens a conversation in `language`."""
        ...

    def send_template(self, address: str, body: str, language: str) -> str | None:
        """Send the template for `language` in place of `body`; raise DeliveryError on failure."""
        ...

    def find_template(self, address: str, since: datetime) -> str | None:
        """Return the provider's id of a template sent to `address` since `since`, if any."""
        ...
