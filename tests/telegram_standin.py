"""A local stand-in of Telegram's Bot API (`/bot<token>/<method>`), so PTB's real HTTP code runs."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from tests.standins import _send_json, _serving

BOT_ID = 7000001
SECRET_PART = "stand-in-token"
TOKEN = f"{BOT_ID}:{SECRET_PART}"


def fresh_token() -> str:
    """Return a token of a bot no other test uses: its own pace, on a shared database schema."""
    return f"{BOT_ID + 1 + secrets.randbelow(10**8)}:{SECRET_PART}"


@dataclass
class TelegramStandIn:
    """Records every Bot API call; answers sendMessage, getMe and the webhook calls; can fail."""

    url: str = ""
    # (method, parameters) of every call but getMe that succeeded, in order.
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # (HTTP status, description, retry_after) to answer sendMessage with instead, in order.
    failures: list[tuple[int, str, int | None]] = field(default_factory=list)
    # Every message sendMessage made, as the Bot API returned it (its message_id, reply_markup).
    messages: list[dict[str, Any]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        """Return what TELEGRAM_API_BASE_URL is set to (PTB appends the token)."""
        return self.url + "/bot"

    def texts_to(self, chat_id: int) -> list[str]:
        """Return the texts sent to one chat, in order."""
        return [p["text"] for m, p in self.calls if m == "sendMessage" and p["chat_id"] == chat_id]

    def sent_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Return the messages sent to one chat, as the Bot API returned them, in order."""
        return [m for m in self.messages if m["chat"]["id"] == chat_id]

    def called(self, method: str) -> list[dict[str, Any]]:
        """Return the parameters of every successful call of `method`, in order."""
        return [params for name, params in self.calls if name == method]

    def answer(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, object]:
        """Answer one Bot API call."""
        if token.partition(":")[2] != SECRET_PART:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if method == "getMe":
            return 200, {"ok": True, "result": _me()}
        with self.lock:
            failure = self.failures.pop(0) if self.failures and method == "sendMessage" else None
            if failure is None:
                self.calls.append((method, params))
        if failure is not None:
            return _error(*failure)
        return 200, {"ok": True, "result": self._result(method, params)}

    def _result(self, method: str, params: dict[str, Any]) -> object:
        """Return a successful call's result."""
        if method in ("sendMessage", "editMessageText"):
            chat = {"id": params["chat_id"], "type": "private"}
            number = params.get("message_id", len(self.messages) + 1)
            sent = {**params, "message_id": number, "date": int(time.time()), "chat": chat}
            self.messages += [sent] if method == "sendMessage" else []
            return sent
        if method == "setWebhook":
            self.webhook = {"url": params["url"], "allowed_updates": params["allowed_updates"]}
            return True
        if method == "getWebhookInfo":
            return {"has_custom_certificate": False, "pending_update_count": 0, **self.webhook}
        return True


def _me() -> dict[str, object]:
    """Describe the bot, as getMe does."""
    return {"id": BOT_ID, "is_bot": True, "first_name": "Parley", "username": "ParleyTestBot"}


def _error(status: int, description: str, retry_after: int | None) -> tuple[int, object]:
    """Write a Bot API error, with retry_after when it is a 429."""
    body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return status, body


def _params(handler: BaseHTTPRequestHandler) -> dict[str, Any]:
    """Read a call's parameters: a form whose values PTB writes as JSON, or a JSON body."""
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length).decode() if length else ""
    if "json" in (handler.headers.get("Content-Type") or ""):
        return dict(json.loads(raw or "{}"))
    params: dict[str, Any] = {}
    for key, values in parse_qs(raw).items():
        try:
            params[key] = json.loads(values[0])
        except ValueError:
            params[key] = values[0]
    return params


def _handler(standin: TelegramStandIn) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one stand-in."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            _, _, rest = self.path.partition("/bot")
            token, _, method = rest.partition("/")
            _send_json(self, *standin.answer(token, method, _params(self)))

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def telegram_standin() -> Iterator[TelegramStandIn]:
    """Serve a Bot API stand-in on a free loopback port for the duration of a block."""
    standin = TelegramStandIn()
    with _serving(_handler(standin)) as url:
        standin.url = url
        yield standin
