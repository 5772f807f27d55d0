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
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.standins import _serving


@dataclass
class MailStandIn:
    """Keeps every message an SMTP client hands over, as parsed email messages."""

    url: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    # The one user name and password the server takes (None: it offers no sign-in).
    credentials: tuple[str, str] | None = None
    # Who signed in, once per connection that did.
    logins: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        """Take the one user name and password this server knows (aiosmtpd's authenticator)."""
        given = (
            (data.login.decode(), data.password.decode())
            if isinstance(data, LoginPassword)
            else None
        )
        if given is None or given != self.credentials:
            return AuthResult(success=False, handled=False)
        with self.lock:
            self.logins.append(given[0])
        return AuthResult(success=True)

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
def mail_standin(credentials: tuple[str, str] | None = None) -> Iterator[MailStandIn]:
    """Serve an SMTP server on a free loopback port (asking for `credentials`, if given)."""
    standin = MailStandIn(credentials=credentials)
    port = _free_port()
    # Sign-in over plain text is for this loopback stand-in only; real servers need TLS.
    auth = {"authenticator": standin.authenticate} if credentials else {}
    controller = Controller(
        standin, hostname="127.0.0.1", port=port, auth_require_tls=False, **auth
    )
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
