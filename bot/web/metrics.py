"""/metrics for Prometheus, behind a token or the loopback address; webhook latency timed here.

With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`; without it only
this machine (127.0.0.1, ::1) may read the metrics, as when Prometheus or its agent scrapes
through an internal address. Anything else is 403: metrics name no resident, but they do tell
an outsider how busy the agency is.
"""

from __future__ import annotations

import hmac
import ipaddress
import time

from flask import Flask, Response, abort, g, request

from bot import metrics
from bot.web.context import runtime, settings

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# The blueprints whose answers a provider waits for.
WEBHOOKS = frozenset({"twilio_sms", "telegram"})


def init_metrics(app: Flask) -> None:
    """Serve /metrics and time every webhook request."""
    app.add_url_rule("/metrics", "metrics", _scrape)
    app.before_request(_start_clock)
    app.after_request(_stop_clock)


def _scrape() -> Response:
    """Answer a Prometheus scrape with every metric, once the caller is allowed."""
    if not _allowed():
        abort(403, description="metrics need the metrics token or a request from this machine")
    rt = runtime()
    read = rt.operations.backlog if rt.operations is not None else None
    return Response(metrics.exposition(read, rt.clock()), content_type=CONTENT_TYPE)


def _allowed() -> bool:
    """Say whether the caller sent the metrics token, or (with none set) is this machine."""
    token = settings().metrics_token
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _start_clock() -> None:
    """Note when a webhook request began."""
    if request.blueprint in WEBHOOKS:
        g.parley_started = time.perf_counter()


def _stop_clock(response: Response) -> Response:
    """Record how long the webhook took to answer, by endpoint (never its content)."""
    started = g.pop("parley_started", None)
    if started is not None:
        metrics.WEBHOOK_SECONDS.labels(request.endpoint or "unknown").observe(
            time.perf_counter() - started
        )
    return response
