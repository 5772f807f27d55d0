"""Small local HTTP stand-ins for provider APIs, so the real client code paths run offline."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class TwilioStandIn:
    """Records Messages.json creates like Twilio's REST API; can be told to fail."""

    url: str = ""
    sent: list[dict[str, str]] = field(default_factory=list)
    # (HTTP status, Twilio error code) to answer with instead of success, consumed in order.
    failures: list[tuple[int, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def respond(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, object]]:
        """Answer one create-message call."""
        with self.lock:
            if self.failures:
                status, code = self.failures.pop(0)
                return status, {"code": code, "message": f"stand-in error {code}", "status": status}
            sid = "SM" + secrets.token_hex(16)
            self.sent.append({"path": path, "sid": sid, **form})
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")}

    def bodies_to(self, number: str) -> list[str]:
        """Return the bodies sent to one number, in order."""
        return [m["Body"] for m in self.sent if m.get("To") == number]


def _handler(standin: TwilioStandIn) -> type[BaseHTTPRequestHandler]:
    """Build a request handler class bound to one stand-in."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            if not self.path.endswith("/Messages.json"):
                status, payload = 404, {"code": 20404, "message": "not found", "status": 404}
            else:
                status, payload = standin.respond(self.path, form)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

    return Handler


@contextmanager
def twilio_standin() -> Iterator[TwilioStandIn]:
    """Serve a Twilio REST stand-in on a free loopback port for the duration of a block."""
    standin = TwilioStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
