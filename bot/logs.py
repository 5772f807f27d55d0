"""Logging: plain text or one JSON object per line, each record carrying the request id.

The request id names one piece of work across processes: the web request that received a
resident's message, and the jobs it enqueued, which RQ runs in another process. It comes from
the caller's `X-Request-Id` when that is a short plain token (a proxy or load balancer set it),
else a fresh one; the web app sets it, the dispatcher carries it in the job's metadata, and the
job sets it again. Only what a message already says is written: records mask numbers and never
carry answer text, and the JSON format adds no field a record did not have.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime

TEXT, JSON = "text", "json"
FORMATS = (TEXT, JSON)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# A caller's id is kept only when it cannot smuggle anything into a log line.
_USABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_NO_REQUEST = "-"
_request_id: ContextVar[str] = ContextVar("parley_request_id", default=_NO_REQUEST)


def request_id() -> str:
    """Return the id of the request or job being handled ("-" outside one)."""
    return _request_id.get()


def new_request_id(offered: str | None = None) -> str:
    """Return the caller's id when it is a short plain token, else a fresh random one."""
    if offered and _USABLE_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def set_request_id(value: str) -> Token[str]:
    """Name the request this thread now handles; return the token that ends it."""
    return _request_id.set(value if _USABLE_ID.fullmatch(value) else new_request_id())


def end_request(token: Token[str]) -> None:
    """Stop naming the request `token` began: the thread's next lines carry no stale id."""
    _request_id.reset(token)


@contextmanager
def handling(value: str | None) -> Iterator[str]:
    """Name the work done inside the block (a job) by `value`, or a fresh id; then restore."""
    token = _request_id.set(new_request_id(value))
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Give every record the current request id, so both formats can print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` to the record; never drop one."""
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Write a record as one JSON object: time, level, logger, message, request id, error."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single line of JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _NO_REQUEST),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, fmt: str) -> None:
    """Send Parley's logs to stderr in `fmt` at `level`, unless a host configured logging."""
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(JsonFormatter() if fmt == JSON else logging.Formatter(TEXT_FORMAT))
        root.addHandler(stream)
    for handler in root.handlers:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
    logging.getLogger("bot").setLevel(level)
