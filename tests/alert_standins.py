"""Local stand-ins for alert outlets: an SMTP server (aiosmtpd) and a webhook receiver."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any

from aiosmtpd.controller import Controller

from tests.standins import _serving


@dataclass
class MailStandIn:
    """Keeps every message an SMTP client hands over, as parsed email messages."""

    url: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store one message (aiosmtpd's handler hook) and accept it."""
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(parsed)  # type: ignore[arg-type]
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    """Return a loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def mail_standin() -> Iterator[MailStandIn]:
    """Serve an SMTP server on a free loopback port for the duration of a block."""
    standin = MailStandIn()
    port = _free_port()
    controller = Controller(standin, hostname="127.0.0.1", port=port)
    controller.start()
    standin.url = f"smtp://127.0.0.1:{port}"
    try:
        yield standin
    finally:
        controller.stop()


@dataclass
class WebhookStandIn:
    """Records every POST (raw body and headers); answers the statuses queued, then 204."""

    url: str = ""
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, body: bytes, headers: dict[str, str]) -> int:
        """Record one delivery; return the status to answer it with."""
        with self.lock:
            self.received.append((body, headers))
            return self.statuses.pop(0) if self.statuses else 204


def _webhook_handler(standin: WebhookStandIn) -> type[BaseHTTPRequestHandler]:
    """Build a handler class bound to one stand-in."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            status = standin.take(body, dict(self.headers.items()))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def webhook_standin() -> Iterator[WebhookStandIn]:
    """Serve a webhook receiver on a free loopback port for the duration of a block."""
    standin = WebhookStandIn()
    with _serving(_webhook_handler(standin)) as url:
        standin.url = url + "/parley-alerts"
        yield standin
