"""Small local HTTP stand-ins for provider APIs, so the real client code paths run offline."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

# How often a test server's loop looks for shutdown(): each stop waits up to this long.
POLL_SECONDS = 0.02


@dataclass
class TwilioStandIn:
    """Records Messages.json creates and lists them like Twilio's REST API; can fail or be slow."""

    url: str = ""
    sent: list[dict[str, str]] = field(default_factory=list)
    # (HTTP status, Twilio error code) to answer with instead of success, consumed in order.
    failures: list[tuple[int, int]] = field(default_factory=list)
    # Seconds to wait before answering a create, after the message is accepted and recorded:
    # a client that gives up sooner does not know the text left (as with a slow Twilio).
    delay: float = 0.0
    # How many of the next creates are lost before Twilio accepts them (slow, then nothing).
    dropped: int = 0
    # How many create calls arrived, answered or not (a lost or hung one is not in `sent`).
    creates: int = 0
    # Query strings of every list (GET Messages.json) call, in order.
    lookups: list[dict[str, str]] = field(default_factory=list)
    # The provider's clock, for date_created (tests share theirs with Parley's).
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        """Answer one create-message call (after `delay`)."""
        with self.lock:
            self.creates += 1
            failure = self.failures.pop(0) if self.failures else None
            lost = failure is None and self.dropped > 0
            self.dropped -= 1 if lost else 0
            record = None
            if failure is None and not lost:
                record = {"path": path, "sid": "SM" + secrets.token_hex(16), **form}
                record["DateCreated"] = format_datetime(self.clock().astimezone(UTC), usegmt=True)
                self.sent.append(record)
        if self.delay:
            time.sleep(self.delay)
        if failure is not None:
            status, code = failure
            return status, {"code": code, "message": f"stand-in error {code}", "status": status}
        if record is None:
            return 503, {"code": 20503, "message": "stand-in lost the request", "status": 503}
        return 201, _resource(record)

    def listing(self, query: dict[str, str]) -> tuple[int, dict[str, object]]:
        """Answer one list call: messages filtered by To and From, newest first (or fail)."""
        with self.lock:
            self.lookups.append(query)
            if self.failures:
                status, code = self.failures.pop(0)
                return status, {"code": code, "message": f"stand-in error {code}", "status": status}
            found = [
                _resource(m)
                for m in reversed(self.sent)
                if all(m.get(key) == query[key] for key in ("To", "From") if key in query)
            ]
        size = int(query.get("PageSize") or 50)
        return 200, {"messages": found[:size], "next_page_uri": None, "page": 0, "page_size": size}

    def bodies_to(self, number: str) -> list[str]:
        """Return the bodies sent to one number, in order (a template send has none: "")."""
        return [m.get("Body", "") for m in self.sent if m.get("To") == number]

    def sent_to(self, to: str) -> list[dict[str, str]]:
        """Return every create call for one `To` (`whatsapp:+1…` on WhatsApp), in order.

        Each holds the form as Twilio received it: From, To, Body, or ContentSid and
        ContentVariables for a WhatsApp template.
        """
        return [m for m in self.sent if m.get("To") == to]


def _resource(record: dict[str, str]) -> dict[str, object]:
    """Write a recorded message as Twilio's Message resource."""
    return {
        "sid": record["sid"],
        "status": "queued",
        "to": record.get("To"),
        "from": record.get("From"),
        "messaging_service_sid": record.get("MessagingServiceSid"),
        "body": record.get("Body"),
        "date_created": record.get("DateCreated"),
        "date_sent": None,
    }


