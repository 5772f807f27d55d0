"""Build Telegram updates and post them to the webhook, as Telegram does."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SECRET = "telegram-webhook-secret"
PATH = "/webhooks/telegram"
_update_ids = itertools.count(secrets.randbelow(10**8) * 1000)


def random_chat() -> int:
    """Return a private chat id no other test uses."""
    return 10**9 + secrets.randbelow(10**9)


def update(chat_id: int, text: str | None = None, **fields: Any) -> dict[str, Any]:
    """Build an update carrying one message from a private chat (or the chat `fields` give)."""
    language = fields.pop("language_code", "en")
    chat = fields.pop("chat", {"id": chat_id, "type": "private", "first_name": "Sam"})
    kind = fields.pop("kind", "message")
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam", "language_code": language}
    message: dict[str, Any] = {"message_id": 1, "date": 1764000000, "chat": chat, "from": user}
    if text is not None:
        message["text"] = text
    message.update(fields)
    return {"update_id": next(_update_ids), kind: message}


def post_update(client: FlaskClient, body: object, secret: str | None = SECRET) -> TestResponse:
    """Post a body to the webhook (secret header unless None); wait for the replies to be sent.

    The webhook answers at once and its dispatcher sends the replies on a background thread, as
    in production; a test reads what the resident got once that work is done.
    """
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    response = client.post(PATH, json=body, headers=headers)
    dispatcher = client.application.extensions["parley.runtime"].dispatcher
    assert dispatcher is None or dispatcher.drain(timeout=30), "replies still being sent"
    return response


def press(chat_id: int, message: dict[str, Any], data: str, **fields: Any) -> dict[str, Any]:
    """Build an update for a press on a button with `data` under one of the bot's messages."""
    language = fields.pop("language_code", "en")
    presser = fields.pop("presser", chat_id)
    user = {"id": presser, "is_bot": False, "first_name": "Sam", "language_code": language}
    shown = {
        "message_id": message["message_id"],
        "date": message["date"],
        "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
        "text": message["text"],
    }
    query = {"id": f"cb{next(_update_ids)}", "from": user, "chat_instance": "ci", "data": data}
    return {"update_id": next(_update_ids), "callback_query": {**query, "message": shown}}


def buttons_of(message: dict[str, Any]) -> list[list[tuple[str, str]]]:
    """Return a sent message's inline keyboard as rows of (label, callback data)."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [[(button["text"], button["callback_data"]) for button in row] for row in rows]
