"""Log records: the request id on every line, JSON when asked, a caller's id kept only if plain."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs
from bot.config.values import log_format
from bot.errors import ConfigError


@pytest.fixture()
def stream() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """Return a logger writing JSON lines, with request ids, into a string."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    logger = logging.getLogger("bot.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)


def test_a_json_line_carries_the_request_id_of_the_work_it_was_written_in(
    stream: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = stream
    with logs.handling("req-7f3a"):
        logger.info("sent %d texts", 3)
    logger.info("outside")

    inside, outside = (json.loads(line) for line in out.getvalue().splitlines())
    assert inside["message"] == "sent 3 texts" and inside["request_id"] == "req-7f3a"
    assert inside["level"] == "INFO" and inside["logger"] == "bot.test_logs"
    assert inside["time"].endswith("+00:00")
    assert outside["request_id"] == "-"  # the block restored what was there before


def test_an_error_is_one_json_line_with_its_traceback(
    stream: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = stream
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("job failed")

    (line,) = out.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "job failed" and "ValueError: boom" in entry["error"]


@pytest.mark.parametrize(
    "offered", ["", "a b", "x" * 65, "id\nINFO forged line", "<script>", "ü-umlaut"]
)
def test_an_id_that_could_forge_a_log_line_is_replaced_by_a_fresh_one(offered: str) -> None:
    fresh = logs.new_request_id(offered)
    assert fresh != offered and len(fresh) == 32 and fresh.isalnum()


def test_a_plain_id_from_a_proxy_is_kept() -> None:
    assert logs.new_request_id("edge-01:9f8e.77_a") == "edge-01:9f8e.77_a"
    token = logs.set_request_id("bad id")
    assert logs.request_id() not in ("bad id", "-")
    logs.end_request(token)
    assert logs.request_id() == "-"


def test_log_format_is_text_or_json() -> None:
    assert log_format(" JSON ") == "json" and log_format("text") == "text"
    with pytest.raises(ConfigError, match="text, json"):
        log_format("xml")
