"""Preview a survey as a resident receives it, in a chat panel: /admin/flows/<id>/preview.

The page is stateless: the resident's replies so far travel in the form as hidden fields, and
every post replays them from the first text (bot.services.preview). It works with plain form
posts, no script: a typed reply and a pressed Telegram button are each a submit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from bot.bootstrap import sandbox
from bot.channels.telegram import read_command
from bot.engine.model import Flow
from bot.i18n.controls import clean_text
from bot.services.addresses import Channel
from bot.services.chat_replies import start_word
from bot.services.flow_admin import FlowAdminError, draft_flow
from bot.services.preview import (
    CHANNELS,
    MAX_REPLIES,
    MAX_REPLY_CHARS,
    Preview,
    PreviewError,
    Reader,
    Said,
    Script,
    run_preview,
)
from bot.services.runtime import Runtime
from bot.web.auth import role_required
from bot.web.context import runtime
from bot.web.security import page_headers

bp = Blueprint("preview", __name__)
bp.after_request(page_headers)

PATH = "/admin/flows/<flow_id>/preview"
# How each reply is written in a hidden field: "t:" typed text, "b:" a pressed button's data.
TYPED, PRESSED = "t:", "b:"
CHANNEL_NAMES = {Channel.SMS: "SMS", Channel.TELEGRAM: "Telegram"}


def flow_to_preview(rt: Runtime, flow_id: str, draft: bool = False) -> Flow | None:
    """Return the Flow to preview: the live version, or the flow's draft as it would publish.

    PreviewError while the draft has problems (it cannot be built until they are fixed).
    """
    if not draft:
        return rt.flows.get(flow_id)
    try:
        return draft_flow(rt, flow_id)
    except FlowAdminError as exc:
        raise PreviewError("; ".join(exc.fields.values())) from exc


def _drafted() -> bool:
    """Say whether the page previews the flow's draft (`?draft=1`) rather than its live version."""
    return request.args.get("draft") == "1"


@dataclass(frozen=True)
class Asked:
    """What the page was asked for: the flow, the channel, the language, the replies so far."""

    flow: Flow
    channel: str
    language: str
    said: tuple[Said, ...]


@bp.route(PATH, methods=["GET", "POST"])
@role_required("admin", "supervisor")
def chat(flow_id: str) -> ResponseReturnValue:
    """Show the survey's first text; on a post, the replies so far and the new one, answered."""
    rt = runtime()
    try:
        flow = flow_to_preview(rt, flow_id, _drafted())
    except PreviewError as exc:
        return _refused(str(exc), 400)
    if flow is None:
        return _refused(f"no {'draft of ' if _drafted() else ''}flow {flow_id!r}", 404)
    try:
        asked = Asked(flow, _channel(), _language(flow), _transcript())
    except PreviewError as exc:
        return _refused(str(exc), 400)
    error = None
    if request.method == "POST":
        new, error = _new_reply()
        asked = Asked(flow, asked.channel, asked.language, (*asked.said, *new))
    try:
        script = Script(asked.channel, asked.language, asked.said)
        shown = run_preview(rt, sandbox, flow, script, _reader(rt, asked.channel))
    except PreviewError as exc:
        return _refused(str(exc), 400)
    return _page(asked, shown, error), 400 if error else 200


def _reader(rt: Runtime, channel: str) -> Reader | None:
    """Return how the channel's adapter reads typed text: Telegram's commands (/stop, /start)."""
    if channel != Channel.TELEGRAM:
        return None  # Twilio hands the text over as typed (cleaned, as the page does)
    return partial(read_command, start_word=start_word(rt))


def _channel() -> str:
    """Read the channel to preview on (SMS unless asked)."""
    channel = request.args.get("channel", Channel.SMS)
    if channel not in CHANNELS:
        raise PreviewError(f"channel must be one of: {', '.join(CHANNELS)}")
    return channel


def _language(flow: Flow) -> str:
    """Read the language the survey starts in (the flow's own unless asked)."""
    language = request.args.get("language", flow.base_language)
    if language not in flow.languages:
        raise PreviewError(f"language must be one the flow offers: {', '.join(flow.languages)}")
    return language


def _transcript() -> tuple[Said, ...]:
    """Read the replies so far from the form's hidden fields; refuse any that was altered."""
    fields = request.form.getlist("said") if request.method == "POST" else []
    if len(fields) > MAX_REPLIES:
        raise PreviewError(f"a preview holds at most {MAX_REPLIES} replies: restart it")
    said = []
    for value in fields:
        if value.startswith(TYPED):
            said.append(Said(value.removeprefix(TYPED)))
        elif value.startswith(PRESSED):
            said.append(Said(value.removeprefix(PRESSED), pressed=True))
        else:
            raise PreviewError("the replies so far were altered: restart the preview")
    return tuple(said)


def _new_reply() -> tuple[tuple[Said, ...], str | None]:
    """Read the reply just sent: a pressed button, or typed text (an error when it is blank)."""
    pressed = request.form.get("press")
    if pressed:
        return (Said(pressed, pressed=True),), None
    # As a channel adapter does: control characters carry no meaning in a reply.
    text = clean_text(request.form.get("text", ""))
    if not text.strip():
        return (), "Type a reply to send."
    if len(text) > MAX_REPLY_CHARS:
        return (), f"A reply has at most {MAX_REPLY_CHARS} characters."
    return (Said(text),), None


def _page(asked: Asked, shown: Preview, error: str | None) -> str:
    """Render the chat panel."""
    names = {code: locale.name for code, locale in runtime().locales.items()}
    return render_template(
        "preview/chat.html",
        asked=asked,
        preview=shown,
        error=error,
        said=[(PRESSED if s.pressed else TYPED) + s.text for s in asked.said],
        full=len(asked.said) >= MAX_REPLIES,
        names=names,
        languages=[(code, names.get(code, code)) for code in asked.flow.languages],
        channels=CHANNEL_NAMES,
        max_chars=MAX_REPLY_CHARS,
        draft=_drafted(),
    )


def _refused(reason: str, status: int) -> tuple[str, int]:
    """Say why the preview cannot be shown."""
    return render_template("preview/refused.html", reason=reason), status
