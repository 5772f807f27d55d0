"""Telegram's webhook: verify the secret, read the update, answer in the chat, return 200 fast."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, abort, request

from bot.channels.telegram import (
    GroupChat,
    PayloadError,
    TelegramSender,
    inbound_message,
    read_update,
)
from bot.channels.telegram_buttons import TelegramPress, button_press
from bot.config.settings import Settings
from bot.ports import DeliveryError, InboundMessage
from bot.services.addresses import Channel
from bot.services.chat_buttons import check_press
from bot.services.chat_replies import answer_in_chat, explain_group, start_word
from bot.services.runtime import Runtime
from bot.web.context import runtime, settings

log = logging.getLogger(__name__)
bp = Blueprint("telegram", __name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


def verify_secret(config: Settings) -> None:
    """Answer 403 unless the request carries the webhook's secret (none set: refuse all)."""
    if not config.telegram_webhook_secret:
        log.warning("TELEGRAM_WEBHOOK_SECRET is not set: refusing an unverifiable webhook")
        abort(403, "webhook secret is not configured")
    given = request.headers.get(SECRET_HEADER, "")
    if not given:
        abort(403, f"missing {SECRET_HEADER}")
    if not hmac.compare_digest(given.encode(), config.telegram_webhook_secret.encode()):
        abort(403, f"invalid {SECRET_HEADER}")


@bp.post("/webhooks/telegram")
def inbound_update() -> Response:
    """Receive one update and answer 200 at once; its reply is sent by the dispatcher."""
    verify_secret(settings())
    rt = runtime()
    try:
        update = read_update(request.get_json(silent=True))
    except PayloadError as exc:
        abort(400, str(exc))
    sender = rt.senders.get(Channel.TELEGRAM)
    # No sender, no message of ours to press: a press then finds nothing and is refused.
    key = sender.message_key if isinstance(sender, TelegramSender) else _unsent
    pressed = button_press(update, rt.clock(), key)
    message = (
        pressed_answer(rt, pressed)
        if pressed
        else inbound_message(update, rt.clock(), start_word(rt))
    )
    if isinstance(message, GroupChat):
        explain_group(rt, Channel.TELEGRAM, message)
    elif message is not None:
        answer_in_chat(rt, message)
    return Response(status=200)


def _unsent(chat_id: str, message_id: int) -> str:
    """Name a message no sender of this process could have sent (no Telegram sender)."""
    return f"unsent:{message_id}"


def pressed_answer(rt: Runtime, pressed: TelegramPress) -> InboundMessage | None:
    """Check a button press; answer its callback, show the chosen answer, return it as a message.

    Telegram's calls here only change what the resident sees: a failure is logged, and the
    answer still counts.
    """
    verdict = check_press(rt, pressed.press)
    sender = rt.senders.get(Channel.TELEGRAM)
    if isinstance(sender, TelegramSender):
        try:
            sender.answer_press(pressed.callback_id, verdict.toast)
            if verdict.shown is not None:
                sender.show_answer(pressed.press.address, pressed.message_id, verdict.shown)
        except DeliveryError as exc:
            log.warning("answering a button press on Telegram failed: %s", exc)
    return verdict.message