def _handler(standin: TwilioStandIn) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one stand-in."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path, _, query = self.path.partition("?")
            if path.endswith("/Messages.json"):
                params = {k: v[0] for k, v in parse_qs(query).items()}
                _send_json(self, *standin.listing(params))
            else:
                _send_json(self, 404, {"code": 20404, "message": "not found", "status": 404})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            if not self.path.endswith("/Messages.json"):
                status, payload = 404, {"code": 20404, "message": "not found", "status": 404}
            else:
                status, payload = standin.respond(self.path, form)
            _send_json(self, status, payload)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve a handler on a free loopback port for the duration of a block; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop's next poll: the default half second, paid by every test.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def twilio_standin() -> Iterator[TwilioStandIn]:
    """Serve a Twilio REST stand-in on a free loopback port for the duration of a block."""
    standin = TwilioStandIn()
    with _serving(_handler(standin)) as url:
        standin.url = url
        yield standin


LIBRE_LANGUAGES = ("en", "es", "zh", "vi", "ar", "ko", "ru", "fr", "pt")


@dataclass
class LibreStandIn:
    """Answers LibreTranslate's /translate and /languages; can fail or hang on demand."""

    url: str = ""
    # Parameters of every /translate call (query string, form or JSON alike), in order.
    calls: list[dict[str, str]] = field(default_factory=list)
    # Texts with a known translation; anything else comes back tagged "[source>target] text".
    known: dict[str, str] = field(default_factory=dict)
    # HTTP statuses to answer the next calls with instead of a translation, consumed in order.
    failures: list[int] = field(default_factory=list)
    # How many of the next calls never get an answer (until the stand-in shuts down).
    hangs: int = 0
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def translate(self, params: dict[str, str]) -> tuple[int, object]:
        """Answer one /translate call, or hang, or fail, as told."""
        with self.lock:
            self.calls.append(params)
            hang = self.hangs > 0
            self.hangs -= 1 if hang else 0
            failure = self.failures.pop(0) if self.failures and not hang else None
        if hang:
            self.released.wait(timeout=30)
            return 503, {"error": "stand-in hung"}
        if failure is not None:
            return failure, {"error": f"stand-in error {failure}"}
        text = params.get("q", "")
        tagged = f"[{params.get('source')}>{params.get('target')}] {text}"
        return 200, {"translatedText": self.known.get(text, tagged)}

    def languages(self) -> list[dict[str, object]]:
        """List the languages this stand-in translates between."""
        return [
            {"code": code, "name": code, "targets": list(LIBRE_LANGUAGES)}
            for code in LIBRE_LANGUAGES
        ]


def _request_params(handler: BaseHTTPRequestHandler) -> dict[str, str]:
    """Read a request's parameters from its query string and its form or JSON body."""
    query = handler.path.partition("?")[2]
    params = {k: v[0] for k, v in parse_qs(query).items()}
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length).decode() if length else ""
    if raw and "json" in (handler.headers.get("Content-Type") or ""):
        params.update({k: str(v) for k, v in json.loads(raw).items()})
    elif raw:
        params.update({k: v[0] for k, v in parse_qs(raw).items()})
    return params


def _send_json(handler: BaseHTTPRequestHandler, status: int, payload: object) -> None:
    """Answer a request with a JSON body."""
    data = json.dumps(payload).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass  # The client gave up waiting (a timeout test): nobody reads this.


def _libre_handler(standin: LibreStandIn) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one LibreTranslate stand-in."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.partition("?")[0] == "/languages":
                _send_json(self, 200, standin.languages())
            else:
                _send_json(self, 404, {"error": "not found"})

        def do_POST(self) -> None:
            params = _request_params(self)
            if self.path.partition("?")[0] == "/translate":
                _send_json(self, *standin.translate(params))
            else:
                _send_json(self, 404, {"error": "not found"})

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def libre_standin() -> Iterator[LibreStandIn]:
    """Serve a LibreTranslate stand-in on a free loopback port for the duration of a block."""
    standin = LibreStandIn()
    with _serving(_libre_handler(standin)) as url:
        standin.url = url
        try:
            yield standin
        finally:
            # Free any hung handler thread before the server goes away.
            standin.released.set()
