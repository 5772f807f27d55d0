"""Telegram: reading the Bot API's updates (no Flask here) and the python-telegram-bot sender."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.config.settings import Settings
from bot.ports import OPEN_CHAT, Buttons, DeliveryError, InboundMessage
from bot.scheduling.states import DeliveryFailure
from bot.services.addresses import Channel, without_numbers

log = logging.getLogger(__name__)

T = TypeVar("T")
# The commands a resident may send, as the keyword kind each one is (bot.engine.keywords).
COMMANDS = {"/stop": "STOP", "/help": "HELP", "/language": "LANGUAGE", "/delete": "DELETE"}
# Telegram's words for "this chat can never be written to": the recipient blocked the bot or
# deleted their account (opted out); the chat does not exist (never started the bot).
BLOCKED = ("bot was blocked", "user is deactivated", "bot can't initiate")
PERMANENT = ("chat not found", "user not found", "peer_id_invalid")


class PayloadError(ValueError):
    """A webhook body that is not a Telegram update."""


@dataclass(frozen=True)
class GroupChat:
    """A message in a group or channel: Parley surveys residents only in private chats."""

    chat_id: str
    language_hint: str | None
    # The update's id, as a resident's message is stored: a redelivery is explained once.
    provider_message_id: str


def read_update(data: object) -> Update:
    """Parse a webhook body into an Update, or raise PayloadError."""
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        raise PayloadError("the body is not a Telegram update")
    try:
        update = Update.de_json(data, None)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PayloadError(f"the update cannot be read: {exc}") from exc
    if update is None:
        raise PayloadError("the body is not a Telegram update")
    return update


def inbound_message(
    update: Update, received_at: datetime, start_word: str
) -> InboundMessage | GroupChat | None:
    """Normalise an update; None for what Parley ignores (edits, member changes, bots).

    `start_word` is the text a bare /start stands for: the default flow's start keyword, so the
    resident is greeted and offered the survey exactly as by the keyword.
    """
    message = update.message
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None  # Edited messages, channel posts and service updates are not answers.
    hint = message.from_user.language_code
    if message.chat.type != ChatType.PRIVATE:
        return GroupChat(str(message.chat.id), hint, f"tg-update-{update.update_id}")
    text, keyword, code = read_command(message.text or message.caption or "", start_word)
    return InboundMessage(
        channel=Channel.TELEGRAM,
        address=str(message.chat.id),
        text=text,
        # An update redelivered by Telegram keeps its id: stored and answered once.
        provider_message_id=f"tg-update-{update.update_id}",
        received_at=received_at,
        provider_keyword=keyword,
        media_count=_media_count(message),
        card_code=code,
        language_hint=hint,
    )


def read_command(text: str, start_word: str) -> tuple[str, str | None, str | None]:
    """Read a command: return the text to handle, a keyword kind and a /start payload."""
    first, _, rest = text.strip().partition(" ")
    # "/stop@ParleyBot" in a client that names the bot.
    command = first.split("@", 1)[0].lower()
    if command == "/start":
        payload = rest.strip()
        # A bare /start opens the chat: the survey keyword, or START after an opt-out.
        return (start_word, OPEN_CHAT, None) if not payload else ("", None, payload)
    if command in COMMANDS:
        return command.lstrip("/"), COMMANDS[command], None
    return text, None, None


def _media_count(message: Message) -> int:
    """Count what came that Parley cannot read (a sticker, a photo, a voice note, a file)."""
    kinds = (
        message.sticker,
        message.photo,
        message.voice,
        message.video,
        message.video_note,
        message.audio,
        message.document,
        message.animation,
        message.location,
        message.contact,
    )
    return sum(1 for kind in kinds if kind)


# Names a chat in the message ids we store, without its id (bootstrap: the keyed hash's start).
ChatTag = Callable[[str], str]


class TelegramSender:
    """Send texts to private chats through python-telegram-bot's Bot."""

    def __init__(
        self,
        token: str,
        base_url: str,
        timeout: float = 10.0,
        chat_tag: ChatTag | None = None,
    ) -> None:
        self._token = token
        self._base_url = base_url
        self._timeout = timeout
        # None for a client that only manages the webhook (the CLI) and sends nothing.
        self._chat_tag = chat_tag

    @classmethod
    def from_settings(cls, config: Settings, chat_tag: ChatTag | None = None) -> TelegramSender:
        """Build the sender from TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL."""
        # httpx logs every request's URL at INFO, and the Bot API's URLs hold the bot's token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        return cls(config.telegram_bot_token, config.telegram_api_base_url, chat_tag=chat_tag)

    def message_key(self, chat_id: str, message_id: int) -> str:
        """Name a message we sent: Telegram numbers messages per chat, so the chat's tag leads."""
        if self._chat_tag is None:
            raise RuntimeError("this Telegram client manages the webhook; it sends nothing")
        return f"{self._chat_tag(chat_id)}:{message_id}"

    @property
    def identity(self) -> str:
        """Name the bot whose pace a send counts against (its id, never the secret part)."""
        return "telegram:" + self._token.split(":", 1)[0]

    def cost(self, body: str) -> int:
        """Return 1: Telegram paces messages, not characters."""
        return 1

    def send(self, address: str, body: str) -> str | None:
        """Send `body` to the chat `address`; return its message key (no chat id in it)."""
        sent = self.call(lambda bot: bot.send_message(chat_id=int(address), text=body))
        return self.message_key(address, sent.message_id)

    def send_buttons(self, address: str, body: str, buttons: Buttons) -> str | None:
        """Send `body` with an inline keyboard of answer buttons under it."""
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in buttons
            ]
        )
        sent = self.call(
            lambda bot: bot.send_message(chat_id=int(address), text=body, reply_markup=markup)
        )
        return self.message_key(address, sent.message_id)

    def answer_press(self, callback_id: str, toast: str | None) -> None:
        """Stop the pressed button's spinner, with a short toast when the press changed nothing."""
        self.call(lambda bot: bot.answer_callback_query(callback_id, text=toast))

    def show_answer(self, chat_id: str, message_id: int, text: str) -> None:
        """Replace a question's message with `text` (the chosen answer), its keyboard removed."""
        self.call(
            lambda bot: bot.edit_message_text(text, chat_id=int(chat_id), message_id=message_id)
        )

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Refuse: the Bot API cannot list sent messages, so a text in doubt is never resent."""
        raise DeliveryError("Telegram cannot look up sent messages", "lookup", uncertain=True)

    def call(self, action: Any) -> Any:
        """Run one Bot API call on a private event loop; raise DeliveryError when it fails."""
        try:
            return _run(self._with_bot(action))
        except TelegramError as exc:
            raise delivery_error(exc) from exc

    async def _with_bot(self, action: Any) -> Any:
        """Open a Bot for one call and close its HTTP client after it."""
        request = HTTPXRequest(read_timeout=self._timeout, connect_timeout=self._timeout)
        bot = Bot(self._token, base_url=self._base_url, request=request)
        async with bot:
            return await action(bot)


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a new loop: each call owns its loop, so threads never share one."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


def delivery_error(exc: TelegramError) -> DeliveryError:
    """Read a Bot API error into what it means for the message (bot.scheduling.states)."""
    text = str(exc.message).lower()
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        after = wait if isinstance(wait, timedelta) else timedelta(seconds=float(wait))
        return DeliveryError("Telegram asks to slow down", "429", retry_after=after)
    if isinstance(exc, Forbidden) and any(words in text for words in BLOCKED):
        return DeliveryError("the resident blocked the bot", "403", DeliveryFailure.OPTED_OUT)
    if isinstance(exc, BadRequest) and any(words in text for words in PERMANENT):
        return DeliveryError("the chat does not exist", "400", DeliveryFailure.PERMANENT)
    if isinstance(exc, Forbidden | BadRequest):
        refused = f"Telegram refused: {without_numbers(exc.message)}"
        return DeliveryError(refused, "4xx", DeliveryFailure.PERMANENT)
    # A timeout or a broken connection may come after Telegram took the message.
    uncertain = isinstance(exc, TimedOut | NetworkError)
    failed = f"Telegram failed: {without_numbers(exc.message)}"
    return DeliveryError(failed, "network", uncertain=uncertain)


def webhook_settings(config: Settings) -> Mapping[str, Any]:
    """Return setWebhook's arguments: the public URL, the secret and the update kinds read."""
    return {
        "url": config.public_base_url + "/webhooks/telegram",
        "secret_token": config.telegram_webhook_secret,
        "allowed_updates": ["message", "callback_query"],
    }
