"""Console simulator: take a survey in the terminal through the same engine and storage."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TextIO

from bot.engine.model import Status
from bot.ports import InboundMessage
from bot.services.addresses import Channel
from bot.services.inbound.handle import handle_inbound
from bot.services.reports import survey_report
from bot.services.runtime import Runtime
from bot.services.surveys import SurveyRequest, start_survey

FINISHED = frozenset({Status.COMPLETED, Status.OPTED_OUT, Status.EXPIRED})


class ConsoleSender:
    """Print outbound messages, as a phone would show them."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    @property
    def identity(self) -> str:
        """Name what this sender sends from (the pacing key): the console itself."""
        return Channel.CONSOLE

    def cost(self, body: str) -> int:
        """Return one: a printed message takes one unit of pace, however long it is."""
        return 1

    def send(self, address: str, body: str) -> str | None:
        """Print one message from Parley."""
        show(self._out, body)
        return None

    def find(self, address: str, body: str, since: datetime) -> str | None:
        """Say no message is in doubt: printing never times out half-way."""
        return None


def show(out: TextIO, body: str) -> None:
    """Print a message from Parley, indented like a chat bubble."""
    for line in body.splitlines() or [""]:
        out.write(f"  parley> {line}\n")
    out.flush()


def run_chat(
    rt: Runtime,
    flow_id: str,
    language: str | None,
    ask: Callable[[], str],
    out: TextIO,
    address: str | None = None,
) -> Status:
    """Converse until the survey ends or input runs out; return the survey's final status."""
    # A simulator starts at once: no delay after the contact, no quiet hours, no cap.
    policy = replace(rt.policy, delay=timedelta(0), quiet_hours=None, frequency_cap=timedelta(0))
    rt = replace(rt, senders={**rt.senders, Channel.CONSOLE: ConsoleSender(out)}, policy=policy)
    address = address or f"console-{secrets.token_hex(4)}"
    started = start_survey(rt, SurveyRequest(Channel.CONSOLE, address, flow_id, language))
    status = started.status
    while status not in FINISHED:
        try:
            text = ask()
        except EOFError:
            break
        message = InboundMessage(Channel.CONSOLE, address, text, None, rt.clock())
        for reply in handle_inbound(rt, message):
            show(out, reply)
        report = survey_report(rt, started.id)
        status = Status(report["status"]) if report else Status.EXPIRED
    return status
